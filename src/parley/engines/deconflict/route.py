"""How far a route strays outside the union of areas, and whether it comes near one area, to
the centimetre.

The route's segments are straight in longitude/latitude (RFC 7946 §3.1.1), as geo's areas are.
The distance from a point to a set, less a constant and floored at zero, changes by at most the
ground distance the point moves; so does the least of such distances over several areas. Along a
segment whose points move at most S metres per unit of its parameter u, the largest distance
between two samples u0 and u1 with values d0 and d1 is therefore at most
(d0 + d1 + (u1 - u0) S) / 2. Sampling every segment coarsely and halving only the pieces whose
bound could still change the answer (branch and bound) finds the true maximum, which vertex
sampling misses when it lies mid-segment (beside a concave corner, or where two corridors'
edges meet), without densifying the whole route to the metre. The same bound from below,
(d0 + d1 - (u1 - u0) S) / 2, finds whether a route comes within a distance of one area.
"""

from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from parley.engines.geo import MetricArea
from parley.engines.geo.metric import EDGE_STEP_DEG

# Whether the limit is passed is decided to 1 cm; the distance shown (in whole metres) to 10 cm.
DECISION_TOLERANCE_M = 0.01
VALUE_TOLERANCE_M = 0.1
# The largest radius of curvature of the WGS 84 ellipsoid (at the poles, a² / b): no ground
# distance is longer than this radius times the angle.
_LARGEST_RADIUS_M = 6_399_593.626


@dataclass(frozen=True)
class Farthest:
    """The largest distance from the route to the union of areas, and the point that has it."""

    distance_m: float
    lon: float
    lat: float


def outside_m(areas: list[MetricArea], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Ground distance from each point to the union of `areas`, 0 inside."""
    beyond = np.min([area.beyond_edge_m(lon, lat) for area in areas], axis=0)
    return np.maximum(beyond, 0.0)


def densified(
    lon: np.ndarray, lat: np.ndarray, step_deg: float = EDGE_STEP_DEG
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The route with vertices added every `step_deg` along each segment, so that it stays
    within a fraction of a millimetre of its straight longitude/latitude lines once projected
    (as geo does with areas). Returns the new longitudes and latitudes and, for each new vertex,
    the original segment it lies on and the fraction u of the way along it."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    span = np.maximum(np.abs(np.diff(lon)), np.abs(np.diff(lat)))
    pieces = np.maximum(np.ceil(span / step_deg), 1).astype(np.int64)
    segment = np.append(np.repeat(np.arange(pieces.size), pieces), pieces.size - 1)
    u = np.append(
        (np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces))
        / np.repeat(pieces, pieces),
        1.0,
    )
    return (
        lon[segment] + u * (lon[segment + 1] - lon[segment]),
        lat[segment] + u * (lat[segment + 1] - lat[segment]),
        segment,
        u,
    )


def segment_speeds_m(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """For each segment, a bound on the ground metres moved per unit of its parameter u."""
    lat0, lat1 = np.radians(lat[:-1]), np.radians(lat[1:])
    crosses_equator = (lat0 <= 0) & (lat1 >= 0) | (lat0 >= 0) & (lat1 <= 0)
    widest = np.where(crosses_equator, 1.0, np.maximum(np.cos(lat0), np.cos(lat1)))
    east = np.radians(np.diff(lon)) * widest
    north = lat1 - lat0
    return cast(npt.NDArray[np.float64], _LARGEST_RADIUS_M * np.hypot(east, north))


def farthest_outside(
    lon: np.ndarray, lat: np.ndarray, areas: list[MetricArea], limit_m: float
) -> Farthest:
    """The largest distance of the route from the union of `areas`.

    Whether it exceeds `limit_m` is decided to within `DECISION_TOLERANCE_M`; above the limit
    the value is exact to `VALUE_TOLERANCE_M`, below it only a lower bound.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    speed = segment_speeds_m(lon, lat)

    def measure(segment: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        at_lon = lon[segment] + u * (lon[segment + 1] - lon[segment])
        at_lat = lat[segment] + u * (lat[segment + 1] - lat[segment])
        return outside_m(areas, at_lon, at_lat), at_lon, at_lat

    # The pieces start as whole segments: the vertices are the only samples that every answer
    # needs, and halving refines just the pieces whose bound is still open.
    d = outside_m(areas, lon, lat)
    segment = np.arange(lon.size - 1)
    u0, u1 = np.zeros(segment.size), np.ones(segment.size)
    d0, d1 = d[:-1], d[1:]
    top = int(np.argmax(d))
    best, best_at = float(d[top]), (float(lon[top]), float(lat[top]))
    while True:
        # Below the limit only the decision matters; above it, the value.
        needed = best + VALUE_TOLERANCE_M if best > limit_m else limit_m + DECISION_TOLERANCE_M
        open_ = (d0 + d1 + (u1 - u0) * speed[segment]) / 2 > needed
        if not open_.any():
            break
        segment, u0, u1, d0, d1 = segment[open_], u0[open_], u1[open_], d0[open_], d1[open_]
        middle = (u0 + u1) / 2
        dm, at_lon, at_lat = measure(segment, middle)
        top = int(np.argmax(dm))
        if dm[top] > best:
            best, best_at = float(dm[top]), (float(at_lon[top]), float(at_lat[top]))
        segment = np.concatenate([segment, segment])
        u0, u1 = np.concatenate([u0, middle]), np.concatenate([middle, u1])
        d0, d1 = np.concatenate([d0, dm]), np.concatenate([dm, d1])
    return Farthest(best, *best_at)


def comes_within(lon: np.ndarray, lat: np.ndarray, area: MetricArea, limit_m: float) -> bool:
    """Whether some point of the route is at most `limit_m` beyond the area's edge.

    Decided to within `DECISION_TOLERANCE_M`, towards yes: a route that comes within the limit
    plus 1 cm may count as within, one within the limit always does.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    speed = segment_speeds_m(lon, lat)
    reach = limit_m + DECISION_TOLERANCE_M
    d = area.beyond_edge_m(lon, lat)
    if (d <= reach).any():
        return True
    segment = np.arange(lon.size - 1)
    u0, u1 = np.zeros(segment.size), np.ones(segment.size)
    d0, d1 = d[:-1], d[1:]
    while True:
        # A piece stays open while the nearest point it could hold is within the limit; once
        # pieces are 2 cm of ground long, a sample within the tolerance settles it.
        open_ = (d0 + d1 - (u1 - u0) * speed[segment]) / 2 <= limit_m
        if not open_.any():
            return False
        segment, u0, u1, d0, d1 = segment[open_], u0[open_], u1[open_], d0[open_], d1[open_]
        middle = (u0 + u1) / 2
        dm = area.beyond_edge_m(
            lon[segment] + middle * (lon[segment + 1] - lon[segment]),
            lat[segment] + middle * (lat[segment + 1] - lat[segment]),
        )
        if (dm <= reach).any():
            return True
        segment = np.concatenate([segment, segment])
        u0, u1 = np.concatenate([u0, middle]), np.concatenate([middle, u1])
        d0, d1 = np.concatenate([d0, dm]), np.concatenate([dm, d1])
