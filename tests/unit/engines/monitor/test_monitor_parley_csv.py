"""Parley's incident CSV, docs/formats.md §3: read into arrays, every bad row named."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engines import monitor

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"
HEADER = "id,lat,lon,time,precision_m\n"


def problems(text):
    with pytest.raises(monitor.IncidentValidationError) as caught:
        monitor.parse_parley_csv(text)
    return [str(error) for error in caught.value.errors]


def test_the_sample_file_reads_into_parallel_arrays_with_extra_columns_kept():
    incidents = monitor.read_parley_csv(DATA / "incidents.csv")

    assert len(incidents) == 14
    assert incidents.ids[:3] == ["INC-001", "INC-002", "INC-003"]
    assert incidents.lat[:2].tolist() == [47.8428444, 47.8589637]
    assert incidents.lon[:2].tolist() == [35.2551917, 35.2433321]
    assert incidents.times[:4].tolist() == [
        np.datetime64("2026-03-01T07:00:00", "ns").item(),
        np.datetime64("2026-03-01T12:00:00", "ns").item(),
        np.datetime64("2026-03-29T07:30:00", "ns").item(),
        np.datetime64("2026-03-29T07:00:00", "ns").item(),
    ]
    assert incidents.precision_m[:4].tolist() == [0.0, 500.0, 0.0, 0.0]
    assert list(incidents.attributes) == ["source"]
    assert incidents.attributes["source"][:2] == ["monitor patrol", "local media"]


def test_offsets_are_converted_to_utc_nanoseconds_exactly():
    incidents = monitor.parse_parley_csv(
        HEADER
        + "a,47.5,35.5,2026-10-25T03:30:00+03:00,0\n"
        + "b,47.5,35.5,2026-10-25T03:30:00+02:00,0\n"
        + "c,47.5,35.5,2026-03-29T01:00:00.123456Z,0\n"
        + "d,47.5,35.5,1970-01-01T00:00:00Z,0\n"
    )

    assert incidents.t_ns.tolist() == [
        1_792_888_200_000_000_000,
        1_792_891_800_000_000_000,
        1_774_746_000_123_456_000,
        0,
    ]


def test_bom_crlf_spaces_after_commas_quoted_fields_and_blank_lines_are_accepted():
    text = (
        "\ufeffid, lat, lon, time, precision_m, notes\r\n"
        '"X-1", 47.5, 35.5, 2026-03-01T10:00:00Z, , "shelling, two impacts"\r\n'
        "\r\n"
    )

    incidents = monitor.parse_parley_csv(text)

    assert incidents.ids == ["X-1"]
    assert (incidents.lat.tolist(), incidents.lon.tolist()) == ([47.5], [35.5])
    assert incidents.precision_m.tolist() == [0.0]
    assert incidents.attributes == {"notes": ["shelling, two impacts"]}


def test_an_empty_file_with_only_a_header_gives_no_incidents():
    incidents = monitor.parse_parley_csv(HEADER)

    assert (len(incidents), incidents.lon.shape, incidents.t_ns.dtype) == (0, (0,), np.int64)


def test_every_bad_row_is_named_with_its_line_field_and_reason_in_file_order():
    text = (
        HEADER
        + "A1,47.5,35.5,2026-03-01T10:00:00Z,0\n"
        + "A2,95.1,35.5,2026-03-01T10:00:00Z,0\n"
        + "A3,47.5,abc,2026-03-01T10:00:00,-5\n"
        + "A1,47.5,35.5,yesterday,0\n"
        + "A5,47.5,35.5,2026-03-01T10:00:00Z\n"
        + ",,181,2026-03-01,nan\n"
    )

    assert problems(text) == [
        "line 3, lat: 95.1 is outside ±90 (are lat and lon swapped? lat is the latitude, -90 to "
        "90; lon the longitude, -180 to 180)",
        "line 4, lon: 'abc' is not a number",
        "line 4, time: '2026-03-01T10:00:00' has no UTC offset: write it with its offset (such "
        "as +02:00) or Z; a time without one is not guessed",
        "line 4, precision_m: must not be negative (-5); 0 or empty means an exact location",
        "line 5, id: 'A1' is used twice: line 2 has the same id",
        "line 5, time: 'yesterday' is not an ISO 8601 date and time",
        "line 6: has 4 fields but the header has 5 (id, lat, lon, time, precision_m)",
        "line 7, id: is empty",
        "line 7, lat: is empty",
        "line 7, lon: 181 is outside ±180 (are lat and lon swapped? lat is the latitude, -90 to "
        "90; lon the longitude, -180 to 180)",
        "line 7, time: '2026-03-01' has no UTC offset: write it with its offset (such as "
        "+02:00) or Z; a time without one is not guessed",
        "line 7, precision_m: 'nan' is not a number of metres",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty: the header line id,lat,lon,time,precision_m is required"),
        ("\n\n", "is empty: the header line id,lat,lon,time,precision_m is required"),
        ("id,lat,lon,time\nA,47.5,35.5,2026-03-01T10:00:00Z\n",
         "line 1: the header lacks the column precision_m; a Parley incident file starts with "
         "the header line id,lat,lon,time,precision_m"),
        ("A,47.5,35.5,2026-03-01T10:00:00Z,0\n",
         "line 1: the header lacks the columns id, lat, lon, time, precision_m; a Parley "
         "incident file starts with the header line id,lat,lon,time,precision_m"),
        ("id,lat,lon,time,precision_m,lat\n", "line 1: the header repeats lat"),
        (HEADER + 'A,47.5,35.5,"2026-03-01T10:00:00Z,0\n',
         "line 2: is not valid CSV: unexpected end of data"),
    ],
)
def test_a_file_of_the_wrong_shape_is_rejected_whole(text, expected):
    assert problems(text) == [expected]


def test_a_file_that_is_not_utf8_is_rejected_naming_the_line(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes(HEADER.encode() + "A,47.5,35.5,2026-03-01T10:00:00Z,0,Київ\n".encode("cp1251"))

    with pytest.raises(monitor.IncidentValidationError) as caught:
        monitor.read_parley_csv(path)

    assert [str(e) for e in caught.value.errors] == ["line 2: is not UTF-8 text (byte 0xca)"]


def test_the_five_columns_are_found_whatever_their_case_and_extra_columns_keep_theirs():
    incidents = monitor.parse_parley_csv(
        "ID,Lat,LON,Time,Precision_M,Source\nA,47.5,35.5,2026-03-01T10:00:00Z,10,OSCE\n"
    )

    assert (incidents.ids, incidents.precision_m.tolist()) == (["A"], [10.0])
    assert incidents.attributes == {"Source": ["OSCE"]}


rows = st.lists(
    st.tuples(
        st.floats(-90, 90, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
        st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
        st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
        st.one_of(st.just(""), st.floats(0, 50_000).map(repr)),
    ),
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(rows=rows, bad_line=st.integers(0, 29))
def test_written_rows_read_back_exactly_and_one_bad_latitude_is_named_by_its_line(rows, bad_line):
    lines = [f"R{i},{lat!r},{lon!r},{moment.replace(tzinfo=zone).isoformat()},{precision}"
             for i, (lat, lon, moment, zone, precision) in enumerate(rows)]

    incidents = monitor.parse_parley_csv(HEADER + "\n".join(lines) + "\n")

    assert incidents.lat.tolist() == [row[0] for row in rows]
    assert incidents.lon.tolist() == [row[1] for row in rows]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert incidents.t_ns.tolist() == [
        (moment.replace(tzinfo=zone) - epoch) // timedelta(microseconds=1) * 1000
        for _, _, moment, zone, _ in rows
    ]
    assert incidents.precision_m.tolist() == [float(row[4] or 0) for row in rows]
    if rows:
        index = bad_line % len(rows)
        lines[index] = lines[index].replace(f",{rows[index][0]!r},", ",-91.5,", 1)
        assert problems(HEADER + "\n".join(lines)) == [
            f"line {index + 2}, lat: -91.5 is outside ±90 (are lat and lon swapped? lat is the "
            "latitude, -90 to 90; lon the longitude, -180 to 180)"
        ]
