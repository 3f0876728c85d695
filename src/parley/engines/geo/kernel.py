"""The exact test of `metric` compiled with numba, over only the edges near each point.

For the points the grid leaves undecided, `MetricArea.inside_or_near` asks shapely, which
builds a Point object per point and walks a tree per test. Here a polygon's or corridor's
densified edges (the same segments, in the same local projection, as `MetricArea.core`) are
indexed by a uniform grid in metres: per cell the segments whose box touches it (CSR: `starts`,
`segments`). Per point, compiled code then
- counts the crossings of a ray going east with the segments of the cells of its row (a
  polygon's holes and parts need no special case: the count's parity tells inside), counting
  each segment once, in the cell where it crosses;
- when the point is not inside by that count, measures the least distance to the segments of
  the cells within its reach (half width, 1 mm and its precision), as GEOS measures a point to
  a segment.
The relation is then the reference's: inside when the parity is odd or the distance is at most
half width + 1 mm (so a point on the boundary, whatever the parity says there, is inside), near
when it is at most that plus the precision. Sites keep the geodesic test of `metric` (pyproj's
own, a few points per site).

Without numba (it cannot be imported) `compile_area` answers None and the classifier uses
`metric`, the reference these kernels are tested against (`test_geo_kernel.py`).
Compiled code is cached (`cache=True`) in the `__pycache__` beside this file, or, where that
is read-only, in numba's user-wide cache (`NUMBA_CACHE_DIR` moves it): only the first run on a
machine compiles, for a few seconds.
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer

from .metric import BOUNDARY_TOLERANCE_M, MetricArea

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; the reference path remains
    njit = None

# Compiled once per machine (the cache), callable from several threads at once (no GIL).
_compiled = njit(cache=True, nogil=True) if njit is not None else (lambda function: function)

# Cells per side of the edge index: about two per sqrt(segment), so a boundary cell holds a few
# segments, within bounds that keep the index small for large features and useful for tiny ones.
_MIN_CELLS, _MAX_CELLS = 8, 512
_INSIDE, _NEAR = 1, 2


@dataclass(frozen=True, eq=False)
class CompiledArea:
    """A polygon's or corridor's segments in its local projection, indexed by cell."""

    transformer: Transformer
    is_polygon: bool
    half_width_m: float
    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int
    starts: np.ndarray
    segments: np.ndarray

    def inside_or_near(
        self, lon: np.ndarray, lat: np.ndarray, precision: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """As `MetricArea.inside_or_near`, point for point."""
        x, y = self.transformer.transform(np.asarray(lon, dtype=float),
                                           np.asarray(lat, dtype=float))
        codes = _relations(
            np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(y, dtype=float),
            np.ascontiguousarray(precision, dtype=float), self.is_polygon,
            self.half_width_m + BOUNDARY_TOLERANCE_M, self.ax, self.ay, self.bx, self.by,
            self.x0, self.y0, self.cell_m, self.nx, self.ny, self.starts, self.segments,
        )
        return codes == _INSIDE, codes == _NEAR


def compile_area(metric: MetricArea) -> CompiledArea | None:
    """The area's edge index, or None for a site or when numba is missing."""
    if njit is None or metric.is_site:
        return None
    parts = shapely.get_parts(metric.core)
    if metric.is_polygon:
        parts = shapely.get_rings(parts)
    ax, ay, bx, by = [], [], [], []
    for part in parts:
        coords = shapely.get_coordinates(part)
        ax.append(coords[:-1, 0])
        ay.append(coords[:-1, 1])
        bx.append(coords[1:, 0])
        by.append(coords[1:, 1])
    ax, ay, bx, by = (np.ascontiguousarray(np.concatenate(a)) for a in (ax, ay, bx, by))
    x0 = float(min(ax.min(), bx.min()))
    y0 = float(min(ay.min(), by.min()))
    span = max(float(max(ax.max(), bx.max())) - x0, float(max(ay.max(), by.max())) - y0)
    cells = min(max(math.ceil(2 * math.sqrt(ax.size)), _MIN_CELLS), _MAX_CELLS)
    cell_m = max(span / cells, 1.0)
    nx = ny = int(span // cell_m) + 1
    starts, segments = _index(ax, ay, bx, by, x0, y0, cell_m, nx, ny)
    return CompiledArea(
        transformer=metric.transformer, is_polygon=metric.is_polygon,
        half_width_m=metric.half_width_m, ax=ax, ay=ay, bx=bx, by=by, x0=x0, y0=y0,
        cell_m=cell_m, nx=nx, ny=ny, starts=starts, segments=segments,
    )


@_compiled
def _column_range(ax, bx, x0, cell_m, nx):
    first = int(math.floor((min(ax, bx) - x0) / cell_m))
    last = int(math.floor((max(ax, bx) - x0) / cell_m))
    return max(first, 0), min(last, nx - 1)


@_compiled
def _index(ax, ay, bx, by, x0, y0, cell_m, nx, ny):
    """CSR of cell (row-major, row = y) → the segments whose box touches it."""
    counts = np.zeros(nx * ny + 1, dtype=np.int64)
    for s in range(ax.size):
        c0, c1 = _column_range(ax[s], bx[s], x0, cell_m, nx)
        r0, r1 = _column_range(ay[s], by[s], y0, cell_m, ny)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                counts[r * nx + c + 1] += 1
    starts = np.cumsum(counts)
    filled = starts[:-1].copy()
    segments = np.empty(starts[-1], dtype=np.int32)
    for s in range(ax.size):
        c0, c1 = _column_range(ax[s], bx[s], x0, cell_m, nx)
        r0, r1 = _column_range(ay[s], by[s], y0, cell_m, ny)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                segments[filled[r * nx + c]] = s
                filled[r * nx + c] += 1
    return starts, segments


@_compiled
def _segment_distance(px, py, ax, ay, bx, by):
    """GEOS's `Distance::pointToSegment`, operation for operation, so that the comparisons
    with a reach give what shapely's `dwithin` gives."""
    if ax == bx and ay == by:
        return math.sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay))
    length2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay)
    r = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2
    if r <= 0.0:
        return math.sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay))
    if r >= 1.0:
        return math.sqrt((px - bx) * (px - bx) + (py - by) * (py - by))
    s = ((ay - py) * (bx - ax) - (ax - px) * (by - ay)) / length2
    return abs(s) * math.sqrt(length2)


@_compiled
def _relations(x, y, precision, is_polygon, reach, ax, ay, bx, by, x0, y0, cell_m, nx, ny,
                  starts, segments):
    """Per point `_INSIDE`, `_NEAR` or 0."""
    codes = np.zeros(x.size, dtype=np.int8)
    for i in range(x.size):
        px, py = x[i], y[i]
        if is_polygon and _odd_crossings(px, py, ax, ay, bx, by, x0, y0, cell_m, nx, ny,
                                         starts, segments):
            codes[i] = _INSIDE
            continue
        farthest = reach + precision[i]
        # The box of the cells to search, widened a little so that rounding never drops a cell.
        margin = farthest * 1.000001 + 1e-6
        c0 = max(int(math.floor((px - margin - x0) / cell_m)), 0)
        c1 = min(int(math.floor((px + margin - x0) / cell_m)), nx - 1)
        r0 = max(int(math.floor((py - margin - y0) / cell_m)), 0)
        r1 = min(int(math.floor((py + margin - y0) / cell_m)), ny - 1)
        nearest = math.inf
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = r * nx + c
                for k in range(starts[cell], starts[cell + 1]):
                    s = segments[k]
                    d = _segment_distance(px, py, ax[s], ay[s], bx[s], by[s])
                    nearest = min(nearest, d)
            if nearest <= reach:
                break
        if nearest <= reach:
            codes[i] = _INSIDE
        elif nearest <= farthest:
            codes[i] = _NEAR
    return codes


@_compiled
def _odd_crossings(px, py, ax, ay, bx, by, x0, y0, cell_m, nx, ny, starts, segments):
    """Whether a ray from the point going east crosses the segments an odd number of times.
    Every segment that crosses the ray's line lies in the point's row; a segment spanning
    several cells of the row is counted only in the cell where it crosses (clamped to the
    cells it was indexed in, so rounding cannot count it twice or never)."""
    row = int(math.floor((py - y0) / cell_m))
    if row < 0 or row >= ny:
        return False
    first = max(int(math.floor((px - x0) / cell_m)), 0)
    odd = False
    for c in range(first, nx):
        cell = row * nx + c
        for k in range(starts[cell], starts[cell + 1]):
            s = segments[k]
            sax, say, sbx, sby = ax[s], ay[s], bx[s], by[s]
            if (say > py) == (sby > py):
                continue
            crossing = (sbx - sax) * (py - say) / (sby - say) + sax
            if not px < crossing:
                continue
            low, high = _column_range(sax, sbx, x0, cell_m, nx)
            at = min(max(int(math.floor((crossing - x0) / cell_m)), low), high)
            if at == c:
                odd = not odd
    return odd

