"""A uniform longitude/latitude grid over one area that settles most points without measuring.

Each cell is marked from the area's densified vertices alone:
- *edge* cells are those the area's edge (a polygon's rings, a corridor's line, a site's
  points) may pass through; their points get the exact test of `metric`;
- any other cell of a polygon lies wholly inside or wholly outside it, which one test of its
  centre tells;
- every cell carries bounds of how far beyond the area's edge its points lie, from the
  distance between its centre and the nearest edge cell's. A point is then settled as
  inside, near (beyond by at most its precision) or unrelated when the bounds decide, and
  measured exactly otherwise.

Bounds use metres per degree rounded the safe way, 1 % slack and 1 m more, so the grid never
decides a point the exact test would decide otherwise; it only leaves points to that test
(`tests/unit/engines/geo/test_geo_grid.py` checks this on random areas and points).
"""

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

# Cells along the longer side: at least CELLS_PER_SIDE, more for a large area (a long corridor)
# so that cells are at most TARGET_CELL_M across, up to MAX_CELLS_PER_SIDE.
CELLS_PER_SIDE = 192
TARGET_CELL_M = 500.0
MAX_CELLS_PER_SIDE = 768
_MAX_ROWS_SEARCHED = 96
_FEW_MARKED = 32
MIN_CELL_M = 50.0
# Points up to this far beyond a corridor or site, or outside a polygon, are in the grid: as far
# as the coarsest location precision of the feeds (ACLED's 25 km) and a little more, so that a
# point outside the grid is unrelated whatever its precision up to that.
GRID_MARGIN_M = 30_000.0
_SLACK = 0.01
_SLACK_M = 1.0
# Metres per degree on WGS 84, bounds: latitude 110 574–111 694; longitude 111 320 × cos(lat).
_LAT_M_MIN, _LAT_M_MAX = 110_000.0, 111_700.0
_LON_M_MIN, _LON_M_MAX = 111_000.0, 111_400.0


@dataclass(frozen=True, eq=False)
class Grid:
    west: float
    south: float
    cell_lon: float
    cell_lat: float
    nx: int
    ny: int
    inside: np.ndarray  # bool per cell (flattened, row = latitude index): wholly inside
    beyond_min_m: np.ndarray  # float32 per cell: its points lie at least this far beyond
    beyond_max_m: np.ndarray  # float32 per cell: and at most this far
    margin_m: float  # a point outside the grid lies at least this far beyond the edge

    def settle(
        self, lon: np.ndarray, lat: np.ndarray, precision: np.ndarray, tolerance_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which points are surely inside, surely near, surely unrelated; the rest (none of
        the three) need the exact test. `tolerance_m` is the exact test's boundary tolerance."""
        column = np.floor((lon - self.west) / self.cell_lon)
        row = np.floor((lat - self.south) / self.cell_lat)
        in_grid = (column >= 0) & (column < self.nx) & (row >= 0) & (row < self.ny)
        cell = np.where(in_grid, row * self.nx + column, 0).astype(np.int64)
        inside = in_grid & self.inside[cell]
        low = self.beyond_min_m[cell]
        high = self.beyond_max_m[cell]
        near = in_grid & ~inside & (low > tolerance_m) & (high <= precision)
        # Outside the grid a point lies at least the margin beyond the edge (the grid's box is
        # grown by it with metres per degree rounded down).
        beyond_at_least = np.where(in_grid, low, self.margin_m)
        unrelated = beyond_at_least > precision + tolerance_m
        return inside, near, unrelated


def build_grid(geometry: BaseGeometry, half_width_m: float, is_polygon: bool) -> Grid | None:
    """The grid of one area (lon/lat geometry, as in the file), or None near the poles or the
    antimeridian, where the exact test alone is used."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    reach_m = half_width_m + GRID_MARGIN_M
    south = min_lat - reach_m / _LAT_M_MIN
    north = max_lat + reach_m / _LAT_M_MIN
    poleward = max(abs(south), abs(north))
    if poleward > 85:
        return None
    equatorward = 0.0 if south <= 0 <= north else min(abs(south), abs(north))
    cos_far, cos_near = math.cos(math.radians(poleward)), math.cos(math.radians(equatorward))
    west = min_lon - reach_m / (_LON_M_MIN * cos_far)
    east = max_lon + reach_m / (_LON_M_MIN * cos_far)
    if west < -180 or east > 180:
        return None
    # Square cells on the ground.
    longer_m = max((east - west) * _LON_M_MIN * cos_far, (north - south) * _LAT_M_MIN)
    cell_m = max(
        min(longer_m / CELLS_PER_SIDE, max(TARGET_CELL_M, longer_m / MAX_CELLS_PER_SIDE)),
        MIN_CELL_M,
    )
    cell_lat = cell_m / _LAT_M_MIN
    cell_lon = cell_m / (_LON_M_MIN * cos_far)
    nx = max(math.ceil((east - west) / cell_lon), 1)
    ny = max(math.ceil((north - south) / cell_lat), 1)

    # Vertices at most a quarter cell (`step`) apart, so every point of the edge is within half
    # a step of one. The square of half-side 1.5 steps around each vertex is smaller than a
    # cell, so its corners' cells are all the cells it touches: marking them marks every cell
    # the edge passes through, and leaves every unmarked point at least a step from the edge.
    step = min(cell_lon, cell_lat) / 4
    vertices = shapely.get_coordinates(
        shapely.segmentize(geometry.boundary if is_polygon else geometry, step)
    )
    cell_min_m = min(cell_lon * _LON_M_MIN * cos_far, cell_lat * _LAT_M_MIN)
    edge = np.zeros((ny, nx), dtype=bool)
    for dx in (-1.5 * step, 1.5 * step):
        for dy in (-1.5 * step, 1.5 * step):
            edge |= _mark(vertices[:, 0] + dx, vertices[:, 1] + dy, west, south, cell_lon,
                          cell_lat, nx, ny)
    clearance_m = step * min(_LON_M_MIN * cos_far, _LAT_M_MIN)

    cell_max_m = max(cell_lon * _LON_M_MAX * cos_near, cell_lat * _LAT_M_MAX)
    cell_diagonal_m = math.hypot(cell_lon * _LON_M_MAX * cos_near, cell_lat * _LAT_M_MAX)
    # Distances in cells between this cell's centre and the nearest edge cell's (D), or the
    # nearest cell holding a vertex (V). A point of the cell is within half a diagonal of its
    # centre, and so is the edge of its cell's: the edge is at least D cells less a diagonal
    # away (and an unmarked cell at least the clearance). A vertex lies on the edge, which is
    # then at most V cells and a diagonal away.
    # Searched as far as the grid reaches beyond the area, so that the bounds are tight for
    # every precision up to the margin.
    rows_searched = min(math.ceil(reach_m / cell_min_m) + 2, _MAX_ROWS_SEARCHED)
    edge_cells, exact_up_to = _cells_away(edge, rows_searched)
    at_least_cells = np.minimum(edge_cells, exact_up_to + 1)
    edge_at_least_m = np.maximum(
        (1 - _SLACK) * (at_least_cells * cell_min_m - cell_diagonal_m) - _SLACK_M, clearance_m
    )
    has_vertex = _mark(vertices[:, 0], vertices[:, 1], west, south, cell_lon, cell_lat, nx, ny)
    vertex_cells = _cells_away(has_vertex, rows_searched)[0]
    edge_at_most_m = (1 + _SLACK) * (vertex_cells * cell_max_m + cell_diagonal_m) + _SLACK_M
    if is_polygon:
        inside = _runs_inside(geometry, edge, west, south, cell_lon, cell_lat)
        beyond_min = np.where(inside, -np.inf, edge_at_least_m)
        beyond_max = np.where(inside, 0.0, edge_at_most_m)
    else:
        inside = edge_at_most_m <= half_width_m
        beyond_min = edge_at_least_m - half_width_m
        beyond_max = edge_at_most_m - half_width_m
    beyond_min = np.where(edge, -np.inf, beyond_min)
    return Grid(west=west, south=south, cell_lon=cell_lon, cell_lat=cell_lat, nx=nx, ny=ny,
                inside=inside.ravel(), beyond_min_m=beyond_min.ravel().astype(np.float32),
                beyond_max_m=beyond_max.ravel().astype(np.float32),
                margin_m=(1 - _SLACK) * GRID_MARGIN_M - _SLACK_M)


def _runs_inside(
    geometry: BaseGeometry, edge: np.ndarray, west: float, south: float, cell_lon: float,
    cell_lat: float,
) -> np.ndarray:
    """Which cells lie inside the polygon. Along a row, the cells between two edge cells form a
    run the edge does not cross: the centre of its first cell tells for the whole run."""
    ny, nx = edge.shape
    first = ~edge & np.pad(edge, ((0, 0), (1, 0)), constant_values=True)[:, :-1]
    run = np.cumsum(first.ravel()) - 1
    rows, columns = np.nonzero(first)
    inside_run = shapely.intersects_xy(
        geometry, west + (columns + 0.5) * cell_lon, south + (rows + 0.5) * cell_lat
    )
    inside = cast(npt.NDArray[np.bool_], inside_run[np.maximum(run, 0)])
    return ~edge & inside.reshape(ny, nx)


def _mark(lon: np.ndarray, lat: np.ndarray, west: float, south: float, cell_lon: float,
          cell_lat: float, nx: int, ny: int) -> np.ndarray:
    cells = np.zeros((ny, nx), dtype=bool)
    columns = np.clip(np.floor((lon - west) / cell_lon).astype(np.int64), 0, nx - 1)
    rows = np.clip(np.floor((lat - south) / cell_lat).astype(np.int64), 0, ny - 1)
    cells[rows, columns] = True
    return cells


def _cells_away(marked: np.ndarray, rows_searched: int) -> tuple[np.ndarray, float]:
    """Euclidean distance in cells from each cell's centre to the nearest marked cell's, and up
    to what distance it is exact: beyond that (`rows_searched` cells, unless few cells are
    marked) it is an upper bound, and the true distance is at least that plus one.

    Per row, the distance along the row; then per cell the least over those rows r' of
    (r - r')² + (distance along row r')²."""
    ny, nx = marked.shape
    rows, columns = np.nonzero(marked)
    if rows.size <= _FEW_MARKED:
        # A site's few points: measured from every cell, exactly, however far.
        row_gap = (np.arange(ny)[:, None, None] - rows) ** 2
        column_gap = (np.arange(nx)[None, :, None] - columns) ** 2
        return np.sqrt((row_gap + column_gap).min(axis=2)), math.inf
    far = nx + ny + 1
    columns = np.arange(nx, dtype=np.int32)
    before = np.maximum.accumulate(np.where(marked, columns, -far), axis=1)
    after = np.minimum.accumulate(np.where(marked, columns, 2 * far)[:, ::-1], axis=1)[:, ::-1]
    along = np.minimum(columns - before, after - columns) ** 2
    squared = along.copy()
    for shift in range(1, min(rows_searched, ny - 1) + 1):
        np.minimum(squared[shift:], along[:-shift] + shift * shift, out=squared[shift:])
        np.minimum(squared[:-shift], along[shift:] + shift * shift, out=squared[:-shift])
    return np.sqrt(squared), rows_searched
