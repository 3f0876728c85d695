"""Areas in true metres.

Semantics (docs/formats.md §2, and RFC 7946 where it is silent):
- The line between two positions is straight in longitude/latitude (RFC 7946 §3.1.1), as a
  GeoJSON file and a plain map draw it. Distances to it are true ground distances on WGS 84.
- Every area is a closed set: a point on its boundary is inside. A corridor is every point
  within `width_m / 2` of its line, a site every point within `width_m / 2` of its point(s).
  Corridors and sites are tested by the exact distance to the line or point, never against a
  polygonal buffer; polygon holes are outside.
- Two distances closer than `BOUNDARY_TOLERANCE_M` (1 mm, finer than the 1e-7° ≈ 1 cm to which
  positions are written) count as equal, so a point placed on an edge is on it.

Method: sites use geodesic distances (pyproj.Geod) to each of their points, which is exact.
Polygons and corridors are projected into a local azimuthal equidistant projection centred on
the feature's bounding box, after adding vertices every 0.001° along each edge so that the
projected edges follow the straight longitude/latitude lines to within 0.2 mm. In that
projection, distances from the centre are exact and others are stretched by at most
(r / R)² / 6 at a distance r from the centre (R the Earth's radius): 0.004 % at 100 km, 0.1 %
only beyond 490 km.
"""

from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from .areas import POLYGONAL, PUNTAL, Area

BOUNDARY_TOLERANCE_M = 0.001
EDGE_STEP_DEG = 0.001
BUFFER_QUAD_SEGS = 64
WGS84 = Geod(ellps="WGS84")


@dataclass(frozen=True, eq=False)
class MetricArea:
    """An area ready for distance tests.

    `core` is, in the local projection, the polygon itself or the line of a corridor (both
    with their edges densified); for a site it is the site point(s) in longitude/latitude.
    The area reaches `half_width_m` beyond its core (0 for polygons).
    """

    transformer: Transformer
    core: BaseGeometry
    half_width_m: float
    is_site: bool
    is_polygon: bool

    def beyond_edge_m(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """How far (m) each point lies beyond the area's edge: <= 0 inside (0 for every point
        of a polygon)."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if self.is_site:
            return self._site_distance_m(lon, lat) - self.half_width_m
        x, y = self.transformer.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if not self.is_polygon:
            distance = cast(
                npt.NDArray[np.float64], shapely.distance(self.core, shapely.points(x, y))
            )
            return distance - self.half_width_m
        outside = ~shapely.intersects_xy(self.core, x, y)
        beyond = np.zeros(lon.shape)
        beyond[outside] = shapely.distance(self.core, shapely.points(x[outside], y[outside]))
        return beyond

    def inside_or_near(
        self, lon: np.ndarray, lat: np.ndarray, precision: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Whether each point is in the area, and whether it is outside but at most its
        `precision` metres from it.

        Distances are compared with a prepared `dwithin`, which stops as soon as the answer is
        known, rather than measured: measuring costs a pass over every vertex per point.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        precision = np.asarray(precision, dtype=float)
        if self.is_site:
            beyond = self._site_distance_m(lon, lat) - self.half_width_m
            inside = beyond <= BOUNDARY_TOLERANCE_M
            return inside, ~inside & (beyond <= precision + BOUNDARY_TOLERANCE_M)
        x, y = self.transformer.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        reach = self.half_width_m + BOUNDARY_TOLERANCE_M
        inside = np.zeros(lon.shape, dtype=bool)
        unsure = np.ones(lon.shape, dtype=bool)
        if self.is_polygon:
            inside = shapely.intersects_xy(self.core, x, y)
            unsure = ~inside
        # One test at the farthest distance that matters, then, for the few points it keeps
        # whose precision is not 0, a second one at the area's own edge.
        points = shapely.points(x[unsure], y[unsure])
        within = shapely.dwithin(self.core, points, reach + precision[unsure])
        split = within & (precision[unsure] > 0)
        on_edge = within.copy()
        on_edge[split] = shapely.dwithin(self.core, points[split], reach)
        inside[unsure] = on_edge
        near = np.zeros(lon.shape, dtype=bool)
        near[unsure] = within & ~on_edge
        return inside, near

    def _site_distance_m(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        nearest = np.full(lon.shape, np.inf)
        for site_lon, site_lat in shapely.get_coordinates(self.core):
            _, _, metres = WGS84.inv(
                np.full(lon.shape, site_lon), np.full(lon.shape, site_lat), lon, lat
            )
            nearest = np.minimum(nearest, metres)
        return nearest


def local_projection(lon0: float, lat0: float) -> Transformer:
    """Longitude/latitude (degrees, WGS 84) to metres east/north of (lon0, lat0)."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={float(lat0)!r} +lon_0={float(lon0)!r} +ellps=WGS84"
    )


def _width_m(area: Area) -> float:
    """The width of a corridor or site; parse_areas requires one for every such area."""
    if area.width_m is None:
        raise ValueError(f"area {area.id}: a {area.geometry_type} needs width_m")
    return area.width_m


def metric_area(area: Area) -> MetricArea:
    min_lon, min_lat, max_lon, max_lat = area.geometry.bounds
    transformer = local_projection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    is_site = area.geometry.geom_type in PUNTAL
    is_polygon = area.geometry.geom_type in POLYGONAL
    if is_site:
        core = area.geometry
    else:
        core = shapely.transform(
            shapely.segmentize(area.geometry, EDGE_STEP_DEG),
            lambda xy: _forward(transformer, xy),
        )
        shapely.prepare(core)
    return MetricArea(
        transformer=transformer,
        core=core,
        half_width_m=0.0 if is_polygon else _width_m(area) / 2,
        is_site=is_site,
        is_polygon=is_polygon,
    )


def area_shape_m(area: Area) -> tuple[BaseGeometry, Transformer]:
    """The area as one shapely geometry in its local projection (corridors and sites buffered
    with 64 segments per quarter circle, for drawing and overlap tests) and that projection.

    To decide whether a point is in an area use `distance_to_area_m`, which is exact where the
    buffer is a polygon inscribed in the true edge."""
    metric = metric_area(area)
    if metric.is_polygon:
        return metric.core, metric.transformer
    core = metric.core
    if metric.is_site:
        core = shapely.transform(core, lambda xy: _forward(metric.transformer, xy))
    shape = shapely.buffer(core, metric.half_width_m, quad_segs=BUFFER_QUAD_SEGS)
    return shape, metric.transformer


def distance_to_area_m(area: Area, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Ground distance in metres from each point to the area; 0 inside and on its boundary."""
    beyond = metric_area(area).beyond_edge_m(lon, lat)
    return np.where(beyond <= BOUNDARY_TOLERANCE_M, 0.0, beyond)


def _forward(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
