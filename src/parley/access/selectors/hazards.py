"""Hazards: lists and GeoJSON."""



from parley.access.checks import hazard_feature
from parley.access.models import (
    Hazard,
)
from parley.core.errors import NotFound
from parley.core.types import Actor


def hazard_list(*, actor: Actor) -> list[Hazard]:
    """Active hazards: safety information for every party at the table."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    return list(Hazard.objects.filter(active=True).order_by("reference"))


def hazard_get(*, actor: Actor, reference: str) -> Hazard:
    hazard = None
    if getattr(actor, "is_authenticated", False) and actor.party_id is not None:
        hazard = Hazard.objects.filter(active=True, reference=reference).first()
    if hazard is None:
        raise NotFound(reference)
    return hazard


def hazards_geojson(hazards: list[Hazard]) -> dict:
    """The hazards as `parley deconflict check --hazards` reads them."""
    return {"type": "FeatureCollection",
            "features": [hazard_feature(hazard) for hazard in hazards]}
