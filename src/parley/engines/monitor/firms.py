"""NASA FIRMS active-fire CSV, VIIRS and MODIS (docs/formats.md §3): `latitude`, `longitude`,
`acq_date` + `acq_time` (HHMM in UTC, leading zeros often dropped: 130 is 01:30), `satellite`,
and when present `instrument`, `confidence` (l/n/h for VIIRS, 0–100 for MODIS), `frp`.

The location's precision is the detection's footprint: 375 m for VIIRS, 1 000 m for MODIS,
told by `instrument`, else by the file's columns (`bright_ti4` VIIRS, `brightness` MODIS),
else by the confidence's style. A detection has no id of its own: it is named by the first 16
hex digits of the SHA-1 of `satellite|YYYY-MM-DD|HHMM|latitude|longitude` (the coordinates as
Python writes the floats, so 47.50 and 47.5 name the same detection), made only for the rows
that are written out.
"""

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import columns as col
from .incidents import IncidentError, Incidents, TextColumn
from .tabular import Feed

COLUMNS = ("latitude", "longitude", "acq_date", "acq_time", "satellite")
KEPT = ("satellite", "instrument", "confidence", "frp")
VIIRS_M, MODIS_M = 375.0, 1_000.0
_INSTRUMENTS = {"viirs": VIIRS_M, "modis": MODIS_M}
_CONFIDENCE_WORDS = ("l", "n", "h", "low", "nominal", "high")
_NS_PER_MINUTE = 60 * 1_000_000_000


class DetectionIds(Sequence[str]):
    """The ids of a batch of detections, made on demand from their fields."""

    def __init__(self, satellite: pa.Array, day_ns: np.ndarray, hhmm: np.ndarray,
                 lat: np.ndarray, lon: np.ndarray) -> None:
        self._satellite = satellite
        self._day_ns, self._hhmm, self._lat, self._lon = day_ns, hhmm, lat, lon

    def __len__(self) -> int:
        return len(self._day_ns)

    @classmethod
    def concatenate(cls, parts: "list[DetectionIds]") -> "DetectionIds":
        return cls(pa.concat_arrays([part._satellite for part in parts]),
                   *(np.concatenate([getattr(part, name) for part in parts])
                     for name in ("_day_ns", "_hhmm", "_lat", "_lon")))

    def __getitem__(self, index: int | slice) -> Any:  # int -> str, slice -> list[str]
        if isinstance(index, slice):
            return self.take(np.arange(len(self))[index])
        return self.take(np.array([index]))[0]

    def take(self, indices: np.ndarray) -> list[str]:
        days = np.datetime_as_string(self._day_ns[indices].astype("datetime64[ns]"), unit="D")
        satellites = self._satellite.take(pa.array(indices, type=pa.int64())).to_pylist()
        return [
            hashlib.sha1(f"{sat}|{day}|{hhmm:04d}|{lat!r}|{lon!r}".encode(),
                         usedforsecurity=False).hexdigest()[:16]
            for sat, day, hhmm, lat, lon in zip(
                satellites, days.tolist(), self._hhmm[indices].tolist(),
                self._lat[indices].tolist(), self._lon[indices].tolist(), strict=True,
            )
        ]


def _convert(
    columns: dict[str, pa.Array], header: list[str]
) -> tuple[Incidents, list[col.Problem]]:
    satellite, problems = col.required_texts(columns["satellite"], "satellite")
    lat, lat_problems = col.coordinates(columns["latitude"], "latitude", 90.0)
    lon, lon_problems = col.coordinates(columns["longitude"], "longitude", 180.0)
    day_ns, date_problems = col.dates(columns["acq_date"], "acq_date", ())
    hhmm, time_problems = _hhmm(columns["acq_time"])
    confidence = columns.get("confidence")
    confidence_problems = [] if confidence is None else _confidence_problems(confidence)
    precision, precision_problems = _footprints(columns, header, len(satellite))
    problems += (lat_problems + lon_problems + date_problems + time_problems
                 + confidence_problems + precision_problems)
    t_ns = day_ns + (hhmm // 100 * 60 + hhmm % 100) * _NS_PER_MINUTE
    incidents = Incidents(
        ids=DetectionIds(satellite, day_ns, hhmm, lat, lon),
        lon=lon,
        lat=lat,
        t_ns=t_ns,
        precision_m=precision,
        attributes={name: TextColumn(col.texts(columns[name])) for name in KEPT if name in header},
    )
    return incidents, problems


def _hhmm(column: pa.Array) -> tuple[np.ndarray, list[col.Problem]]:
    texts = col.stripped(column).fill_null("")
    digits = pc.match_substring_regex(texts, r"^[0-9]{1,4}$")
    values = pc.if_else(digits, texts, "0").cast(pa.int64()).to_numpy(zero_copy_only=False)
    good = np.asarray(digits.to_numpy(zero_copy_only=False), dtype=bool)
    good &= (values // 100 < 24) & (values % 100 < 60)
    if good.all():
        return values, []
    cells = texts.to_pylist()
    problems = [(int(row), "acq_time", f"{cells[row]!r} is not a time HHMM in UTC (0000 to 2359)"
                 if cells[row] else "is empty") for row in np.flatnonzero(~good)]
    return np.where(good, values, 0), problems


def _confidence_problems(column: pa.Array) -> list[col.Problem]:
    texts = pc.utf8_lower(col.stripped(column).fill_null(""))
    word = pc.is_in(texts, value_set=pa.array(_CONFIDENCE_WORDS))
    number = pc.match_substring_regex(texts, r"^[0-9]+(\.[0-9]*)?$")
    good = np.asarray(pc.or_(word, number).to_numpy(zero_copy_only=False), dtype=bool)
    numbers = pc.if_else(number, texts, "0").cast(pa.float64()).to_numpy(zero_copy_only=False)
    good &= numbers <= 100
    cells = texts.to_pylist() if not good.all() else []
    return [(int(row), "confidence", f"{cells[row]!r} is not l, n, h (VIIRS) or a percentage "
             "0–100 (MODIS)") for row in np.flatnonzero(~good)]


def _footprints(
    columns: dict[str, pa.Array], header: list[str], size: int
) -> tuple[np.ndarray, list[col.Problem]]:
    """375 m for VIIRS, 1 000 m for MODIS, per row."""
    precision = np.full(size, np.nan)
    if "instrument" in columns:
        index = pc.index_in(pc.utf8_lower(col.stripped(columns["instrument"])),
                            value_set=pa.array(list(_INSTRUMENTS)))
        known = ~np.asarray(index.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        values = np.array(list(_INSTRUMENTS.values()))
        precision[known] = values[index.fill_null(0).to_numpy(zero_copy_only=False)[known]]
    unknown = np.isnan(precision)
    if not unknown.any():
        return precision, []
    if "bright_ti4" in header:
        precision[unknown] = VIIRS_M
    elif "brightness" in header:
        precision[unknown] = MODIS_M
    elif "confidence" in columns:
        texts = pc.utf8_lower(col.stripped(columns["confidence"]).fill_null(""))
        word = np.asarray(pc.is_in(texts, value_set=pa.array(_CONFIDENCE_WORDS))
                          .to_numpy(zero_copy_only=False), dtype=bool)
        precision[unknown] = np.where(word, VIIRS_M, MODIS_M)[unknown]
    unknown = np.isnan(precision)
    problems = [(int(row), "instrument", "cannot tell VIIRS (375 m) from MODIS (1 000 m): "
                 "the instrument is not VIIRS or MODIS, and the file has neither bright_ti4, "
                 "brightness nor confidence to tell by") for row in np.flatnonzero(unknown)]
    return np.nan_to_num(precision, nan=0.0), problems


def _fast(columns: dict[str, pa.Array], header: list[str]) -> Incidents | None:
    incidents, problems = _convert(columns, header)
    return None if problems else incidents


def _exact(
    cells: dict[str, list[str]], lines: np.ndarray, unit: str
) -> tuple[Incidents | None, list[IncidentError]]:
    columns = {name: pa.array(values, type=pa.string()) for name, values in cells.items()}
    incidents, problems = _convert(columns, list(cells))
    errors = [IncidentError(int(lines[row]), field, reason, unit)
              for row, field, reason in problems]
    return (None if errors else incidents), errors


FIRMS = Feed(
    name="firms",
    columns=COLUMNS,
    header_line=f"a header line with the columns {', '.join(COLUMNS)}",
    header_hint=f"a FIRMS file has the columns {', '.join(COLUMNS)}",
    fast=_fast,
    exact=_exact,
    unique_ids=False,
)
