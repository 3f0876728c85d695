"""Layers that an app lends to the map editors of other apps.

The agreement's area editor draws, beneath what is drawn, the protected sites and the hazards
that the access app knows; the toolkit never imports an app, so the access app registers a
provider in its `AppConfig.ready()` (as it registers its dashboard panel):

    maplayers.register("access.sites_hazards", provider)

`provider(request, near)` returns GeoJSON Features in the shape map.js's `showAreas` draws
(`phase`, `title`, `width_m` in their properties), only those the reader may see; `near` is a
bounding box (west, south, east, north) in degrees to keep what is nearby, or None for all.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest

Provider = Callable[[HttpRequest, tuple[float, float, float, float] | None], list[dict]]
# "Nearby": within this many degrees (about 55 km north-south) of what is edited.
NEAR_DEG = 0.5

_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add a provider (registering the same name again replaces it: `ready()` may run twice)."""
    _PROVIDERS[name] = provider


def _positions(value: Any) -> Iterable[tuple[float, float]]:
    if isinstance(value, list | tuple):
        if len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2]):
            yield float(value[0]), float(value[1])
        else:
            for item in value:
                yield from _positions(item)


def bounding_box(features: Iterable[dict], margin: float = NEAR_DEG):
    """(west, south, east, north) around the features' positions, `margin` degrees wider; None
    when they have none."""
    positions = [p for f in features for p in _positions(((f or {}).get("geometry") or {})
                                                          .get("coordinates"))]
    if not positions:
        return None
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def within(feature: dict, box) -> bool:
    """Whether any position of the feature lies in the box (always, without a box)."""
    if box is None:
        return True
    west, south, east, north = box
    return any(west <= lon <= east and south <= lat <= north
               for lon, lat in _positions((feature.get("geometry") or {}).get("coordinates")))


def context_features(request: HttpRequest, near=None) -> list[dict]:
    """Every registered provider's features for this reader, near the box when given."""
    return [feature for name in sorted(_PROVIDERS) for feature in _PROVIDERS[name](request, near)]
