"""Humanitarian movements: a GeoJSON route with a schedule, read and validated as
docs/formats.md §5.

Validation never stops at the first problem: every movement is checked and every problem is
named with the movement, the field and the reason.
"""

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pyproj import Geod

from parley.engines import bounds, timewin

from .errors import FeatureError, InputValidationError, gettext_noop

PURPOSES = ("aid", "evacuation", "medevac", "repair", "exchange")
MAX_VERTICES = 100_000

_GEOD = Geod(ellps="WGS84")
_NS_PER_S = 1_000_000_000
_MS_PER_KMH = 1000 / 3600


@dataclass(frozen=True, slots=True)
class Vehicle:
    type: str
    plate: str


@dataclass(frozen=True, slots=True)
class CargoItem:
    item: str
    quantity: float
    unit: str


@dataclass(frozen=True, eq=False, slots=True)
class Movement:
    """One notified movement: route vertices in longitude/latitude with the UTC instant at which
    the movement is at each (`times`, datetime64[ns], non-decreasing)."""

    id: str
    index: int
    organisation: str
    agreement: str
    purpose: str
    notified_at: datetime
    lon: np.ndarray
    lat: np.ndarray
    times: np.ndarray
    vehicle_count: int | None
    vehicles: tuple[Vehicle, ...]
    personnel: int | None
    cargo: tuple[CargoItem, ...]
    properties: dict[str, Any]

    @property
    def first_instant(self) -> datetime:
        return instant(self.times[0])

    @property
    def last_instant(self) -> datetime:
        return instant(self.times[-1])


def instant(value: np.datetime64) -> datetime:
    """A datetime64[ns] as an aware UTC datetime (whole microseconds: what the input can carry)."""
    micros = int(np.datetime64(value, "ns").astype(np.int64)) // 1000
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=micros)


def ticks(moment: datetime) -> int:
    """An aware datetime as int64 nanoseconds since the epoch."""
    delta = moment - datetime.fromtimestamp(0, UTC)
    return (delta.days * 86_400 + delta.seconds) * _NS_PER_S + delta.microseconds * 1000


def features_of(data: Any) -> list[Any]:
    """The features of a FeatureCollection, or the one Feature given on its own."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputValidationError(
            [
                FeatureError(
                    None,
                    gettext_noop("is not a GeoJSON FeatureCollection or Feature"),
                    detail=f"its type is {found!r}",
                )
            ]
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise InputValidationError(
            [FeatureError(None, gettext_noop("the FeatureCollection has no 'features' array"))]
        )
    return features


def parse_movements(data: Any, *, agreements: Collection[str] | None = None) -> list[Movement]:
    """Validate movements (docs/formats.md §5) and return them in file order.

    `agreements`, when given, are the agreement codes of the areas file; a movement under any
    other agreement is an error. Static-site notifications (`Point` features of kind `site`)
    travel in the same files but are not movements, so they are left out. Raises
    `InputValidationError` listing every problem of every movement.
    """
    errors: list[FeatureError] = []
    movements: list[Movement] = []
    first_index_of_id: dict[str, int] = {}
    for index, feature in enumerate(features_of(data)):
        if _is_site(feature):
            continue
        reader = _MovementReader(index, feature, first_index_of_id, agreements)
        movement = reader.read()
        errors.extend(reader.errors)
        if movement is not None:
            movements.append(movement)
    if errors:
        raise InputValidationError(errors)
    return movements


def _is_site(feature: Any) -> bool:
    if not isinstance(feature, dict):
        return False
    geometry, properties = feature.get("geometry"), feature.get("properties")
    return (
        isinstance(geometry, dict)
        and geometry.get("type") in ("Point", "MultiPoint")
        and isinstance(properties, dict)
        and properties.get("kind") == "site"
    )


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def read_positions(
    coordinates: Any, field: str
) -> tuple[np.ndarray | None, list[tuple[str, str, str]]]:
    """Longitude/latitude rows of a position array, or the problems found, as (field, reason,
    detail). Latitude or longitude out of range is reported once, with how many positions."""
    if not isinstance(coordinates, list):
        return None, [(field, gettext_noop("must be an array of positions"), "")]
    for j, position in enumerate(coordinates):
        if not (
            isinstance(position, list)
            and len(position) in (2, 3)
            and all(is_number(value) for value in position)
        ):
            return None, [
                (
                    f"{field}[{j}]",
                    gettext_noop(
                        "must be a position [longitude, latitude]: two numbers "
                        "(a third, the altitude, is allowed and ignored)"
                    ),
                    repr(position),
                )
            ]
    positions = np.array([position[:2] for position in coordinates], dtype=float).reshape(-1, 2)
    for axis, limit, reason in (
        (1, 90.0, gettext_noop("latitude outside ±90, the usual sign of swapped coordinates")),
        (0, 180.0, gettext_noop("longitude outside ±180, the usual sign of swapped coordinates")),
    ):
        bad = np.flatnonzero(np.abs(positions[:, axis]) > limit)
        if bad.size:
            lon, lat = positions[bad[0]]
            more = f" and {bad.size - 1} more positions" if bad.size > 1 else ""
            return None, [(f"{field}[{bad[0]}]", reason, f"[{lon:g}, {lat:g}]{more}")]
    return positions, []


class _MovementReader:
    """Reads one feature, collecting every problem instead of stopping at the first."""

    def __init__(
        self,
        index: int,
        feature: Any,
        first_index_of_id: dict[str, int],
        agreements: Collection[str] | None,
    ) -> None:
        self.index = index
        self.feature = feature
        self.first_index_of_id = first_index_of_id
        self.agreements = agreements
        self.label = f"#{index}"
        self.zone: str | None = None
        self.errors: list[FeatureError] = []

    def problem(self, field: str | None, reason: str, detail: str = "") -> None:
        self.errors.append(FeatureError(self.label, reason, field, detail))

    def read(self) -> Movement | None:
        feature = self.feature
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.problem(
                None, gettext_noop('is not a GeoJSON Feature (an object with "type": "Feature")')
            )
            return None
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            self.problem(
                "properties",
                gettext_noop("must be an object with the movement's id, agreement and schedule"),
            )
            return None
        movement_id = self.read_id(properties)
        self.zone = self.read_zone(properties.get("tz"))
        positions = self.read_route(feature.get("geometry"))
        organisation = self.read_text(properties, "organisation")
        agreement = self.read_agreement(properties)
        purpose = self.read_purpose(properties)
        notified_at = self.read_instant(properties.get("notified_at"), "notified_at")
        times = self.read_schedule(properties, positions)
        vehicle_count, vehicles = self.read_vehicles(properties.get("vehicles"))
        personnel = self.read_personnel(properties.get("personnel"))
        cargo = self.read_cargo(properties.get("cargo"))
        if self.errors:
            return None
        assert positions is not None and times is not None and notified_at is not None
        return Movement(
            id=movement_id,
            index=self.index,
            organisation=organisation,
            agreement=agreement,
            purpose=purpose,
            notified_at=notified_at,
            lon=positions[:, 0].copy(),
            lat=positions[:, 1].copy(),
            times=times,
            vehicle_count=vehicle_count,
            vehicles=vehicles,
            personnel=personnel,
            cargo=cargo,
            properties=dict(properties),
        )

    def read_id(self, properties: dict[str, Any]) -> str:
        identifier = properties.get("id", self.feature.get("id"))
        if identifier is None:
            self.problem("id", gettext_noop("is missing: every movement needs an id"))
            return self.label
        if isinstance(identifier, bool) or not isinstance(identifier, str | int):
            self.problem("id", gettext_noop("must be a string or a whole number"), repr(identifier))
            return self.label
        text = str(identifier).strip()
        if not text:
            self.problem("id", gettext_noop("is empty"))
            return self.label
        self.label = text
        if text in self.first_index_of_id:
            self.problem(
                "id",
                gettext_noop("is used twice: an earlier movement has the same id"),
                f"movement #{self.first_index_of_id[text]}",
            )
        else:
            self.first_index_of_id[text] = self.index
        return text

    def read_zone(self, value: Any) -> str | None:
        """docs/formats.md §1: a naive local time needs an IANA zone; `tz` gives it for every
        instant of the movement that has no offset of its own."""
        if value is None:
            return None
        if isinstance(value, str):  # ZoneInfo raises TypeError for any other JSON value
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError, TypeError):
                pass
            else:
                return value
        self.problem(
            "tz", gettext_noop("is not an IANA time zone such as Europe/Kyiv"), repr(value)
        )
        return None

    def read_route(self, geometry: Any) -> np.ndarray | None:
        if not isinstance(geometry, dict):
            self.problem(
                "geometry", gettext_noop("is missing: a movement needs a LineString route")
            )
            return None
        if geometry.get("type") != "LineString":
            self.problem(
                "geometry.type",
                gettext_noop("must be LineString: a movement's route is one line"),
                repr(geometry.get("type")),
            )
            return None
        positions, problems = read_positions(geometry.get("coordinates"), "geometry.coordinates")
        for field, reason, detail in problems:
            self.problem(field, reason, detail)
        if positions is None:
            return None
        if len(positions) < 2:
            self.problem(
                "geometry.coordinates",
                gettext_noop("a route needs at least 2 positions"),
                f"it has {len(positions)}",
            )
            return None
        if len(positions) > MAX_VERTICES:
            self.problem(
                "geometry.coordinates",
                gettext_noop("has more than 100 000 vertices; simplify the route"),
                f"it has {len(positions)}",
            )
            return None
        return positions

    def read_text(self, properties: dict[str, Any], name: str) -> str:
        value = properties.get(name)
        if value is None:
            self.problem(name, gettext_noop("is missing"))
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(name, gettext_noop("must be a non-empty text"), repr(value))
            return ""
        return value.strip()

    def read_agreement(self, properties: dict[str, Any]) -> str:
        agreement = self.read_text(properties, "agreement")
        if agreement and self.agreements is not None and agreement not in self.agreements:
            self.problem(
                "agreement",
                gettext_noop("is not an agreement of the areas file"),
                repr(agreement),
            )
        return agreement

    def read_purpose(self, properties: dict[str, Any]) -> str:
        purpose = properties.get("purpose")
        if purpose is None:
            self.problem(
                "purpose",
                gettext_noop("is missing: use one of aid, evacuation, medevac, repair, exchange"),
            )
        elif purpose not in PURPOSES:
            self.problem(
                "purpose",
                gettext_noop(
                    "is not a purpose; use one of aid, evacuation, medevac, repair, exchange"
                ),
                repr(purpose),
            )
        return purpose if isinstance(purpose, str) else ""

    def read_instant(self, value: Any, field: str) -> datetime | None:
        if value is None:
            self.problem(field, gettext_noop("is missing"))
            return None
        if not isinstance(value, str):
            self.problem(
                field, gettext_noop("must be an ISO 8601 date and time with offset"), repr(value)
            )
            return None
        try:
            return timewin.parse_instant(value, self.zone, field=field)
        except timewin.WindowError as problem:
            self.problem(problem.field, problem.reason, problem.detail or value)
            return None

    def read_schedule(
        self, properties: dict[str, Any], positions: np.ndarray | None
    ) -> np.ndarray | None:
        has_times = "times" in properties
        has_depart = "depart" in properties or "speed_kmh" in properties
        if has_times and has_depart:
            self.problem(
                "times",
                gettext_noop("give either times or depart and speed_kmh, not both"),
            )
            return None
        if has_times:
            return self.read_times(properties["times"], positions)
        if has_depart:
            return self.read_depart_speed(properties, positions)
        self.problem(
            "times",
            gettext_noop("is missing: give times (one per route vertex) or depart and speed_kmh"),
        )
        return None

    def read_times(self, items: Any, positions: np.ndarray | None) -> np.ndarray | None:
        if not isinstance(items, list):
            self.problem(
                "times", gettext_noop("must be an array of ISO 8601 instants, one per route vertex")
            )
            return None
        instants = [self.read_instant(value, f"times[{k}]") for k, value in enumerate(items)]
        if positions is not None and len(items) != len(positions):
            self.problem(
                "times",
                gettext_noop("must have one instant per route vertex"),
                f"{len(items)} given for a route of {len(positions)} vertices",
            )
        present = [moment for moment in instants if moment is not None]
        if len(present) != len(instants) or not present:
            return None
        values = np.array([ticks(moment) for moment in present], dtype=np.int64)
        backwards = np.flatnonzero(np.diff(values) < 0)
        if backwards.size:
            k = int(backwards[0]) + 1
            self.problem(
                f"times[{k}]",
                gettext_noop("is earlier than the time before it; times must not decrease"),
                f"{items[k]} after {items[k - 1]}",
            )
            return None
        return values.view("datetime64[ns]")

    def read_depart_speed(
        self, properties: dict[str, Any], positions: np.ndarray | None
    ) -> np.ndarray | None:
        depart = self.read_instant(properties.get("depart"), "depart")
        speed = properties.get("speed_kmh")
        if speed is None:
            self.problem("speed_kmh", gettext_noop("is missing: depart needs speed_kmh"))
            return None
        if not is_number(speed):
            self.problem(
                "speed_kmh", gettext_noop("must be a number of kilometres per hour"), repr(speed)
            )
            return None
        if speed <= 0:
            self.problem("speed_kmh", gettext_noop("must be greater than zero"), f"{speed:g}")
            return None
        if speed > bounds.RANGES["speed_kmh"].high:
            self.problem("speed_kmh", gettext_noop("must be at most 300 km/h"), f"{speed:g}")
            return None
        if depart is None or positions is None:
            return None
        return schedule_from_speed(positions[:, 0], positions[:, 1], depart, float(speed))

    def read_vehicles(self, value: Any) -> tuple[int | None, tuple[Vehicle, ...]]:
        if value is None:
            return None, ()
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                self.problem("vehicles", gettext_noop("must not be negative"), str(value))
                return None, ()
            if value > bounds.RANGES["max_vehicles"].high:
                self.problem("vehicles", gettext_noop("must be at most 10 000 vehicles"),
                             str(value))
                return None, ()
            return value, ()
        if not isinstance(value, list):
            self.problem(
                "vehicles",
                gettext_noop("must be a number of vehicles or a list of {type, plate}"),
                repr(value),
            )
            return None, ()
        vehicles = []
        for k, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(
                    f"vehicles[{k}]", gettext_noop("must be an object {type, plate}"), repr(item)
                )
                continue
            texts = []
            for name in ("type", "plate"):
                text = item.get(name)
                if not isinstance(text, str) or not text.strip():
                    self.problem(
                        f"vehicles[{k}].{name}",
                        gettext_noop("must be a non-empty text"),
                        repr(text),
                    )
                texts.append(text.strip() if isinstance(text, str) else "")
            vehicles.append(Vehicle(*texts))
        return len(value), tuple(vehicles)

    def read_personnel(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, list):
            return len(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        self.problem(
            "personnel",
            gettext_noop("must be a whole number of people, or a list of them"),
            repr(value),
        )
        return None

    def read_cargo(self, value: Any) -> tuple[CargoItem, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(
                "cargo", gettext_noop("must be a list of {item, quantity, unit}"), repr(value)
            )
            return ()
        cargo = []
        for k, entry in enumerate(value):
            where = f"cargo[{k}]"
            if not isinstance(entry, dict):
                self.problem(
                    where, gettext_noop("must be an object {item, quantity, unit}"), repr(entry)
                )
                continue
            item, quantity, unit = entry.get("item"), entry.get("quantity"), entry.get("unit")
            good = True
            for name, text in (("item", item), ("unit", unit)):
                if not isinstance(text, str) or not text.strip():
                    self.problem(
                        f"{where}.{name}", gettext_noop("must be a non-empty text"), repr(text)
                    )
                    good = False
            if not is_number(quantity) or quantity < 0:
                self.problem(
                    f"{where}.quantity",
                    gettext_noop("must be a number, zero or more"),
                    repr(quantity),
                )
                good = False
            elif quantity > bounds.RANGES["cargo_quantity"].high:
                self.problem(
                    f"{where}.quantity",
                    gettext_noop("must be at most 1 000 000 000"),
                    repr(quantity),
                )
                good = False
            # The isinstance and is_number checks always hold when good (checked above); they
            # narrow the types.
            if good and isinstance(item, str) and isinstance(unit, str) and is_number(quantity):
                cargo.append(CargoItem(item.strip(), float(quantity), unit.strip()))
        return tuple(cargo)


def schedule_from_speed(
    lon: np.ndarray, lat: np.ndarray, depart: datetime, speed_kmh: float
) -> np.ndarray:
    """Vertex instants of a movement leaving the first vertex at `depart` and keeping `speed_kmh`
    along the geodesic between vertices (nanoseconds, rounded to whole microseconds as the
    input format can carry no finer)."""
    legs = np.asarray(_GEOD.line_lengths(lon, lat), dtype=float).reshape(-1)
    elapsed_s = np.concatenate(([0.0], np.cumsum(legs))) / (speed_kmh * _MS_PER_KMH)
    elapsed_us = np.rint(elapsed_s * 1e6).astype(np.int64)
    return (ticks(depart) + elapsed_us * 1000).view("datetime64[ns]")
