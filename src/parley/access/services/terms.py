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
from parley.core.validation import add_error, check_range, raise_if


def access_terms_set(*, actor: User, agreement: Agreement, ack_deadline_h: int = 24,
                     max_vehicles: int | None = None, cargo_limits: dict | None = None
                     ) -> AccessTerms:
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    if not rules.can_set_access_terms(actor):
        raise Forbidden(_("Only the secretariat sets the access terms of an agreement."))
    errors: dict = {}
    # Ranges from parley.engines.bounds: a deadline of 10^18 hours would break every later
    # read that adds it to a time (issue 8, finding 10).
    if isinstance(ack_deadline_h, float) and ack_deadline_h.is_integer():
        ack_deadline_h = int(ack_deadline_h)
    check_range(errors, "ack_deadline_h", "ack_deadline_h", ack_deadline_h)
    check_range(errors, "max_vehicles", "max_vehicles", max_vehicles, optional=True)
    cargo_limits = cargo_limits or {}
    if not isinstance(cargo_limits, dict) or not all(
        isinstance(item, str) and item.strip() for item in cargo_limits
    ):
        add_error(
            errors, "cargo_limits", _("Give each item with its largest quantity, zero or more.")
        )
    else:
        for item, limit in cargo_limits.items():
            check_range(errors, f"cargo_limits[{item}]", "cargo_quantity", limit)
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
