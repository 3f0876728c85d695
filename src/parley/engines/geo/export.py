"""Areas as other systems read them: RFC 7946 GeoJSON, CAP 1.2 polygons and KML.

Parley keeps a corridor as a line with a width and a site as a point with a radius, which is
exact; a generic client (a web map, QGIS, a GPS unit) draws only the line or the point. The
functions here give the area itself as polygons in longitude/latitude, drawn so that they never
leave out a point of the area:

- arcs are drawn with vertices on a circle slightly larger than the true one, so that every
  chord lies outside the true arc (a polygon *circumscribed* about the area, never inscribed);
- simplification (for CAP, whose consumers want a few hundred points, not thousands) works on an
  outline pushed outwards by the tolerance first, and the result is checked to cover the area.

Coordinates go out rounded to `DECIMALS` (1e-6 degrees: at most 0.11 m on the ground) unless
rounding would change the shape's topology (a ring touching itself, a hole touching its shell),
in which case one more decimal is kept.
"""

import math
import xml.etree.ElementTree as ElementTree  # noqa: S405 - only builds XML, never parses
from collections.abc import Iterator
from typing import Any, cast

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import split

from .areas import POLYGONAL, Area, parse_areas
from .metric import BUFFER_QUAD_SEGS, _forward, metric_area

DECIMALS = 6
CAP_TOLERANCE_M = 50.0  # CAP consumers want hundreds of points, not thousands
AREA_TOLERANCE_M = 5.0  # `?shape=area` exports: a few metres outwards, under 1 000 vertices
# A regular polygon with n vertices on a circle of radius r / cos(pi / n) contains the circle;
# the margin covers the rounding of coordinates to DECIMALS and the edges' return to lon/lat.
_CIRCUMSCRIBE = 1 / math.cos(math.pi / (4 * BUFFER_QUAD_SEGS))
_MARGIN_M = 0.1


def area_polygon(area: Area, tolerance_m: float = 0.0) -> BaseGeometry:
    """The area as a (Multi)Polygon in longitude/latitude that contains every point of it:
    polygons as they are, corridors and sites as their outline at half their width, simplified
    outwards by at most `tolerance_m`."""
    if area.geometry.geom_type in POLYGONAL:
        return area.geometry
    shape_m, transformer = _outline_m(area)
    return _to_lonlat(_simplified_outwards(shape_m, tolerance_m), transformer)


def _simplified_outwards(shape_m: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """Fewer vertices, never a smaller area: the outline is pushed out by the tolerance, then
    simplified by it (Douglas-Peucker moves no edge by more than that); kept only if it still
    covers the original."""
    if tolerance_m <= 0:
        return shape_m
    grown = shape_m.buffer(tolerance_m * 1.01, quad_segs=8)
    simplified = grown.simplify(tolerance_m, preserve_topology=True)
    if simplified.covers(shape_m) and (shapely.get_num_coordinates(simplified)
                                       < shapely.get_num_coordinates(shape_m)):
        return simplified
    return shape_m


def cap_polygons(area: Area, tolerance_m: float = CAP_TOLERANCE_M) -> list[Polygon]:
    """Polygons without holes whose union is the area (holes become the gaps between pieces),
    each simplified to `tolerance_m` in a way that never shrinks the area.

    CAP 1.2 has no holes: a `<polygon>` is one closed ring. A polygon with holes is cut through
    each hole until no piece has one, so the pieces together cover exactly the area.
    """
    shape_m, transformer = _outline_m(area)
    shape_m = _simplified_outwards(shape_m, tolerance_m)
    pieces = [piece for polygon in _polygons(shape_m) for piece in hole_free(polygon)]
    return [_to_lonlat(piece, transformer) for piece in pieces]


def hole_free(polygon: Polygon) -> list[Polygon]:
    """Pieces without holes whose union is `polygon`: it is cut along the vertical line through
    a point of each hole, which opens that hole onto the outside of each piece."""
    if not polygon.interiors:
        return [polygon]
    hole = polygon.interiors[0]
    _, min_y, _, max_y = polygon.bounds
    hole_xs = np.asarray(hole.coords)[:, 0]
    # A vertical line through the hole's middle, not a vertex, so the cut is never along an edge.
    x = (hole_xs.min() + hole_xs.max()) / 2
    cutter = LineString([(x, min_y - 1), (x, max_y + 1)])
    pieces = []
    for part in split(polygon, cutter).geoms:
        if isinstance(part, Polygon) and part.area > 0:
            pieces.extend(hole_free(part))
    return pieces


def rfc7946_geometry(geometry: BaseGeometry, decimals: int = DECIMALS) -> dict[str, Any]:
    """A GeoJSON geometry as RFC 7946 asks: exterior rings counter-clockwise, holes clockwise
    (§3.1.6), coordinates rounded to `decimals` (§11.2) without changing the shape's topology."""
    rounded = _round(geometry, decimals)
    if rounded.geom_type in POLYGONAL:
        rounded = shapely.orient_polygons(rounded, exterior_cw=False)
    plain: dict[str, Any] = _plain(mapping(rounded))
    return plain


def crosses_antimeridian(geometry: BaseGeometry) -> bool:
    """Whether a geometry spans more than 180 degrees of longitude, which RFC 7946 §3.1.9 reads
    as crossing the antimeridian; such a geometry must be cut in two before it is exported."""
    min_lon, _, max_lon, _ = cast(tuple[float, float, float, float], geometry.bounds)
    return max_lon - min_lon > 180


def kml_coordinates(ring: Any, decimals: int = DECIMALS) -> str:
    """KML's `lon,lat` tuples separated by spaces."""
    return " ".join(f"{x:.{decimals}f},{y:.{decimals}f}" for x, y, *_ in ring)


def polygon_rings(
    geometry: BaseGeometry,
) -> Iterator[tuple[list[tuple[float, ...]], list[list[tuple[float, ...]]]]]:
    """(exterior, holes) of every polygon of a (Multi)Polygon, oriented as RFC 7946 asks."""
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    for polygon in _polygons(oriented):
        yield list(polygon.exterior.coords), [list(ring.coords) for ring in polygon.interiors]


def _outline_m(area: Area) -> tuple[BaseGeometry, Transformer]:
    metric = metric_area(area)
    if metric.is_polygon:
        return metric.core, metric.transformer
    core, transformer = metric.core, metric.transformer
    if metric.is_site:
        # The projection is centred on the sites' bounding box: one site's circle is exact.
        core = shapely.transform(core, lambda xy: _forward(transformer, xy))
    radius = metric.half_width_m * _CIRCUMSCRIBE + _MARGIN_M
    shape = shapely.buffer(core, radius, quad_segs=BUFFER_QUAD_SEGS)
    return shape, transformer


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def _to_lonlat(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def inverse(xy: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, inverse)


def _round(geometry: BaseGeometry, decimals: int) -> BaseGeometry:
    for places in (decimals, decimals + 1):
        rounded = shapely.transform(geometry, lambda xy, p=places: np.round(xy, p))
        if geometry.geom_type not in POLYGONAL or rounded.is_valid:
            return rounded
    return geometry


def _plain(value: Any) -> Any:
    """shapely's mapping() gives tuples; JSON encoders and validators expect lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def rfc7946_collection(fc: dict[str, Any], *, as_areas: bool = False) -> dict[str, Any]:
    """A FeatureCollection of agreement areas as RFC 7946 asks (winding, rounding).

    With `as_areas`, corridors and sites become the polygons they stand for (`area_polygon`),
    for clients that cannot buffer a line; their width moves to `drawn_from`, since a polygon
    with a `width_m` is not a valid Parley area."""
    areas = {area.index: area for area in parse_areas(fc)} if as_areas else {}
    features = []
    for index, feature in enumerate(fc.get("features", [])):
        geometry = shapely.geometry.shape(feature["geometry"])
        properties = dict(feature.get("properties") or {})
        if as_areas and geometry.geom_type not in POLYGONAL:
            width = properties.pop("width_m", None)
            properties["drawn_from"] = {"type": geometry.geom_type, "width_m": width}
            geometry = area_polygon(areas[index], AREA_TOLERANCE_M)
        out = {"type": "Feature", "geometry": rfc7946_geometry(geometry),
               "properties": properties}
        if "id" in feature:
            out = {"type": "Feature", "id": feature["id"], **out}
        features.append(out)
    return {"type": "FeatureCollection", "features": features}


KML_NAMESPACE = "http://www.opengis.net/kml/2.2"


def kml_areas(name: str, fc: dict[str, Any]) -> str:
    """The areas as KML 2.2 for GPS units and Google Earth: every area as the polygon it
    stands for (holes as inner boundaries), with a corridor's line and a site's point beside
    it in the same Placemark."""
    ElementTree.register_namespace("", KML_NAMESPACE)

    def child(parent: Any, tag: str, text: str | None = None) -> Any:
        element = ElementTree.SubElement(parent, f"{{{KML_NAMESPACE}}}{tag}")
        if text is not None:
            element.text = text
        return element

    root = ElementTree.Element(f"{{{KML_NAMESPACE}}}kml")
    document = child(root, "Document")
    child(document, "name", name)
    for area in parse_areas(fc):
        placemark = child(document, "Placemark")
        child(placemark, "name", str(area.properties.get("name") or area.id))
        geometries = child(placemark, "MultiGeometry")
        shape = area_polygon(area, AREA_TOLERANCE_M)
        for exterior, holes in polygon_rings(_round(shape, DECIMALS)):
            polygon = child(geometries, "Polygon")
            outer = child(child(polygon, "outerBoundaryIs"), "LinearRing")
            child(outer, "coordinates", kml_coordinates(exterior))
            for hole in holes:
                inner = child(child(polygon, "innerBoundaryIs"), "LinearRing")
                child(inner, "coordinates", kml_coordinates(hole))
        core = area.geometry
        for part in getattr(core, "geoms", [core]):
            if part.geom_type == "LineString":
                child(child(geometries, "LineString"), "coordinates",
                      kml_coordinates(part.coords))
            elif part.geom_type == "Point":
                child(child(geometries, "Point"), "coordinates", kml_coordinates(part.coords))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
