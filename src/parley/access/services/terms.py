"""Access terms of an agreement, set by the secretariat."""


from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parley.access import rules
from parley.access.models import (
    AccessTerms,
)
from parley.agreements.models import Agreement
from parley.agreements.rules import can_view_agreement
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import User
from parley.core.validation import add_error, raise_if


def access_terms_set(*, actor: User, agreement: Agreement, ack_deadline_h: int = 24,
                     max_vehicles: int | None = None, cargo_limits: dict | None = None
                     ) -> AccessTerms:
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    if not rules.can_set_access_terms(actor):
        raise Forbidden(_("Only the secretariat sets the access terms of an agreement."))
    errors: dict = {}
    if isinstance(ack_deadline_h, bool) or not isinstance(ack_deadline_h, int) \
            or ack_deadline_h < 1:
        add_error(errors, "ack_deadline_h", _("Give a whole number of hours, one or more."))
    if max_vehicles is not None and (isinstance(max_vehicles, bool)
                                     or not isinstance(max_vehicles, int) or max_vehicles < 0):
        add_error(errors, "max_vehicles", _("Give a whole number, zero or more."))
    cargo_limits = cargo_limits or {}
    if not isinstance(cargo_limits, dict) or not all(
        isinstance(item, str) and item.strip() and isinstance(limit, int | float)
        and not isinstance(limit, bool) and limit >= 0
        for item, limit in cargo_limits.items()
    ):
        add_error(
            errors, "cargo_limits", _("Give each item with its largest quantity, zero or more.")
        )
    raise_if(errors)
    with transaction.atomic():
        terms, _created = AccessTerms.objects.select_for_update().get_or_create(
            agreement=agreement)
        before = {"ack_deadline_h": terms.ack_deadline_h, "max_vehicles": terms.max_vehicles,
                  "cargo_limits": terms.cargo_limits}
        terms.ack_deadline_h = ack_deadline_h
        terms.max_vehicles = max_vehicles
        terms.cargo_limits = cargo_limits
        terms.save()
        audit_append(actor=actor, action="access_terms.set", obj=agreement, before=before,
                     after={"ack_deadline_h": ack_deadline_h, "max_vehicles": max_vehicles,
                            "cargo_limits": cargo_limits})
    return terms
