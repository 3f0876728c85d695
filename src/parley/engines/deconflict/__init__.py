"""Checks of humanitarian movements against their agreements (docs/formats.md §5).

`parse_movements(data, agreements=...)` reads and validates movements, `parse_hazards(data)`
reported hazards, and `check_movements(areas, movements, hazards)` returns the findings, each a
`Finding(movement_id, code, severity, detail, lon, lat, params)` (`params`: the facts of the
English `detail` as plain values, for wording it in other languages), in movement order and,
for each movement, in the order of the codes below.

Blocking codes (docs/formats.md §5):

- `route_outside_area`: some point of the route is more than 50 m outside every area of the
  agreement (corridors: within `width_m / 2` of the line; sites: within `width_m / 2` of the
  point; polygons with their holes outside). The detail gives the largest distance, in whole
  metres, and where it is.
- `outside_window`: some instant from the first to the last vertex time is outside the union of
  the windows of all the agreement's features (an instant equal to a window's end is outside),
  or the last instant is later than the end of its window less `margin_min`.
- `late_notice`: `notified_at` is later than the first vertex time less `lead_time_h` (none
  set: 0); notice of exactly the lead time is enough.

Warnings (Parley's own codes):

- `crossing_congestion`: a site with `crossing: true` and `capacity_per_hour` has more movements
  within its radius in one clock hour (UTC) than its capacity. Every movement of the file counts,
  whatever its agreement, because the crossing point is one place on the ground; each movement
  present in such an hour gets the warning.
- `near_hazard`: the route comes within `hazard_buffer_m` metres (an agreement property;
  500 by default) of a hazard reported by a monitor (`--hazards`: Point, LineString or Polygon
  features with `id`, `kind` mined | impassable | shelling | other, and `note`).
- `vehicle_limit`: more vehicles than the agreement's `max_vehicles` per movement.
- `cargo_limit`: more of an item than the agreement's `cargo_limits` `{item: largest quantity}`
  per movement (items compared without regard to case; quantities of one item added up).

`crossed_features(areas, movement)` names the features of the movement's agreement that its route
passes through or within 50 m of: with their optional `party` property, the parties it concerns.

Positions between route vertices move linearly in time; distances are ground distances in
metres, measured in geo's local projection of each area.
"""

from .checks import (
    BLOCKING,
    CARGO_LIMIT,
    CODES,
    CROSSING_CONGESTION,
    DEFAULT_HAZARD_BUFFER_M,
    LATE_NOTICE,
    NEAR_HAZARD,
    OUTSIDE_LIMIT_M,
    OUTSIDE_WINDOW,
    ROUTE_OUTSIDE_AREA,
    SEVERITY,
    VEHICLE_LIMIT,
    WARNING,
    Finding,
    check_movements,
    crossed_features,
    position_at,
)
from .cli import findings_csv
from .errors import FeatureError, InputValidationError
from .hazards import HAZARD_KINDS, Hazard, parse_hazards
from .movements import PURPOSES, CargoItem, Movement, Vehicle, parse_movements, schedule_from_speed
from .route import Farthest, farthest_outside

__all__ = [
    "BLOCKING",
    "CARGO_LIMIT",
    "CODES",
    "CROSSING_CONGESTION",
    "DEFAULT_HAZARD_BUFFER_M",
    "HAZARD_KINDS",
    "LATE_NOTICE",
    "NEAR_HAZARD",
    "OUTSIDE_LIMIT_M",
    "OUTSIDE_WINDOW",
    "PURPOSES",
    "ROUTE_OUTSIDE_AREA",
    "SEVERITY",
    "VEHICLE_LIMIT",
    "WARNING",
    "CargoItem",
    "FeatureError",
    "Farthest",
    "Finding",
    "Hazard",
    "InputValidationError",
    "Movement",
    "Vehicle",
    "check_movements",
    "crossed_features",
    "farthest_outside",
    "findings_csv",
    "parse_hazards",
    "parse_movements",
    "position_at",
    "schedule_from_speed",
]
