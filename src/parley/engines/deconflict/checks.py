"""The checks of movements against their agreements (docs/formats.md §5) and Parley's own
warnings."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from parley.engines import bounds, geo, timewin
from parley.engines.geo.metric import EDGE_STEP_DEG

from .errors import FeatureError, InputValidationError, gettext_noop
from .hazards import Hazard
from .movements import Movement, instant, is_number, ticks
from .route import comes_within, densified, farthest_outside

BLOCKING = "blocking"
WARNING = "warning"
ROUTE_OUTSIDE_AREA = "route_outside_area"
OUTSIDE_WINDOW = "outside_window"
LATE_NOTICE = "late_notice"
CROSSING_CONGESTION = "crossing_congestion"
NEAR_HAZARD = "near_hazard"
VEHICLE_LIMIT = "vehicle_limit"
CARGO_LIMIT = "cargo_limit"
SEVERITY = {
    ROUTE_OUTSIDE_AREA: BLOCKING,
    OUTSIDE_WINDOW: BLOCKING,
    LATE_NOTICE: BLOCKING,
    CROSSING_CONGESTION: WARNING,
    NEAR_HAZARD: WARNING,
    VEHICLE_LIMIT: WARNING,
    CARGO_LIMIT: WARNING,
}
CODES = tuple(SEVERITY)

OUTSIDE_LIMIT_M = 50.0
DEFAULT_HAZARD_BUFFER_M = 500.0

_HOUR_NS = 3_600_000_000_000
_AGREEMENT_CONDITIONS = ("max_vehicles", "cargo_limits", "hazard_buffer_m")


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding about one movement; `lon`/`lat` is where it shows on the map.

    `detail` is the English sentence of the findings CSV; `params` the same facts as plain JSON
    values (instants as UTC ISO 8601 text, durations in seconds, distances in whole metres),
    from which the web layer words the finding in the reader's language.
    """

    movement_id: str
    code: str
    severity: str
    detail: str
    lon: float
    lat: float
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, eq=False)
class _Agreement:
    code: str
    metric_areas: list[geo.MetricArea]
    window_starts: np.ndarray
    window_ends: np.ndarray
    lead_time_h: float
    margin_min: float
    max_vehicles: int | None
    cargo_limits: dict[str, float]
    hazard_buffer_m: float | None


@dataclass(frozen=True, eq=False)
class _Crossing:
    area: geo.Area
    capacity_per_hour: int


def check_movements(
    areas: list[geo.Area],
    movements: list[Movement],
    hazards: list[Hazard] | None = None,
    *,
    hazard_buffer_m: float = DEFAULT_HAZARD_BUFFER_M,
) -> list[Finding]:
    """Every finding, in movement order, then in the order of `CODES`.

    `hazard_buffer_m` applies where an agreement does not set its own. Raises
    `InputValidationError` when an agreement's own conditions (`max_vehicles`, `cargo_limits`,
    `hazard_buffer_m`, crossing capacities) are malformed or a movement's agreement is unknown.
    """
    agreements = _agreements(areas)
    crossings = _crossings(areas)
    unknown = [
        FeatureError(
            m.id, gettext_noop("is not an agreement of the areas file"), "agreement", m.agreement
        )
        for m in movements
        if m.agreement not in agreements
    ]
    if unknown:
        raise InputValidationError(unknown)
    congestion = _congestion(crossings, movements)
    metric_hazards = [_metric_hazard(hazard) for hazard in hazards or []]
    findings: list[Finding] = []
    for movement in movements:
        agreement = agreements[movement.agreement]
        buffer_m = (
            agreement.hazard_buffer_m if agreement.hazard_buffer_m is not None else hazard_buffer_m
        )
        findings.extend(_route_outside_area(movement, agreement))
        findings.extend(_outside_window(movement, agreement))
        findings.extend(_late_notice(movement, agreement))
        findings.extend(congestion.get(movement.id, []))
        findings.extend(_near_hazards(movement, metric_hazards, buffer_m))
        findings.extend(_vehicle_limit(movement, agreement))
        findings.extend(_cargo_limits(movement, agreement))
    return findings


def _finding(
    movement: Movement, code: str, detail: str, lon: float, lat: float, **params: Any
) -> Finding:
    return Finding(movement.id, code, SEVERITY[code], detail, float(lon), float(lat), params)


def crossed_features(areas: list[geo.Area], movement: Movement) -> list[str]:
    """The ids of the features of the movement's agreement that its route passes through or
    within `OUTSIDE_LIMIT_M` of, in the areas' order: the same measure as
    `route_outside_area`, feature by feature. The parties that control those features are the
    ones the route concerns (the `party` property, docs/deconflict.md)."""
    return [
        area.id
        for area in areas
        if area.agreement == movement.agreement
        and comes_within(movement.lon, movement.lat, geo.metric_area(area), OUTSIDE_LIMIT_M)
    ]


# --- the blocking checks of docs/formats.md §5 -------------------------------------------


def _route_outside_area(movement: Movement, agreement: _Agreement) -> list[Finding]:
    far = farthest_outside(movement.lon, movement.lat, agreement.metric_areas, OUTSIDE_LIMIT_M)
    if far.distance_m <= OUTSIDE_LIMIT_M:
        return []
    detail = (
        f"the route goes {_metres(far.distance_m)} m outside every area of agreement "
        f"{agreement.code} (more than {OUTSIDE_LIMIT_M:.0f} m allowed), farthest at "
        f"longitude {far.lon:.6f}, latitude {far.lat:.6f}"
    )
    return [
        _finding(
            movement,
            ROUTE_OUTSIDE_AREA,
            detail,
            far.lon,
            far.lat,
            agreement=agreement.code,
            distance_m=_metres(far.distance_m),
            limit_m=round(OUTSIDE_LIMIT_M),
        )
    ]


def _outside_window(movement: Movement, agreement: _Agreement) -> list[Finding]:
    first, last = int(movement.times[0].astype(np.int64)), int(movement.times[-1].astype(np.int64))
    starts, ends = agreement.window_starts, agreement.window_ends
    current = int(np.searchsorted(starts, first, side="right")) - 1
    if current < 0 or first >= ends[current]:
        following = current + 1
        window: dict[str, Any] = {}
        if following < starts.size:
            context = f"the next window is {_window_text(starts[following], ends[following])}"
            window = {"next_window": _window_params(starts[following], ends[following])}
        elif starts.size:
            context = f"the last window was {_window_text(starts[-1], ends[-1])}"
            window = {"last_window": _window_params(starts[-1], ends[-1])}
        else:
            context = "the agreement has no window"
        detail = (
            f"the movement starts at {_utc_text(first)}, outside every window of agreement "
            f"{agreement.code}; {context}"
        )
        return [
            _finding(
                movement,
                OUTSIDE_WINDOW,
                detail,
                movement.lon[0],
                movement.lat[0],
                case="starts_outside",
                agreement=agreement.code,
                start=_utc_text(first),
                **window,
            )
        ]
    end = int(ends[current])
    margin_ns = round(agreement.margin_min * 60_000_000_000)
    deadline = end - margin_ns
    if last < end and last <= deadline:
        return []
    window_text = _window_text(starts[current], end)
    params: dict[str, Any] = {
        "agreement": agreement.code,
        "window": _window_params(starts[current], end),
        "end": _utc_text(last),
    }
    if last == end:
        detail = (
            f"the movement ends at {_utc_text(end)}, the instant the window {window_text} of "
            f"agreement {agreement.code} closes; a window's end is outside it"
        )
        where_ns = end
        params["case"] = "ends_at_close"
    elif last > end:
        detail = (
            f"the movement is still under way at {_utc_text(end)}, when the window "
            f"{window_text} of agreement {agreement.code} closes and no other window continues "
            "it; it ends at "
            f"{_utc_text(last)}"
        )
        where_ns = end
        params["case"] = "still_under_way"
    else:
        detail = (
            f"the movement ends at {_utc_text(last)}, later than {_utc_text(deadline)}: the "
            f"window {window_text} of agreement {agreement.code} closes at {_utc_text(end)} and "
            f"movements must be out {_duration_text(margin_ns)} before"
        )
        where_ns = max(deadline, first)
        params.update(case="after_margin", deadline=_utc_text(deadline), margin_s=margin_ns / 1e9)
    lon, lat = position_at(movement, where_ns)
    return [_finding(movement, OUTSIDE_WINDOW, detail, lon, lat, **params)]


def _late_notice(movement: Movement, agreement: _Agreement) -> list[Finding]:
    first = int(movement.times[0].astype(np.int64))
    notified = ticks(movement.notified_at)
    required_ns = round(agreement.lead_time_h * _HOUR_NS)
    if notified <= first - required_ns:
        return []
    given_ns = first - notified
    given = (
        f"{_duration_text(given_ns)} of notice given"
        if given_ns >= 0
        else f"notified {_duration_text(-given_ns)} after the movement starts"
    )
    detail = (
        f"{given}, {_duration_text(required_ns)} required by agreement {agreement.code} "
        f"(notified at {_utc_text(notified)}, the movement starts at {_utc_text(first)})"
    )
    return [
        _finding(
            movement,
            LATE_NOTICE,
            detail,
            movement.lon[0],
            movement.lat[0],
            agreement=agreement.code,
            notice_s=given_ns / 1e9,
            required_s=required_ns / 1e9,
            notified_at=_utc_text(notified),
            start=_utc_text(first),
        )
    ]


# --- Parley's warnings -------------------------------------------------------------------------


def _congestion(crossings: list[_Crossing], movements: list[Movement]) -> dict[str, list[Finding]]:
    """Warnings per movement id: at each crossing, the clock hours (UTC) in which more movements
    than its capacity are within its radius, whatever agreement they move under."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for crossing in crossings:
        hours: dict[int, list[Movement]] = defaultdict(list)
        for movement in movements:
            for hour in _hours_at(crossing.area, movement):
                hours[hour].append(movement)
        lon, lat = _representative_point(crossing.area)
        for hour in sorted(hours):
            present = hours[hour]
            if len(present) <= crossing.capacity_per_hour:
                continue
            names = ", ".join(m.id for m in present)
            detail = (
                f"{len(present)} movements ({names}) pass crossing {crossing.area.id} "
                f"between {_utc_text(hour * _HOUR_NS)} and {_utc_text((hour + 1) * _HOUR_NS)}; "
                f"its capacity is {crossing.capacity_per_hour} per hour"
            )
            params = {
                "count": len(present),
                "movements": [m.id for m in present],
                "crossing": crossing.area.id,
                "window": _window_params(hour * _HOUR_NS, (hour + 1) * _HOUR_NS),
                "capacity": crossing.capacity_per_hour,
            }
            for movement in present:
                found[movement.id].append(
                    _finding(movement, CROSSING_CONGESTION, detail, lon, lat, **params)
                )
    return found


def _hours_at(crossing: geo.Area, movement: Movement) -> list[int]:
    """The clock hours (as hours since the epoch, UTC) in which the movement is within the
    crossing's radius at some instant, positions between vertices moving linearly in time."""
    lon, lat, segment, u = densified(movement.lon, movement.lat)
    t = movement.times.astype(np.int64)
    # Offsets are rounded to whole nanoseconds before adding, so that instants near 1.8e18 ns
    # keep their exactness and an hour boundary is never missed by float rounding.
    at = t[segment] + np.rint(u * (t[segment + 1] - t[segment])).astype(np.int64)
    if crossing.width_m is None:  # parse_areas requires a width for every site
        raise ValueError(f"crossing {crossing.id} has no width_m")
    radius_m = crossing.width_m / 2
    hours: set[int] = set()
    for centre_lon, centre_lat in shapely.get_coordinates(crossing.geometry):
        # Centred on the site, the projection measures true distances from it.
        x, y = geo.local_projection(centre_lon, centre_lat).transform(lon, lat)
        for piece, (u_in, u_out) in _segment_visits(
            np.asarray(x), np.asarray(y), radius_m
        ):
            span = int(at[piece + 1] - at[piece])
            start = int(at[piece]) + round(u_in * span)
            stop = int(at[piece]) + round(u_out * span)
            hours.update(range(start // _HOUR_NS, stop // _HOUR_NS + 1))
    return sorted(hours)


def _segment_visits(
    x: np.ndarray, y: np.ndarray, radius: float
) -> list[tuple[int, tuple[float, float]]]:
    """For each segment that comes within `radius` of the origin, the part of it (fractions
    u_in..u_out of the segment) that is within: |A + u (B - A)|² <= r²."""
    ax, ay, dx, dy = x[:-1], y[:-1], np.diff(x), np.diff(y)
    a = dx * dx + dy * dy
    b = 2 * (ax * dx + ay * dy)
    c = ax * ax + ay * ay - radius * radius
    visits = []
    for k in np.flatnonzero(b * b - 4 * a * c >= 0):
        if a[k] == 0:
            if c[k] <= 0:
                visits.append((int(k), (0.0, 1.0)))
            continue
        root = math.sqrt(b[k] * b[k] - 4 * a[k] * c[k])
        low = max((-b[k] - root) / (2 * a[k]), 0.0)
        high = min((-b[k] + root) / (2 * a[k]), 1.0)
        if low <= high:
            visits.append((int(k), (low, high)))
    return visits


@dataclass(frozen=True, eq=False)
class _MetricHazard:
    hazard: Hazard
    projection: Transformer
    shape: BaseGeometry


def _metric_hazard(hazard: Hazard) -> _MetricHazard:
    min_lon, min_lat, max_lon, max_lat = hazard.geometry.bounds
    projection = geo.local_projection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    shape = shapely.transform(
        shapely.segmentize(hazard.geometry, EDGE_STEP_DEG),
        lambda xy: np.column_stack(projection.transform(xy[:, 0], xy[:, 1])),
    )
    return _MetricHazard(hazard, projection, shape)


def _near_hazards(
    movement: Movement, hazards: list[_MetricHazard], buffer_m: float
) -> list[Finding]:
    findings = []
    lon, lat, _, _ = densified(movement.lon, movement.lat)
    for metric in hazards:
        hazard = metric.hazard
        x, y = metric.projection.transform(lon, lat)
        route = shapely.LineString(np.column_stack([x, y]))
        distance = float(shapely.distance(route, metric.shape))
        if distance > buffer_m:
            continue
        nearest = shapely.get_coordinates(shapely.shortest_line(route, metric.shape))[0]
        at_lon, at_lat = metric.projection.transform(nearest[0], nearest[1], direction="INVERSE")
        what = f"{hazard.kind} hazard {hazard.id}" + (f" ({hazard.note})" if hazard.note else "")
        if distance == 0:
            detail = f"the route crosses the {what}"
        else:
            detail = (
                f"the route passes {_metres(distance)} m from the {what}, within the "
                f"{buffer_m:g} m to keep clear"
            )
        findings.append(
            _finding(
                movement,
                NEAR_HAZARD,
                detail,
                at_lon,
                at_lat,
                hazard=hazard.id,
                kind=hazard.kind,
                note=hazard.note or "",
                distance_m=_metres(distance),
                buffer_m=buffer_m,
            )
        )
    return findings


def _vehicle_limit(movement: Movement, agreement: _Agreement) -> list[Finding]:
    limit, count = agreement.max_vehicles, movement.vehicle_count
    if limit is None or count is None or count <= limit:
        return []
    detail = (
        f"{count} vehicles notified; agreement {agreement.code} allows at most {limit} per movement"
    )
    return [
        _finding(
            movement,
            VEHICLE_LIMIT,
            detail,
            movement.lon[0],
            movement.lat[0],
            agreement=agreement.code,
            count=count,
            limit=limit,
        )
    ]


def _cargo_limits(movement: Movement, agreement: _Agreement) -> list[Finding]:
    findings = []
    for item, limit in agreement.cargo_limits.items():
        entries = [entry for entry in movement.cargo if entry.item.casefold() == item.casefold()]
        total = sum(entry.quantity for entry in entries)
        if total <= limit:
            continue
        units = ", ".join(dict.fromkeys(entry.unit for entry in entries))
        detail = (
            f"{total:g} {units} of {item} notified; agreement {agreement.code} allows at most "
            f"{limit:g} per movement"
        )
        findings.append(
            _finding(
                movement,
                CARGO_LIMIT,
                detail,
                movement.lon[0],
                movement.lat[0],
                agreement=agreement.code,
                item=item,
                quantity=total,
                units=units,
                limit=limit,
            )
        )
    return findings


# --- agreements --------------------------------------------------------------------------------


def _agreements(areas: list[geo.Area]) -> dict[str, _Agreement]:
    by_code: dict[str, list[geo.Area]] = defaultdict(list)
    for area in areas:
        by_code[area.agreement].append(area)
    errors: list[FeatureError] = []
    agreements = {}
    for code, members in by_code.items():
        conditions = _conditions(members, errors)
        starts, ends = timewin.union_bounds(w for area in members for w in area.windows)
        agreements[code] = _Agreement(
            code=code,
            metric_areas=[geo.metric_area(area) for area in members],
            window_starts=starts,
            window_ends=ends,
            lead_time_h=max((a.lead_time_h or 0.0) for a in members),
            margin_min=max((a.margin_min or 0.0) for a in members),
            **conditions,
        )
    if errors:
        raise InputValidationError(errors)
    return agreements


def _conditions(members: list[geo.Area], errors: list[FeatureError]) -> dict[str, Any]:
    """Parley's own conditions of an agreement, read from whichever of its features carry them;
    features that carry one must agree on it."""
    values: dict[str, Any] = dict.fromkeys(_AGREEMENT_CONDITIONS)
    first_carrier: dict[str, str] = {}
    for area in members:
        for name in _AGREEMENT_CONDITIONS:
            if area.properties.get(name) is None:
                continue
            value, problem = _read_condition(name, area.properties[name])
            if problem:
                errors.append(FeatureError(area.id, problem, name, repr(area.properties[name])))
            elif name not in first_carrier:
                values[name], first_carrier[name] = value, area.id
            elif value != values[name]:
                errors.append(
                    FeatureError(
                        area.id,
                        gettext_noop(
                            "differs from another feature of the same agreement; an agreement's "
                            "conditions must be the same on each of its features"
                        ),
                        name,
                        f"feature {first_carrier[name]}",
                    )
                )
    values["cargo_limits"] = values["cargo_limits"] or {}
    return values


def _read_condition(name: str, value: Any) -> tuple[Any, str]:
    if name == "max_vehicles":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            # A stored value beyond the range reads as the range's end (never trusted on read).
            return int(bounds.clamp("max_vehicles", value)), ""
        return None, gettext_noop("must be a whole number of vehicles, zero or more")
    if name == "hazard_buffer_m":
        if is_number(value) and value >= 0:
            return float(bounds.clamp("hazard_buffer_m", value)), ""
        return None, gettext_noop("must be a number of metres, zero or more")
    if isinstance(value, dict) and all(
        isinstance(item, str) and item.strip() and is_number(limit) and limit >= 0
        for item, limit in value.items()
    ):
        return {item.strip(): float(limit) for item, limit in value.items()}, ""
    return None, gettext_noop("must be an object {item: largest quantity}, quantities zero or more")


def _crossings(areas: list[geo.Area]) -> list[_Crossing]:
    crossings, errors = [], []
    for area in areas:
        if area.properties.get("crossing") is None:
            continue
        flag, capacity = area.properties.get("crossing"), area.properties.get("capacity_per_hour")
        if not isinstance(flag, bool):
            errors.append(
                FeatureError(area.id, gettext_noop("must be true or false"), "crossing", repr(flag))
            )
            continue
        if not flag:
            continue
        if area.kind != "site" or area.geometry.geom_type not in ("Point", "MultiPoint"):
            errors.append(
                FeatureError(
                    area.id,
                    gettext_noop("only a site (a Point of kind site) can be a crossing"),
                    "crossing",
                )
            )
        elif capacity is None:
            errors.append(
                FeatureError(
                    area.id,
                    gettext_noop("is missing: a crossing needs its capacity per hour"),
                    "capacity_per_hour",
                )
            )
        elif isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            errors.append(
                FeatureError(
                    area.id,
                    gettext_noop("must be a whole number of movements, zero or more"),
                    "capacity_per_hour",
                    repr(capacity),
                )
            )
        else:
            crossings.append(_Crossing(area, capacity))
    if errors:
        raise InputValidationError(errors)
    return crossings


# --- positions and text ------------------------------------------------------------------------


def position_at(movement: Movement, at_ns: int) -> tuple[float, float]:
    """Where the movement is at an instant within its schedule: between the vertices around it,
    the fraction of the way that the elapsed fraction of their time gives."""
    t = movement.times.astype(np.int64)
    k = int(np.clip(np.searchsorted(t, at_ns, side="right") - 1, 0, t.size - 2))
    span = t[k + 1] - t[k]
    u = 0.0 if span == 0 else min(max((at_ns - t[k]) / span, 0.0), 1.0)
    lon = movement.lon[k] + u * (movement.lon[k + 1] - movement.lon[k])
    lat = movement.lat[k] + u * (movement.lat[k + 1] - movement.lat[k])
    return float(lon), float(lat)


def _representative_point(area: geo.Area) -> tuple[float, float]:
    point = area.geometry.representative_point()
    return point.x, point.y


def _utc_text(ns: int | np.integer) -> str:
    return instant(np.int64(ns).view("datetime64[ns]")).isoformat().replace("+00:00", "Z")


def _metres(distance: float) -> int:
    """Whole metres, halves rounded up as people expect (format() would round 50.5 to 50)."""
    return math.floor(distance + 0.5)


def _window_params(start_ns: int | np.integer, end_ns: int | np.integer) -> list[str]:
    return [_utc_text(start_ns), _utc_text(end_ns)]


def _window_text(start_ns: int | np.integer, end_ns: int | np.integer) -> str:
    return f"{_utc_text(start_ns)}–{_utc_text(end_ns)}"


def _duration_text(ns: int) -> str:
    """`47 h 59 min 59 s`, leaving out the parts that are zero, to the microsecond."""
    hours, rest = divmod(ns // 1000, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, micros = divmod(rest, 1_000_000)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    if rest:
        fraction = f".{micros:06d}".rstrip("0") if micros else ""
        parts.append(f"{seconds}{fraction} s")
    return " ".join(part for part in parts if part) or "0 s"
