"""Hazards reported by monitors (a mined or impassable segment, shelling): a GeoJSON
FeatureCollection of Point, LineString or Polygon features (or their Multi- forms) with `id`,
`kind` and an optional `note`."""

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from parley.engines import geo

from .errors import FeatureError, InputValidationError, gettext_noop
from .movements import features_of, read_positions

HAZARD_KINDS = ("mined", "impassable", "shelling", "other")
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
_VALIDITY = re.compile(r"^(?P<what>.*?)\[(?P<x>\S+) (?P<y>\S+)\]$")


@dataclass(frozen=True, eq=False)
class Hazard:
    id: str
    kind: str
    note: str
    geometry: BaseGeometry


def parse_hazards(data: Any) -> list[Hazard]:
    """Validate hazards and return them in file order; `InputValidationError` lists every
    problem of every feature."""
    errors: list[FeatureError] = []
    hazards: list[Hazard] = []
    seen: set[str] = set()
    for index, feature in enumerate(features_of(data)):
        label = f"#{index}"
        problems: list[tuple[str | None, str, str]] = []
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(
                FeatureError(
                    label,
                    gettext_noop('is not a GeoJSON Feature (an object with "type": "Feature")'),
                )
            )
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            properties = {}
            problems.append(("properties", gettext_noop("must be an object with id and kind"), ""))
        identifier = properties.get("id", feature.get("id"))
        if (
            isinstance(identifier, str | int)
            and not isinstance(identifier, bool)
            and str(identifier).strip()
        ):
            label = str(identifier).strip()
            if label in seen:
                problems.append(
                    ("id", gettext_noop("is used twice: an earlier hazard has the same id"), "")
                )
            seen.add(label)
        else:
            problems.append(("id", gettext_noop("is missing: every hazard needs an id"), ""))
        kind = properties.get("kind")
        if not isinstance(kind, str) or kind not in HAZARD_KINDS:
            problems.append(
                (
                    "kind",
                    gettext_noop("must be one of mined, impassable, shelling, other"),
                    repr(kind),
                )
            )
            kind = ""  # never used: a feature with a problem makes no hazard
        note = properties.get("note", "")
        if note is None:
            note = ""
        if not isinstance(note, str):
            problems.append(("note", gettext_noop("must be a text"), repr(note)))
        geometry, geometry_problems = _read_geometry(feature.get("geometry"))
        problems.extend(geometry_problems)
        errors.extend(
            FeatureError(label, reason, field, detail) for field, reason, detail in problems
        )
        if not problems:
            hazards.append(Hazard(label, kind, note.strip(), geometry))
    if errors:
        raise InputValidationError(errors)
    return hazards


def _read_geometry(geometry: Any) -> tuple[BaseGeometry | None, list[tuple[str, str, str]]]:
    if not isinstance(geometry, dict):
        return None, [("geometry", gettext_noop("is missing: a hazard needs a geometry"), "")]
    geometry_type = geometry.get("type")
    if geometry_type not in _DEPTH:
        return None, [
            (
                "geometry.type",
                gettext_noop("must be Point, LineString or Polygon (or a Multi- form of them)"),
                repr(geometry_type),
            )
        ]
    coordinates = geometry.get("coordinates")
    sequences, problems = _sequences(coordinates, _DEPTH[geometry_type], "geometry.coordinates")
    if problems:
        return None, problems
    parts: list[tuple[str, np.ndarray]] = []
    for where, items in sequences:
        positions, problems = read_positions(items, where)
        if problems:
            return None, problems
        if positions is None:
            raise TypeError(f"{where}: read_positions gave neither positions nor problems")
        parts.append((where, positions))
    for where, positions in parts:
        problem = _sequence_problem(geometry_type, positions)
        if problem:
            return None, [(where, problem, "")]
    if not isinstance(coordinates, list):  # _sequences names anything else as a problem
        raise TypeError(f"geometry.coordinates: a list was expected, got {coordinates!r}")
    shape = geo.build_geometry(geometry_type, [positions for _, positions in parts], coordinates)
    if geometry_type.endswith("Polygon") and not shape.is_valid:
        raw = shapely.is_valid_reason(shape)
        found = _VALIDITY.match(raw)
        where = (
            f"{found['what']} near longitude {float(found['x']):g}, latitude {float(found['y']):g}"
            if found
            else raw
        )
        return None, [("geometry", gettext_noop("is not a valid polygon"), where)]
    return shape, []


def _sequences(
    value: Any, depth: int, where: str
) -> tuple[list[tuple[str, list[Any]]], list[tuple[str, str, str]]]:
    """The innermost position arrays of a coordinates tree, with where each is."""
    if depth == 0:
        return [(where, [value])], []
    if depth == 1:
        return [(where, value)], []
    if not isinstance(value, list) or not value:
        return [], [(where, gettext_noop("must be a non-empty array"), "")]
    sequences: list[tuple[str, list[Any]]] = []
    for k, item in enumerate(value):
        found, problems = _sequences(item, depth - 1, f"{where}[{k}]")
        if problems:
            return [], problems
        sequences.extend(found)
    return sequences, []


def _sequence_problem(geometry_type: str, positions: np.ndarray) -> str:
    if geometry_type.endswith("Polygon"):
        if len(positions) < 4:
            return gettext_noop("a ring needs at least 4 positions (the last repeating the first)")
        if not np.array_equal(positions[0], positions[-1]):
            return gettext_noop("the ring is not closed: its last position must repeat its first")
    elif geometry_type.endswith("LineString") and len(positions) < 2:
        return gettext_noop("a line needs at least 2 positions")
    elif not len(positions):
        return gettext_noop("has no positions")
    return ""
