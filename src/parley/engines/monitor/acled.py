"""ACLED exports (docs/formats.md §3): `event_id_cnty` is the id, `latitude`, `longitude`,
`event_date` a date, `geo_precision` 1/2/3.

An ACLED event is known to the day, so its time is the whole local day of the country it
happened in, [local midnight, next local midnight) in UTC: 23 or 25 hours on the day the clocks
change. The country's zone comes from `ZONES` (Ukraine Europe/Kyiv, Russia Europe/Moscow...);
a country not in it, or a file without a `country` column, is read in UTC, and the reader
says so in its notes.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import columns as col
from .incidents import IncidentError, Incidents, TextColumn
from .tabular import Feed

COLUMNS = ("event_id_cnty", "event_date", "latitude", "longitude", "geo_precision")
KEPT = ("country", "event_type", "sub_event_type", "actor1", "actor2", "fatalities", "notes",
        "source")
# ACLED's codebook: 1 the exact town or place, 2 a nearby or part of a region, 3 the region.
PRECISION_M = {"1": 0.0, "2": 5_000.0, "3": 25_000.0}
# Older exports write dates like "15 March 2026".
DATE_FORMATS = ("%d %B %Y",)
# The zone a whole country's days are counted in; the countries of ACLED's conflicts that
# have one civil zone, and Russia on Moscow time, where the war's events are reported.
ZONES = {
    "ukraine": "Europe/Kyiv", "russia": "Europe/Moscow", "belarus": "Europe/Minsk",
    "moldova": "Europe/Chisinau", "poland": "Europe/Warsaw", "romania": "Europe/Bucharest",
    "georgia": "Asia/Tbilisi", "armenia": "Asia/Yerevan", "azerbaijan": "Asia/Baku",
    "turkey": "Europe/Istanbul", "syria": "Asia/Damascus", "lebanon": "Asia/Beirut",
    "israel": "Asia/Jerusalem", "palestine": "Asia/Gaza", "jordan": "Asia/Amman",
    "iraq": "Asia/Baghdad", "iran": "Asia/Tehran", "yemen": "Asia/Aden",
    "afghanistan": "Asia/Kabul", "pakistan": "Asia/Karachi", "myanmar": "Asia/Yangon",
    "sudan": "Africa/Khartoum", "south sudan": "Africa/Juba", "ethiopia": "Africa/Addis_Ababa",
    "somalia": "Africa/Mogadishu", "libya": "Africa/Tripoli", "mali": "Africa/Bamako",
    "burkina faso": "Africa/Ouagadougou", "niger": "Africa/Niamey", "nigeria": "Africa/Lagos",
    "colombia": "America/Bogota", "haiti": "America/Port-au-Prince",
}


def _convert(
    columns: dict[str, pa.Array], header: list[str]
) -> tuple[Incidents, list[col.Problem]]:
    ids, problems = col.required_texts(columns["event_id_cnty"], "event_id_cnty")
    lat, lat_problems = col.coordinates(columns["latitude"], "latitude", 90.0)
    lon, lon_problems = col.coordinates(columns["longitude"], "longitude", 180.0)
    day_ns, date_problems = col.dates(columns["event_date"], "event_date", DATE_FORMATS)
    precision, precision_problems = col.choices(
        columns["geo_precision"], "geo_precision", PRECISION_M,
        "is not 1, 2 or 3 (ACLED's geo_precision: the place, near it, or the region)",
    )
    problems += lat_problems + lon_problems + date_problems + precision_problems
    zone_codes, zones, notes = _zones(columns.get("country"), len(ids))
    start_ns, end_ns = local_days(day_ns, zone_codes, zones)
    incidents = Incidents(
        ids=TextColumn(ids),
        lon=lon,
        lat=lat,
        t_ns=start_ns,
        t_end_ns=end_ns,
        precision_m=precision,
        attributes={name: TextColumn(col.texts(columns[name])) for name in KEPT if name in header},
        notes=notes,
    )
    return incidents, problems


def _zones(
    country: pa.Array | None, size: int
) -> tuple[np.ndarray, list[str], tuple[str, ...]]:
    """Each row's zone as an index into the returned zone names, and notes on the countries
    read in UTC."""
    if country is None:
        note = "the ACLED file has no country column: every event_date is read as a UTC day"
        return np.zeros(size, dtype=np.int64), ["UTC"], (note,) if size else ()
    encoded = pc.dictionary_encode(col.stripped(country))
    names = encoded.dictionary.to_pylist()
    zones = [ZONES.get(name.lower(), "UTC") for name in names]
    unknown = sorted(name for name, zone in zip(names, zones, strict=True)
                     if zone == "UTC" and name.lower() not in ZONES)
    notes = tuple(f"event_date of {name or '(no country)'} read as a UTC day: Parley knows no "
                  "time zone for that country" for name in unknown)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), zones, notes


def local_days(
    day_ns: np.ndarray, zone_codes: np.ndarray, zones: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """[local midnight, next local midnight) in UTC nanoseconds of each (date, zone); dates are
    given as midnight UTC. Computed once per distinct pair, of which a file has few."""
    keys = day_ns // col.NS_PER_DAY * len(zones) + zone_codes
    distinct, inverse = np.unique(keys, return_inverse=True)
    starts = np.empty(distinct.size, dtype=np.int64)
    ends = np.empty(distinct.size, dtype=np.int64)
    for index, key in enumerate(distinct.tolist()):
        days, zone_code = divmod(key, len(zones))
        zone = ZoneInfo(zones[zone_code])
        day = date(1970, 1, 1) + timedelta(days=days)
        starts[index] = _local_midnight_ns(day, zone)
        ends[index] = _local_midnight_ns(day + timedelta(days=1), zone)
    return starts[inverse], ends[inverse]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _local_midnight_ns(day: date, zone: ZoneInfo) -> int:
    # fold=0 as docs/formats.md §1: a midnight skipped by a DST change (Beirut, Damascus, Amman)
    # takes the offset in force before the gap, which is the instant the day begins.
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone, fold=0).astimezone(UTC)
    return (midnight - _EPOCH) // timedelta(microseconds=1) * 1000


def _fast(columns: dict[str, pa.Array], header: list[str]) -> Incidents | None:
    incidents, problems = _convert(columns, header)
    return None if problems else incidents


def _exact(
    cells: dict[str, list[str]], lines: np.ndarray, unit: str
) -> tuple[Incidents | None, list[IncidentError]]:
    columns = {name: pa.array(values, type=pa.string()) for name, values in cells.items()}
    incidents, problems = _convert(columns, list(cells))
    # Repeated ids are found by the reader across the whole file (`Feed.id_column`).
    errors = [IncidentError(int(lines[row]), field, reason, unit)
               for row, field, reason in problems]
    return (None if errors else incidents), errors


ACLED = Feed(
    name="acled",
    columns=COLUMNS,
    header_line=f"a header line with the columns {', '.join(COLUMNS)}",
    header_hint=f"an ACLED export has the columns {', '.join(COLUMNS)}",
    fast=_fast,
    exact=_exact,
    id_column="event_id_cnty",
    newlines_in_values=True,
)
