"""Areas in true metres: a local azimuthal equidistant projection centred on each feature.

Distances from the centre are exact geodesic distances on WGS 84; other distances are stretched
by at most about (r / R)² / 6 at a distance r from the centre (R the Earth's radius): 0.004 % at
100 km, 0.1 % only beyond 490 km. Segments are straight in the projection, which follows the
geodesic between their ends to within centimetres for segments of a few tens of kilometres.

Every area is a closed set: a point on its boundary is inside. A corridor is every point within
`width_m / 2` of its line, a site every point within `width_m / 2` of its point; both are tested
by their exact distance to the line or point, never against a polygonal buffer.
"""

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from .areas import POLYGONAL, Area

BUFFER_QUAD_SEGS = 64


@dataclass(frozen=True, eq=False)
class MetricArea:
    """An area in its own local projection: `core` is the polygon itself, or the line or
    point(s) of a corridor or site, which reach `half_width_m` beyond it."""

    transformer: Transformer
    core: BaseGeometry
    half_width_m: float

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def distance_m(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Ground distance from projected points to the area, 0 inside and on its boundary."""
        if self.half_width_m == 0:
            inside = shapely.intersects_xy(self.core, x, y)
            distance = np.zeros(np.shape(x))
            outside = ~inside
            distance[outside] = shapely.distance(self.core, shapely.points(x[outside], y[outside]))
            return distance
        to_core = shapely.distance(self.core, shapely.points(x, y))
        return np.maximum(to_core - self.half_width_m, 0.0)


def local_projection(lon0: float, lat0: float) -> Transformer:
    """Longitude/latitude (degrees, WGS 84) to metres east/north of (lon0, lat0)."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84"
    )


def metric_area(area: Area) -> MetricArea:
    min_lon, min_lat, max_lon, max_lat = area.geometry.bounds
    transformer = local_projection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    core = shapely.transform(area.geometry, lambda xy: _forward(transformer, xy))
    shapely.prepare(core)
    half_width = 0.0 if area.geometry.geom_type in POLYGONAL else area.width_m / 2
    return MetricArea(transformer=transformer, core=core, half_width_m=half_width)


def area_shape_m(area: Area) -> tuple[BaseGeometry, Transformer]:
    """The area as one shapely geometry in its local projection (corridors and sites buffered
    with 64 segments per quarter circle, for drawing and overlap tests) and that projection.

    For deciding whether a point is in a corridor or site use `distance_to_area_m`, which is
    exact where the buffer is a polygon inscribed in the true edge."""
    metric = metric_area(area)
    if metric.half_width_m == 0:
        return metric.core, metric.transformer
    return shapely.buffer(metric.core, metric.half_width_m, quad_segs=BUFFER_QUAD_SEGS), (
        metric.transformer
    )


def distance_to_area_m(area: Area, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Ground distance in metres from each point to the area; 0 inside and on its boundary."""
    metric = metric_area(area)
    return metric.distance_m(*metric.project(lon, lat))


def _forward(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
