"""Agreement areas: validation (docs/formats.md §2), corridors and sites in true metres, and the
classification of point incidents against them (docs/formats.md §4)."""

from .areas import (
    GEOMETRY_TYPES,
    KINDS,
    MAX_VERTICES,
    Area,
    as_feature_collection,
    build_geometry,
    parse_areas,
)
from .bbox import bbox_intersects
from .classify import (
    INSIDE,
    NEAR,
    RELATIONS,
    ClassRow,
    PreparedArea,
    classify_arrays,
    classify_points,
    prepare_areas,
)
from .errors import AreaError, GeoValidationError
from .metric import MetricArea, area_shape_m, distance_to_area_m, local_projection, metric_area

__all__ = [
    "as_feature_collection",
    "bbox_intersects",
    "build_geometry",
    "GEOMETRY_TYPES",
    "INSIDE",
    "KINDS",
    "MAX_VERTICES",
    "NEAR",
    "RELATIONS",
    "Area",
    "AreaError",
    "ClassRow",
    "GeoValidationError",
    "MetricArea",
    "PreparedArea",
    "area_shape_m",
    "classify_arrays",
    "classify_points",
    "distance_to_area_m",
    "local_projection",
    "metric_area",
    "parse_areas",
    "prepare_areas",
]
