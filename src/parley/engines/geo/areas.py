"""Agreement areas: a GeoJSON FeatureCollection read and validated as docs/formats.md §2.

Validation never stops at the first problem: every feature is checked and every bad one is
reported, so that a person fixing a file sees the whole list at once.
"""

import math
import re
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, cast

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from parley.engines import bounds, timewin

from .errors import AreaError, GeoValidationError

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
PUNTAL = frozenset({"Point", "MultiPoint"})
GEOMETRY_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint")
KINDS = ("pause", "ceasefire", "site")
CONDITIONS = ("lead_time_h", "margin_min")
MAX_VERTICES = 100_000

_SWAPPED = "the usual sign of swapped coordinates (GeoJSON puts longitude first, then latitude)"
_VALIDITY = re.compile(r"^(?P<what>.*?)\[(?P<x>\S+) (?P<y>\S+)\]$")
_VALIDITY_REASONS = {
    "Self-intersection": "self-intersecting ring: the boundary crosses itself or another ring",
    "Ring Self-intersection": "self-intersecting ring: a ring touches itself",
    "Hole lies outside shell": "a hole lies outside its polygon's outer ring",
    "Nested holes": "a hole lies inside another hole",
    "Interior is disconnected": "the holes cut the polygon's interior into separate pieces",
    "Nested shells": "one polygon of the MultiPolygon lies inside another",
    "Duplicate Rings": "two rings are the same",
    "Too few points in geometry component": "a ring has fewer than 3 distinct positions",
}


@dataclass(frozen=True, eq=False)
class Area:
    """One valid feature: the area of one agreement.

    `geometry` is in longitude/latitude as given (2-D); `windows` are the expanded occurrences
    of `specs` (the raw window objects), sorted by start.
    """

    id: str
    index: int
    agreement: str
    kind: str
    geometry: BaseGeometry
    width_m: float | None
    windows: list[timewin.Window]
    specs: list[dict[str, Any]]
    lead_time_h: float | None
    margin_min: float | None
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def geometry_type(self) -> str:
        return cast(str, self.geometry.geom_type)


class _Invalid(Exception):
    """A structural problem that makes the rest of a geometry meaningless to check."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def parse_areas(fc: Any) -> list[Area]:
    """Validate a FeatureCollection (docs/formats.md §2) and return its areas in file order.

    Raises `GeoValidationError` listing every problem of every feature.
    """
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        found = fc.get("type") if isinstance(fc, dict) else type(fc).__name__
        raise GeoValidationError(
            [AreaError(None, f"is not a GeoJSON FeatureCollection (its type is {found!r})")]
        )
    features = fc.get("features")
    if not isinstance(features, list):
        raise GeoValidationError(
            [AreaError(None, "the FeatureCollection has no 'features' array", "features")]
        )

    problems_of: list[list[AreaError]] = []
    areas: list[Area] = []
    first_index_of_id: dict[str, int] = {}
    conditions_of: list[tuple[int, str, str, dict[str, Any]]] = []
    for index, feature in enumerate(features):
        label, problems = _label(index, feature, first_index_of_id)
        area, feature_problems = _read_feature(index, label, feature)
        problems += feature_problems
        problems_of.append([AreaError(label, reason, where) for where, reason in problems])
        agreement, conditions = _agreement_and_conditions(feature)
        if agreement is not None:
            conditions_of.append((index, label, agreement, conditions))
        if area is not None and not problems:
            areas.append(area)
    for index, error in _condition_disagreements(conditions_of):
        problems_of[index].append(error)
    errors = [error for problems in problems_of for error in problems]
    if errors:
        raise GeoValidationError(errors)
    return areas


def _id_text(identifier: str | int | float) -> str:
    if isinstance(identifier, float) and identifier.is_integer():
        return str(int(identifier))
    return str(identifier)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _label(
    index: int, feature: Any, first_index_of_id: dict[str, int]
) -> tuple[str, list[tuple[str | None, str]]]:
    """The feature's name in messages and output: its id, or `#index` when it has none."""
    if not isinstance(feature, dict) or feature.get("id") is None:
        return f"#{index}", []
    identifier = feature["id"]
    if isinstance(identifier, bool) or not isinstance(identifier, str | int | float):
        return f"#{index}", [("id", "must be a string or a number")]
    label = _id_text(identifier)
    if label == "":
        return f"#{index}", [("id", "is empty")]
    if label in first_index_of_id:
        return label, [
            ("id", f"is used twice: feature #{first_index_of_id[label]} has the same id")
        ]
    first_index_of_id[label] = index
    return label, []


def _read_feature(
    index: int, label: str, feature: Any
) -> tuple[Area | None, list[tuple[str | None, str]]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, [(None, 'is not a GeoJSON Feature (an object with "type": "Feature")')]
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return None, [("properties", "must be an object with agreement, kind and windows")]
    geometry_type, geometry, problems = _geometry(feature.get("geometry"))
    problems += _property_problems(properties, geometry_type)
    windows, window_problems = _windows(properties)
    problems += window_problems
    if problems or geometry is None or windows is None:
        return None, problems
    width = properties.get("width_m")
    lead_time = properties.get("lead_time_h")
    margin = properties.get("margin_min")
    return Area(
        id=label,
        index=index,
        agreement=properties["agreement"],
        kind=properties["kind"],
        geometry=geometry,
        width_m=None if width is None else float(width),
        windows=windows,
        specs=list(properties["windows"]),
        lead_time_h=None if lead_time is None else float(lead_time),
        margin_min=None if margin is None else float(margin),
        properties=dict(properties),
    ), []


def _geometry(
    geometry: Any,
) -> tuple[str | None, BaseGeometry | None, list[tuple[str | None, str]]]:
    if not isinstance(geometry, dict):
        return None, None, [("geometry", "is missing: an area needs a geometry")]
    geometry_type = geometry.get("type")
    if geometry_type not in GEOMETRY_TYPES:
        allowed = ", ".join(GEOMETRY_TYPES)
        reason = f"geometry type {geometry_type!r} is not allowed; use one of {allowed}"
        return None, None, [("geometry.type", reason)]
    try:
        return geometry_type, _read_geometry(geometry_type, geometry.get("coordinates")), []
    except _Invalid as problem:
        return geometry_type, None, [(problem.field, problem.reason)]


def _read_geometry(geometry_type: str, coordinates: Any) -> BaseGeometry:
    """The geometry as shapely (2-D, longitude/latitude); raises `_Invalid` on the first
    problem, in the order a person would fix them: structure, size, ranges, rings, validity."""
    root = "geometry.coordinates"
    match geometry_type:
        case "Point":
            sequences = [(root, [coordinates])]
        case "MultiPoint" | "LineString":
            sequences = [(root, _array(coordinates, root))]
        case "MultiLineString" | "Polygon":
            sequences = [
                (f"{root}[{i}]", _array(part, f"{root}[{i}]"))
                for i, part in enumerate(_array(coordinates, root, non_empty=True))
            ]
        case _:
            sequences = [
                (f"{root}[{i}][{j}]", _array(ring, f"{root}[{i}][{j}]"))
                for i, polygon in enumerate(_array(coordinates, root, non_empty=True))
                for j, ring in enumerate(_array(polygon, f"{root}[{i}]", non_empty=True))
            ]
    vertices = sum(len(items) for _, items in sequences)
    if vertices > MAX_VERTICES:
        raise _Invalid(
            "geometry",
            f"has {_thousands(vertices)} vertices; at most {_thousands(MAX_VERTICES)} are "
            "allowed in one feature (simplify it or split it into several features)",
        )
    arrays = [(where, _positions(items, where, single=geometry_type == "Point"))
              for where, items in sequences]
    _check_ranges(arrays, single=geometry_type == "Point")
    for where, positions in arrays:
        _check_sequence(geometry_type, where, positions)
    geometry = build_geometry(geometry_type, [positions for _, positions in arrays], coordinates)
    if geometry_type in POLYGONAL:
        _check_validity(geometry)
    return geometry


def _array(value: Any, where: str, *, non_empty: bool = False) -> list[Any]:
    if not isinstance(value, list):
        raise _Invalid(where, "must be an array")
    if non_empty and not value:
        raise _Invalid(where, "is empty")
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _positions(items: list[Any], where: str, *, single: bool) -> np.ndarray:
    plain = _plain_positions(items)
    if plain is not None:
        return plain
    for j, position in enumerate(items):
        if not (
            isinstance(position, list)
            and len(position) in (2, 3)
            and all(_is_number(value) for value in position)
        ):
            raise _Invalid(
                where if single else f"{where}[{j}]",
                "must be a position [longitude, latitude]: two numbers "
                "(a third, the altitude, is allowed and ignored)",
            )
    return np.array([position[:2] for position in items], dtype=float).reshape(-1, 2)


def _plain_positions(items: list[Any]) -> np.ndarray | None:
    """The positions as an array when every one is a list of 2 or 3 finite numbers, checked a
    whole ring at a time (types by C-level `map`); None otherwise, for the check that names the
    bad one. JSON gives no numbers but int and float (bool is its own type)."""
    if not items or set(map(type, items)) != {list}:
        return None
    if not set(map(type, chain.from_iterable(items))) <= {int, float}:
        return None
    try:
        positions = np.array(items, dtype=float)
    except (ValueError, OverflowError):
        return None
    if positions.ndim != 2 or positions.shape[1] not in (2, 3):
        return None
    if not np.isfinite(positions).all():
        return None
    return positions[:, :2].copy()


def _check_ranges(arrays: list[tuple[str, np.ndarray]], *, single: bool) -> None:
    for axis, name, limit in ((1, "latitude", 90.0), (0, "longitude", 180.0)):
        bad = [(where, np.flatnonzero(np.abs(positions[:, axis]) > limit))
               for where, positions in arrays]
        count = sum(len(indexes) for _, indexes in bad)
        if count:
            where, indexes = next((where, indexes) for where, indexes in bad if len(indexes))
            lon, lat = arrays[[w for w, _ in arrays].index(where)][1][indexes[0]]
            others = f" (and {count - 1} more positions)" if count > 1 else ""
            raise _Invalid(
                where if single else f"{where}[{indexes[0]}]",
                f"position [{lon:g}, {lat:g}] has {name} {lat if axis else lon:g} outside "
                f"±{limit:g}{others}: {_SWAPPED}",
            )


def _check_sequence(geometry_type: str, where: str, positions: np.ndarray) -> None:
    if geometry_type in POLYGONAL:
        if len(positions) < 4:
            raise _Invalid(
                where,
                f"a ring needs at least 4 positions (the last repeating the first); "
                f"this one has {len(positions)}",
            )
        if not np.array_equal(positions[0], positions[-1]):
            raise _Invalid(
                where,
                "the ring is not closed: its last position must repeat its first "
                f"({positions[0, 0]:g}, {positions[0, 1]:g})",
            )
    elif geometry_type in LINEAR:
        if len(positions) < 2:
            raise _Invalid(
                where, f"a line needs at least 2 positions; this one has {len(positions)}"
            )
        if (positions == positions[0]).all():
            raise _Invalid(
                where, "all positions of the line are the same point (a site is a Point)"
            )
    elif len(positions) == 0:
        raise _Invalid(where, "has no positions")


def build_geometry(
    geometry_type: str, parts: list[np.ndarray], coordinates: list[Any]
) -> BaseGeometry:
    """The shapely geometry of checked GeoJSON positions: `parts` holds each ring or line's
    positions in order, `coordinates` the original nesting (to regroup a MultiPolygon's rings)."""
    match geometry_type:
        case "Point":
            return shapely.Point(parts[0][0])
        case "MultiPoint":
            return shapely.MultiPoint(parts[0])
        case "LineString":
            return shapely.LineString(parts[0])
        case "MultiLineString":
            return shapely.MultiLineString(parts)
        case "Polygon":
            return shapely.Polygon(parts[0], parts[1:])
    polygons, start = [], 0
    for polygon in coordinates:
        rings = parts[start:start + len(polygon)]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
        start += len(polygon)
    return shapely.MultiPolygon(polygons)


def _check_validity(geometry: BaseGeometry) -> None:
    raw = shapely.is_valid_reason(geometry)
    if raw == "Valid Geometry":
        return
    found = _VALIDITY.match(raw)
    if found is None:
        raise _Invalid("geometry", f"is not a valid polygon ({raw})")
    what = _VALIDITY_REASONS.get(found["what"], found["what"])
    raise _Invalid(
        "geometry", f"{what}, near longitude {float(found['x']):g}, latitude {float(found['y']):g}"
    )


def _property_problems(
    properties: dict[str, Any], geometry_type: str | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    agreement = properties.get("agreement")
    if not isinstance(agreement, str) or not agreement.strip():
        problems.append(("agreement", "is missing: name the agreement this area belongs to"))
    kind = properties.get("kind")
    if kind is None:
        problems.append(("kind", f"is missing: use one of {', '.join(KINDS)}"))
    elif kind not in KINDS:
        problems.append(("kind", f"{kind!r} is not a kind of area; use one of {', '.join(KINDS)}"))
    problems.extend(_width_problems(properties, geometry_type))
    for name in CONDITIONS:
        value = properties.get(name)
        if value is None:
            continue
        if not _is_number(value):
            problems.append((name, f"must be a number, not {value!r}"))
        elif value < 0:
            problems.append((name, f"must not be negative ({value:g})"))
        elif value > bounds.RANGES[name].high:
            problems.append((name, f"must be from {bounds.RANGES[name].text()} ({value:g})"))
    return problems


def _width_problems(properties: dict[str, Any], geometry_type: str | None) -> list[tuple[str, str]]:
    width = properties.get("width_m")
    if geometry_type in POLYGONAL:
        if width is not None:
            return [
                (
                    "width_m",
                    f"is not allowed for a {geometry_type}: a polygon is the area itself; "
                    "width_m is for corridors (lines) and sites (points)",
                )
            ]
        return []
    if geometry_type is None:
        return []
    shape = "a corridor" if geometry_type in LINEAR else "a site"
    if width is None:
        return [
            (
                "width_m",
                f"is missing: {shape} ({geometry_type}) needs its full width in metres",
            )
        ]
    if not _is_number(width):
        return [("width_m", f"must be a number of metres, not {width!r}")]
    if width <= 0:
        return [("width_m", f"must be greater than zero ({width:g})")]
    widest = bounds.RANGES["width_m"]
    if width > widest.high:
        return [("width_m", f"must be at most {widest.text()} ({width:g}): {widest.why}")]
    return []


def _windows(
    properties: dict[str, Any],
) -> tuple[list[timewin.Window] | None, list[tuple[str, str]]]:
    items = properties.get("windows")
    if items is None:
        return None, [("windows", "is missing: an area needs at least one window")]
    if not isinstance(items, list):
        return None, [("windows", "must be an array of window objects")]
    if not items:
        return None, [("windows", "is empty: an area needs at least one window")]
    try:
        return timewin.windows_from_json(items, field="windows"), []
    except timewin.WindowError as problem:
        reason = f"{problem.reason} ({problem.detail})" if problem.detail else problem.reason
        return None, [(problem.field, reason)]


def _agreement_and_conditions(feature: Any) -> tuple[str | None, dict[str, Any]]:
    """What a rejected feature still tells about its agreement's conditions, so that a
    disagreement with the other features is reported alongside its own problems."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        return None, {}
    agreement = properties.get("agreement")
    if not isinstance(agreement, str) or not agreement.strip():
        return None, {}
    conditions = {}
    for name in CONDITIONS:
        value = properties.get(name)
        if value is not None and not (_is_number(value) and value >= 0):
            continue
        conditions[name] = value
    return agreement, conditions


def _condition_disagreements(
    conditions_of: list[tuple[int, str, str, dict[str, Any]]],
) -> list[tuple[int, AreaError]]:
    """Conditions belong to the agreement: each feature must repeat those of the agreement's
    first feature (an absent condition differs from a present one)."""
    reference: dict[str, tuple[str, dict[str, Any]]] = {}
    errors = []
    for index, label, agreement, conditions in conditions_of:
        if agreement not in reference:
            reference[agreement] = (label, conditions)
            continue
        first_label, first = reference[agreement]
        for name in CONDITIONS:
            if name not in conditions or name not in first or conditions[name] == first[name]:
                continue
            errors.append((
                index,
                AreaError(
                    label,
                    f"is {_shown(conditions[name])} here but {_shown(first[name])} on feature "
                    f"{first_label} of the same agreement {agreement}; an agreement's conditions "
                    "must be the same on each of its features",
                    name,
                ),
            ))
    return errors


def _shown(value: Any) -> str:
    return "not set" if value is None else f"{value:g}"


def as_feature_collection(value: Any, *, line_width_m: float | None = None) -> Any:
    """What a person pastes, as the FeatureCollection that areas are stored as: a bare geometry
    (`Polygon`, `LineString`, `Point`, their `Multi` forms) becomes a Feature, a Feature a
    collection of one, a `GeometryCollection` one Feature per geometry. A bare line cannot carry
    its width: it takes `line_width_m` when given (the editor's width of drawn corridors).
    Anything else is returned as it is, for `parse_areas` to name what is wrong with it."""
    if not isinstance(value, dict):
        return value
    if value.get("type") == "GeometryCollection" and isinstance(value.get("geometries"), list):
        geometries = value["geometries"]
    elif value.get("type") in GEOMETRY_TYPES:
        geometries = [value]
    elif value.get("type") == "Feature":
        return {"type": "FeatureCollection", "features": [value]}
    else:
        return value
    features = []
    for geometry in geometries:
        properties: dict[str, Any] = {}
        if line_width_m and isinstance(geometry, dict) and geometry.get("type") in LINEAR:
            properties["width_m"] = line_width_m
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}
