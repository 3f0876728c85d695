"""What the map template needs on every page: the deployment's tile source (settings
`PARLEY_MAP_TILES*`, docs/deployment.md "Map tiles"). Imports no app."""

from django.conf import settings


def map_tiles(request) -> dict:
    return {"map_tiles": {
        "url": getattr(settings, "PARLEY_MAP_TILES", ""),
        "attribution": getattr(settings, "PARLEY_MAP_TILES_ATTRIBUTION", ""),
        "max_zoom": getattr(settings, "PARLEY_MAP_TILES_MAX_ZOOM", 18),
        "pmtiles": getattr(settings, "PARLEY_MAP_PMTILES", ""),
    }}
