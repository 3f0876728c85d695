"""Notified sites: visibility, lists, GeoJSON."""


from django.db.models import Q, QuerySet

from parley.access.models import (
    Site,
)
from parley.core.errors import NotFound
from parley.core.rules import is_secretariat
from parley.core.types import Actor


def visible_sites(*, actor: Actor) -> QuerySet[Site]:
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return Site.objects.none()
    seen = Q(status=Site.Status.ACTIVE)
    if is_secretariat(actor):
        seen = Q()
    else:
        seen |= Q(organisation_id=actor.party_id)
    return Site.objects.filter(seen).select_related("organisation")


def site_list(*, actor: Actor) -> list[Site]:
    return list(visible_sites(actor=actor).order_by("reference"))


def site_get(*, actor: Actor, reference: str) -> Site:
    try:
        return visible_sites(actor=actor).get(reference=reference)
    except Site.DoesNotExist as exc:
        raise NotFound(reference) from exc


def sites_geojson(sites: list[Site]) -> dict:
    """Sites as areas (docs/formats.md §2: a Point of kind site, width_m the protective
    diameter)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": site.reference,
         "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
         "properties": {"kind": "site", "width_m": site.radius_m * 2, "name": site.name,
                        "site_kind": site.kind, "organisation": site.organisation.slug,
                        "status": site.status}}
        for site in sites
    ]}
