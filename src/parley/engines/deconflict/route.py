"""How far a route strays outside the union of areas, to the centimetre.

The distance from a point to a set, less a constant and floored at zero, changes by at most the
distance the point moves; so does the least of such distances over several areas. Along a route
segment of ground length L, the largest distance between two samples u0 and u1 with values d0 and
d1 is therefore at most (d0 + d1 + (u1 - u0) L) / 2. Sampling every segment coarsely and halving
only the pieces whose bound could still beat the best value found (branch and bound) finds the
true maximum, which vertex sampling misses when it lies mid-segment (beside a concave corner, or
where two corridors' edges meet), without densifying the whole route to the metre.

Each area measures the route in its own local projection (geo's per-feature azimuthal
equidistant), where route segments are straight, as geo's are.
"""

from dataclasses import dataclass

import numpy as np

from parley.engines.geo import MetricArea

INITIAL_SPACING_M = 100.0
# Whether the limit is passed is decided to 1 cm; the distance shown (in whole metres) to 10 cm.
DECISION_TOLERANCE_M = 0.01
VALUE_TOLERANCE_M = 0.1


@dataclass(frozen=True)
class Farthest:
    """The largest distance from the route to the union of areas, and the point that has it."""

    distance_m: float
    lon: float
    lat: float


class ProjectedRoute:
    """Route vertices in each area's projection, and the distance from a route point to the
    nearest area."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray, areas: list[MetricArea]) -> None:
        self.areas = areas
        self.xy = [area.project(lon, lat) for area in areas]
        # In each projection the segment is straight, so its projected length is the Lipschitz
        # constant of that area's distance along it; the largest over areas bounds the minimum.
        self.segment_m = np.max([np.hypot(np.diff(x), np.diff(y)) for x, y in self.xy], axis=0)

    def points(
        self, area: int, segment: np.ndarray, u: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.xy[area]
        return x[segment] + u * (x[segment + 1] - x[segment]), y[segment] + u * (
            y[segment + 1] - y[segment]
        )

    def distance(self, segment: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance to the union of areas at each route point, and which area is nearest."""
        per_area = np.stack(
            [area.distance_m(*self.points(k, segment, u)) for k, area in enumerate(self.areas)]
        )
        nearest = np.argmin(per_area, axis=0)
        return per_area[nearest, np.arange(per_area.shape[1])], nearest

    def lon_lat(self, area: int, segment: int, u: float) -> tuple[float, float]:
        x, y = self.points(area, np.array([segment]), np.array([u]))
        lon, lat = self.areas[area].transformer.transform(x, y, direction="INVERSE")
        return float(np.asarray(lon).reshape(-1)[0]), float(np.asarray(lat).reshape(-1)[0])


def farthest_outside(
    lon: np.ndarray, lat: np.ndarray, areas: list[MetricArea], limit_m: float
) -> Farthest:
    """The largest distance of the route from the union of `areas`.

    Whether it exceeds `limit_m` is decided to within `DECISION_TOLERANCE_M`; above the limit
    the value is exact to `VALUE_TOLERANCE_M`, below it only a lower bound.
    """
    route = ProjectedRoute(lon, lat, areas)
    pieces = np.maximum(np.ceil(route.segment_m / INITIAL_SPACING_M), 1).astype(np.int64)
    segment = np.repeat(np.arange(pieces.size), pieces)
    step = 1.0 / pieces[segment]
    u0 = (np.arange(segment.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)) * step
    u1 = u0 + step
    # Both ends of every piece are evaluated (shared vertices twice) so that pieces stay
    # independent and each round can drop the settled ones.
    ends_segment, ends_u = np.concatenate([segment, segment]), np.concatenate([u0, u1])
    d, nearest = route.distance(ends_segment, ends_u)
    d0, d1 = d[: segment.size], d[segment.size :]
    top = int(np.argmax(d))
    best = float(d[top])
    best_at = (int(nearest[top]), int(ends_segment[top]), float(ends_u[top]))
    while True:
        # Below the limit only the decision matters; above it, the value.
        needed = best + VALUE_TOLERANCE_M if best > limit_m else limit_m + DECISION_TOLERANCE_M
        bound = (d0 + d1 + (u1 - u0) * route.segment_m[segment]) / 2
        open_ = bound > needed
        if not open_.any():
            break
        segment, u0, u1, d0, d1 = segment[open_], u0[open_], u1[open_], d0[open_], d1[open_]
        middle = (u0 + u1) / 2
        dm, near_middle = route.distance(segment, middle)
        top = int(np.argmax(dm))
        if dm[top] > best:
            best = float(dm[top])
            best_at = (int(near_middle[top]), int(segment[top]), float(middle[top]))
        segment = np.concatenate([segment, segment])
        u0, u1 = np.concatenate([u0, middle]), np.concatenate([middle, u1])
        d0, d1 = np.concatenate([d0, dm]), np.concatenate([dm, d1])
    return Farthest(best, *route.lon_lat(*best_at))
