"""ACLED exports, docs/formats.md §3: the whole local day of the country, geo_precision as a
radius."""

from pathlib import Path

import numpy as np
import pytest

from parley.cli import main
from parley.engines.monitor import ACLED, IncidentValidationError, read_exact
from parley.engines.monitor.acled import local_days
from parley.engines.monitor.tabular import fast_batches

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"
HEADER = "event_id_cnty,event_date,country,latitude,longitude,geo_precision,notes\n"


def ns(text):
    return int(np.datetime64(text, "ns").astype(np.int64))


def read(tmp_path, text):
    path = tmp_path / "acled.csv"
    path.write_text(text)
    return read_exact(path, ACLED)


def problems(tmp_path, text):
    with pytest.raises(IncidentValidationError) as caught:
        read(tmp_path, text)
    return [str(error) for error in caught.value.errors]


def test_the_sample_export_is_classified_by_overlap_of_the_local_day(tmp_path, capsys):
    out = tmp_path / "out.csv"

    code = main(["monitor", "classify", str(DATA / "areas.geojson"),
                 str(DATA / "monitor" / "acled.csv"), "-o", str(out), "--format", "acled"])

    assert code == 0
    # UKR1002: 28 February in Kyiv ends at 22:00Z, before the pause of 1 March opens.
    # UKR1004: 1 April in Kyiv starts at 31 March 21:00Z, the instant the ceasefire ends.
    # UKR1005 lies 3 km outside the ZNPP circle, within geo_precision 2 (5 km); UKR1006 is
    # the same place at precision 1 and is not related.
    assert out.read_text() == (
        "incident_id,feature_id,agreement,relation,in_window\n"
        "UKR1001,C007,HP-2026-004,inside,true\n"
        "UKR1002,C007,HP-2026-004,inside,false\n"
        "UKR1003,ZNPP,LC-2026-001,inside,true\n"
        "UKR1004,ZNPP,LC-2026-001,inside,false\n"
        "UKR1005,ZNPP,LC-2026-001,near,true\n"
        "UKR1007,DON-1,HP-2026-006,inside,true\n"
    )
    assert capsys.readouterr().out.splitlines()[0].startswith(
        "6 related pairs of 7 incidents and 5 areas, 4 in a window"
    )


def test_fields_days_precisions_and_kept_attributes():
    incidents = read_exact(DATA / "monitor" / "acled.csv", ACLED)

    assert list(incidents.ids) == [f"UKR100{i}" for i in range(1, 8)]
    assert incidents.t_ns[:4].tolist() == [
        ns("2026-02-28T22:00"), ns("2026-02-27T22:00"), ns("2026-03-30T21:00"),
        ns("2026-03-31T21:00"),
    ]
    assert incidents.t_end_ns[:4].tolist() == [
        ns("2026-03-01T22:00"), ns("2026-02-28T22:00"), ns("2026-03-31T21:00"),
        ns("2026-04-01T21:00"),
    ]
    assert incidents.precision_m.tolist() == [0, 0, 0, 0, 5000, 0, 0]
    assert list(incidents.attributes) == [
        "country", "event_type", "sub_event_type", "actor1", "actor2", "fatalities", "notes",
        "source",
    ]
    assert incidents.attributes["notes"][0] == (
        "On 1 March 2026, shelling near Stepnohirsk.\nOne house damaged."
    )
    assert incidents.attributes["fatalities"][:3] == ["0", "0", "2"]
    assert incidents.notes == ()


def test_the_fast_and_the_exact_reading_agree_on_the_sample():
    [fast] = list(fast_batches(DATA / "monitor" / "acled.csv", ACLED))
    exact = read_exact(DATA / "monitor" / "acled.csv", ACLED)

    assert list(fast.ids) == list(exact.ids)
    for name in ("lon", "lat", "t_ns", "t_end_ns", "precision_m"):
        assert getattr(fast, name).tolist() == getattr(exact, name).tolist()
    assert fast.attributes == {name: list(values) for name, values in exact.attributes.items()}


@pytest.mark.parametrize(
    ("day", "zone", "start", "end", "hours"),
    [
        ("2026-03-29", "Europe/Kyiv", "2026-03-28T22:00", "2026-03-29T21:00", 23),
        ("2026-10-25", "Europe/Kyiv", "2026-10-24T21:00", "2026-10-25T22:00", 25),
        ("2026-03-29", "Europe/Moscow", "2026-03-28T21:00", "2026-03-29T21:00", 24),
        ("2026-03-29", "UTC", "2026-03-29T00:00", "2026-03-30T00:00", 24),
    ],
)
def test_a_local_day_is_23_or_25_hours_long_when_the_clocks_change(day, zone, start, end, hours):
    starts, ends = local_days(np.array([ns(day)]), np.array([0]), [zone])

    assert (starts.tolist(), ends.tolist()) == ([ns(start)], [ns(end)])
    assert (ends[0] - starts[0]) // 3_600_000_000_000 == hours


def test_a_country_without_a_known_zone_is_read_in_utc_and_the_reader_says_so(tmp_path):
    incidents = read(tmp_path, HEADER + "X1,2026-03-01,Atlantis,10,20,1,\n"
                     "X2,2026-03-01,Ukraine,47.5,35.5,3,\n")

    assert incidents.t_ns.tolist() == [ns("2026-03-01T00:00"), ns("2026-02-28T22:00")]
    assert incidents.precision_m.tolist() == [0.0, 25000.0]
    assert incidents.notes == (
        "event_date of Atlantis read as a UTC day: Parley knows no time zone for that country",
    )


def test_every_bad_row_is_named_by_its_line_counting_the_lines_of_quoted_notes(tmp_path):
    text = (
        HEADER
        + 'A1,2026-03-01,Ukraine,47.5,35.5,1,"two\nlines"\n'
        + "A2,2026-02-30,Ukraine,95,35.5,4,\n"
        + "A1,yesterday,Ukraine,47.5,,1,\n"
        + ",2026-03-01,Ukraine,47.5,35.5,,\n"
    )

    assert problems(tmp_path, text) == [
        "line 4, event_date: '2026-02-30' is not a date (such as 2026-03-01)",
        "line 4, latitude: 95 is outside ±90 (are latitude and longitude swapped? latitude is "
        "-90 to 90, longitude -180 to 180)",
        "line 4, geo_precision: '4' is not 1, 2 or 3 (ACLED's geo_precision: the place, near "
        "it, or the region)",
        "line 5, event_id_cnty: 'A1' is used twice: line 2 has the same id",
        "line 5, event_date: 'yesterday' is not a date (such as 2026-03-01)",
        "line 5, longitude: is empty",
        "line 6, event_id_cnty: is empty",
        "line 6, geo_precision: is empty",
    ]


def test_a_file_that_is_not_an_acled_export_is_told_what_columns_it_needs(tmp_path):
    assert problems(tmp_path, "id,lat,lon,time,precision_m\n") == [
        "line 1: the header lacks the columns event_id_cnty, event_date, latitude, longitude, "
        "geo_precision; an ACLED export has the columns event_id_cnty, event_date, latitude, "
        "longitude, geo_precision"
    ]
