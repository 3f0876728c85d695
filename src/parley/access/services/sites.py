"""Notified sites: notify, amend, withdraw."""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parley.access import rules
from parley.access.models import (
    Site,
)
from parley.access.services.common import MAX_SITE_RADIUS_M
from parley.access.services.guards import _require_reason
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import Party, User
from parley.core.references import next_reference
from parley.core.types import Predicate, StrOrPromise, party_of
from parley.core.validation import UNSET, Unset, add_error, raise_if


def _clean_site(*, name: Any, kind: str, lon: Any, lat: Any, radius_m: Any, errors: dict) -> None:
    if not (name or "").strip():
        add_error(errors, "name", _("Give the site a name."))
    if kind not in Site.Kind.values:
        add_error(errors, "kind", _("Choose a hospital, warehouse, shelter or water station."))
    if isinstance(lon, bool) or not isinstance(lon, int | float) or not math.isfinite(lon) \
            or not -180 <= lon <= 180:
        add_error(errors, "lon", _("Give a longitude between -180 and 180."))
    if isinstance(lat, bool) or not isinstance(lat, int | float) or not math.isfinite(lat) \
            or not -90 <= lat <= 90:
        add_error(errors, "lat", _("Give a latitude between -90 and 90."))
    if isinstance(radius_m, bool) or not isinstance(radius_m, int) \
            or not 1 <= radius_m <= MAX_SITE_RADIUS_M:
        add_error(errors, "radius_m", _("Give a radius in whole metres from 1 to 50 000."))


def _site_state(site: Site) -> dict:
    return {"status": site.status, "reason": site.reason, "name": site.name, "kind": site.kind,
            "lon": site.lon, "lat": site.lat, "radius_m": site.radius_m, "note": site.note}


def _next_site_reference(organisation: Party) -> str:
    return next_reference(prefix=f"{organisation.slug.upper()}-S", width=3, model=Site,
                          field="reference")


def site_notify(*, actor: User, name: str, kind: str, lon: float, lat: float, radius_m: int,
                note: str = "") -> Site:
    """A static site with its protective radius, from now on seen by every party."""
    if not rules.can_notify_site(actor):
        raise Forbidden(_("Only a humanitarian organisation's liaison notifies sites."))
    errors: dict = {}
    _clean_site(name=name, kind=kind, lon=lon, lat=lat, radius_m=radius_m, errors=errors)
    raise_if(errors)
    with transaction.atomic():
        site = Site.objects.create(
            reference=_next_site_reference(party_of(actor)), organisation=party_of(actor),
            name=name.strip(), kind=kind, lon=float(lon), lat=float(lat), radius_m=radius_m,
            note=(note or "").strip(), created_by=actor,
        )
        audit_append(actor=actor, action="site.notify", obj=site, before=None,
                     after=_site_state(site))
    return site


def _site_locked(actor: User, site: Site, predicate: Predicate, message: StrOrPromise) -> Site:
    site = Site.objects.select_for_update().select_related("organisation").get(pk=site.pk)
    if not rules.can_view_site(actor, site):
        raise NotFound(site.reference)
    if not predicate(actor, site):
        raise Forbidden(message)
    if site.status != Site.Status.ACTIVE:
        raise ValidationError({"status": [_("The site was withdrawn.")]})
    return site


def site_amend(
    *, actor: User, site: Site, name: Any = UNSET, kind: str | Unset = UNSET, lon: Any = UNSET,
    lat: Any = UNSET, radius_m: Any = UNSET, note: Any = UNSET,
) -> Site:
    """Change a site; the audit entry keeps the state before and after (its versions)."""
    with transaction.atomic():
        site = _site_locked(actor, site, rules.can_amend_site,
                            _("Only the notifying organisation amends its site."))
        before = _site_state(site)
        values = {key: before[key] if value is UNSET else value for key, value in {
            "name": name, "kind": kind, "lon": lon, "lat": lat, "radius_m": radius_m}.items()}
        errors: dict = {}
        _clean_site(errors=errors, **values)
        raise_if(errors)
        site.name = values["name"].strip()
        site.kind = values["kind"]
        site.lon, site.lat = float(values["lon"]), float(values["lat"])
        site.radius_m = values["radius_m"]
        site.note = site.note if note is UNSET else (note or "").strip()
        if _site_state(site) == before:
            raise ValidationError({"__all__": [_("An amendment must change something.")]})
        site.save()
        audit_append(actor=actor, action="site.amend", obj=site, before=before,
                     after=_site_state(site))
    return site


def site_withdraw(*, actor: User, site: Site, reason: str) -> Site:
    reason = _require_reason(reason)
    with transaction.atomic():
        site = _site_locked(actor, site, rules.can_withdraw_site,
                            _("Only the notifying organisation or the secretariat withdraws a "
                              "site."))
        before = _site_state(site)
        site.status = Site.Status.WITHDRAWN
        site.reason = reason
        site.save(update_fields=["status", "reason", "updated_at"])
        audit_append(actor=actor, action="site.withdraw", obj=site, before=before,
                     after=_site_state(site), note=reason)
    return site
