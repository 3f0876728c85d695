"""Classification of point incidents against agreement areas (docs/formats.md §4), over arrays.

The incidents are sorted once into coarse longitude/latitude buckets. Per feature, the buckets
under its box grown by its reach (half width plus the largest precision) give the incidents
that could be related; the feature's grid (`grid`) settles most of them from the cell they
fall in, and only the rest are projected into the feature's local metric projection (or
measured geodesically, for sites) and tested with shapely's vectorised predicates. Never a
Python step per incident. Semantics (closed sets, edges, tolerance): see `metric`.
"""

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

import numpy as np
import shapely

from parley.engines import timewin

from .areas import Area
from .grid import Grid, build_grid
from .metric import BOUNDARY_TOLERANCE_M, MetricArea, metric_area

INSIDE = 1
NEAR = 2
RELATIONS = {INSIDE: "inside", NEAR: "near"}

# Lower bounds of the length of one degree on WGS 84 (of latitude: 110 574 m at the equator;
# of longitude: 111 320 m × cos(latitude)), rounded down so that grown boxes only err wide.
_METRES_PER_DEGREE_LAT = 110_000.0
_METRES_PER_DEGREE_LON_AT_EQUATOR = 111_000.0
_BUCKET_DEG = 0.05
_WORKERS = os.cpu_count() or 1


@dataclass(frozen=True, eq=False)
class PreparedArea:
    area: Area
    metric: MetricArea
    bounds: tuple[float, float, float, float]
    grid: Grid | None = None


@dataclass(frozen=True)
class ClassRow:
    incident_id: str
    feature_id: str
    agreement: str
    relation: str
    in_window: bool


def prepare_areas(areas: Sequence[Area], *, grids: bool = True) -> list[PreparedArea]:
    """The areas ready for `classify_arrays`; without `grids` every candidate point gets the
    exact test (the reference the grids are tested against)."""

    def prepare(area: Area) -> PreparedArea:
        metric = metric_area(area)
        grid = None
        if grids:
            shapely.prepare(area.geometry)
            grid = build_grid(area.geometry, metric.half_width_m, metric.is_polygon)
        return PreparedArea(area=area, metric=metric, bounds=area.geometry.bounds, grid=grid)

    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        return list(pool.map(prepare, areas))


def classify_arrays(
    prepared_areas: Sequence[PreparedArea],
    lon: np.ndarray,
    lat: np.ndarray,
    t_ns: np.ndarray,
    precision: np.ndarray,
    t_end_ns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every related (incident, feature) pair, ordered by incident then feature.

    Inputs are parallel arrays, one entry per incident: degrees, UTC instants as int64
    nanoseconds since the epoch, and the radius of location uncertainty in metres (0 = exact).
    With `t_end_ns`, each incident is the interval `[t_ns, t_end_ns)` (a day, for a feed that
    knows only the date) and is in a window when it shares an instant with one.
    Returns `(incident_idx, feature_idx, relation_code, in_window)`, with `relation_code`
    `INSIDE` when the point is in the area (boundary included) and `NEAR` when it is outside
    but at most `precision` metres from it.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    instants = np.asarray(t_ns, dtype=np.int64).view("datetime64[ns]")
    ends = None if t_end_ns is None else np.asarray(t_end_ns, dtype=np.int64).view("datetime64[ns]")
    precision = np.nan_to_num(np.asarray(precision, dtype=float), nan=0.0)
    largest_precision = float(precision.max(initial=0.0))

    buckets = _Buckets(lon, lat)

    def classify_one(
        feature_index: int,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        prepared = prepared_areas[feature_index]
        reach = prepared.metric.half_width_m + largest_precision
        candidates = buckets.in_grown_box(prepared.bounds, reach)
        if candidates.size == 0:
            return None
        codes = _relations(prepared, lon[candidates], lat[candidates], precision[candidates])
        related = codes > 0
        incidents = candidates[related]
        if incidents.size == 0:
            return None
        if ends is None:
            in_window = timewin.active_at(prepared.area.windows, instants[incidents])
        else:
            in_window = timewin.overlaps_any(
                prepared.area.windows, instants[incidents], ends[incidents]
            )
        return incidents, np.full(incidents.size, feature_index), codes[related], in_window

    # NumPy, shapely and pyproj release the GIL in their loops: features run side by side.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        found = [part for part in pool.map(classify_one, range(len(prepared_areas))) if part]

    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=bool)
    incident_idx, feature_idx, relation, in_window = (
        np.concatenate(part) for part in zip(*found, strict=True)
    )
    order = np.lexsort((feature_idx, incident_idx))
    return (
        incident_idx[order].astype(np.int64),
        feature_idx[order].astype(np.int64),
        relation[order].astype(np.int8),
        in_window[order],
    )


def _relations(
    prepared: PreparedArea, lon: np.ndarray, lat: np.ndarray, precision: np.ndarray
) -> np.ndarray:
    codes = np.zeros(lon.shape, dtype=np.int8)
    unsure = np.ones(lon.shape, dtype=bool)
    if prepared.grid is not None:
        inside, near, unrelated = prepared.grid.settle(lon, lat, precision, BOUNDARY_TOLERANCE_M)
        codes[inside] = INSIDE
        codes[near] = NEAR
        unsure = ~(inside | near | unrelated)
    if unsure.any():
        inside, near = prepared.metric.inside_or_near(lon[unsure], lat[unsure], precision[unsure])
        exact = np.zeros(inside.shape, dtype=np.int8)
        exact[inside] = INSIDE
        exact[near] = NEAR
        codes[unsure] = exact
    return codes


class _Buckets:
    """The incidents sorted into `_BUCKET_DEG` squares, so that finding those in a feature's box
    costs a few binary searches instead of a pass over every incident."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        self.lon, self.lat = lon, lat
        self.columns = math.ceil(360 / _BUCKET_DEG) + 1
        column = np.floor((lon + 180) / _BUCKET_DEG).astype(np.int64)
        row = np.floor((lat + 90) / _BUCKET_DEG).astype(np.int64)
        keys = row * self.columns + column
        if keys.size and keys.max() - keys.min() < 1 << 16:
            # Incidents of one region: 16-bit keys, which NumPy sorts by radix.
            self.order = np.argsort((keys - keys.min()).astype(np.uint16), kind="stable")
        else:
            self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]

    def in_grown_box(
        self, bounds: tuple[float, float, float, float], reach_m: float
    ) -> np.ndarray:
        """The indices of the incidents in the box grown by `reach_m`, in no set order."""
        box = _grown_box(bounds, reach_m)
        if box is None:
            return np.flatnonzero(_in_grown_box(bounds, reach_m, self.lon, self.lat))
        west, south, east, north = box
        first_column = math.floor((west + 180) / _BUCKET_DEG)
        last_column = math.floor((east + 180) / _BUCKET_DEG)
        rows = np.arange(math.floor((south + 90) / _BUCKET_DEG),
                         math.floor((north + 90) / _BUCKET_DEG) + 1)
        starts = np.searchsorted(self.sorted_keys, rows * self.columns + first_column, "left")
        ends = np.searchsorted(self.sorted_keys, rows * self.columns + last_column, "right")
        if not (ends > starts).any():
            return np.zeros(0, dtype=np.int64)
        picked = np.concatenate([self.order[a:b] for a, b in zip(starts, ends, strict=True)])
        lon, lat = self.lon[picked], self.lat[picked]
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        return cast(np.ndarray, picked[inside])


def _grown_box(
    bounds: tuple[float, float, float, float], reach_m: float
) -> tuple[float, float, float, float] | None:
    """The box of `_in_grown_box` when it is a plain box (not around a pole, not across the
    antimeridian); else None."""
    min_lon, min_lat, max_lon, max_lat = bounds
    margin = reach_m * 1.01 + 1.0
    dlat = margin / _METRES_PER_DEGREE_LAT
    south, north = min_lat - dlat, max_lat + dlat
    poleward = max(abs(south), abs(north))
    if poleward >= 89.9:
        return None
    dlon = margin / (_METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(poleward)))
    west, east = min_lon - dlon, max_lon + dlon
    if west < -180 or east > 180:
        return None
    return west, max(south, -90.0), east, min(north, 90.0)


def _in_grown_box(
    bounds: tuple[float, float, float, float], reach_m: float, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Whether each point lies in the feature's box grown by `reach_m` metres on every side:
    a cheap test that never leaves out a point within `reach_m` of the feature."""
    min_lon, min_lat, max_lon, max_lat = bounds
    margin = reach_m * 1.01 + 1.0
    dlat = margin / _METRES_PER_DEGREE_LAT
    south, north = min_lat - dlat, max_lat + dlat
    in_lat = (lat >= south) & (lat <= north)
    poleward = max(abs(south), abs(north))
    if poleward >= 89.9:
        return in_lat
    dlon = margin / (_METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(poleward)))
    if dlon >= 180:
        return in_lat
    west, east = min_lon - dlon, max_lon + dlon
    in_lon = ((lon >= west) & (lon <= east)) | (lon + 360 <= east) | (lon - 360 >= west)
    return in_lat & in_lon


def classify_points(
    areas: Sequence[Area],
    ids: Sequence[str],
    lon: np.ndarray,
    lat: np.ndarray,
    times: np.ndarray,
    precision_m: np.ndarray,
) -> list[ClassRow]:
    """The rows of docs/formats.md §4 for point incidents; `times` is a datetime64 array in UTC."""
    t_ns = np.asarray(times).astype("datetime64[ns]").view(np.int64)
    incident_idx, feature_idx, relation, in_window = classify_arrays(
        prepare_areas(areas), lon, lat, t_ns, precision_m
    )
    return [
        ClassRow(
            incident_id=ids[i],
            feature_id=areas[f].id,
            agreement=areas[f].agreement,
            relation=RELATIONS[int(code)],
            in_window=bool(active),
        )
        for i, f, code, active in zip(
            incident_idx.tolist(), feature_idx.tolist(), relation.tolist(), in_window.tolist(),
            strict=True,
        )
    ]
