"""NASA FIRMS VIIRS and MODIS CSV, docs/formats.md §3: UTC HHMM times, footprints, stable ids."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from parley.cli import main
from parley.engines.monitor import FIRMS, IncidentValidationError, read_exact
from parley.engines.monitor.tabular import fast_batches

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"
MODIS_HEADER = "latitude,longitude,brightness,acq_date,acq_time,satellite,confidence,frp\n"


def ns(text):
    return int(np.datetime64(text, "ns").astype(np.int64))


def sha(text):
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def read(tmp_path, text):
    path = tmp_path / "firms.csv"
    path.write_text(text)
    return read_exact(path, FIRMS)


def test_the_sample_is_classified_with_the_viirs_footprint_as_precision(tmp_path):
    out = tmp_path / "out.csv"

    code = main(["monitor", "classify", str(DATA / "areas.geojson"),
                 str(DATA / "monitor" / "firms.csv"), "-o", str(out), "--format", "firms"])

    assert code == 0
    # The third detection is 193 m outside the ZNPP circle: within VIIRS's 375 m.
    assert out.read_text() == (
        "incident_id,feature_id,agreement,relation,in_window\n"
        f"{sha('N|2026-03-01|1042|47.84284|35.25519')},C007,HP-2026-004,inside,true\n"
        f"{sha('N20|2026-03-01|0130|47.84284|35.25519')},C007,HP-2026-004,inside,false\n"
        f"{sha('N|2026-03-15|1118|47.4652|34.5856')},ZNPP,LC-2026-001,near,true\n"
    )


def test_times_with_dropped_leading_zeros_footprints_and_attributes():
    [batch] = list(fast_batches(DATA / "monitor" / "firms.csv", FIRMS))

    assert batch.t_ns.tolist() == [
        ns("2026-03-01T10:42"), ns("2026-03-01T01:30"), ns("2026-03-15T11:18"),
        ns("2026-03-15T00:05"),
    ]
    assert batch.precision_m.tolist() == [375.0] * 4
    assert batch.ids[3] == sha("N|2026-03-15|0005|50.45|30.52")
    assert batch.attributes["confidence"][:] == ["n", "l", "h", "n"]
    assert list(batch.attributes) == ["satellite", "instrument", "confidence", "frp"]


@pytest.mark.parametrize(
    ("header", "row", "precision"),
    [
        (MODIS_HEADER, "47.5,35.5,330,2026-03-01,0930,Terra,77,5.1\n", 1000.0),
        ("latitude,longitude,bright_ti4,acq_date,acq_time,satellite\n",
         "47.5,35.5,330,2026-03-01,0930,N\n", 375.0),
        ("latitude,longitude,acq_date,acq_time,satellite,confidence\n",
         "47.5,35.5,2026-03-01,0930,N,nominal\n", 375.0),
        ("latitude,longitude,acq_date,acq_time,satellite,confidence\n",
         "47.5,35.5,2026-03-01,0930,Aqua,55\n", 1000.0),
        ("latitude,longitude,acq_date,acq_time,satellite,instrument,confidence\n",
         "47.5,35.5,2026-03-01,0930,Aqua,MODIS,h\n", 1000.0),
    ],
)
def test_viirs_or_modis_is_told_by_instrument_then_columns_then_confidence(
    tmp_path, header, row, precision
):
    assert read(tmp_path, header + row).precision_m.tolist() == [precision]


def test_the_same_detection_written_with_other_decimals_has_the_same_id(tmp_path):
    one = read(tmp_path, MODIS_HEADER + "47.50000,35.50,330,2026-03-01,930,Terra,77,5.1\n")
    other = read(tmp_path, MODIS_HEADER + "47.5,35.5,330,2026-03-01,0930,Terra,77,5.1\n")

    assert one.ids[0] == other.ids[0] == sha("Terra|2026-03-01|0930|47.5|35.5")


def test_every_bad_row_is_named(tmp_path):
    with pytest.raises(IncidentValidationError) as caught:
        read(tmp_path, MODIS_HEADER
             + "47.5,35.5,330,2026-03-01,2460,Terra,77,5.1\n"
             + "47.5,181,330,2026-13-01,93a,,high!,5.1\n"
             + "47.5,35.5,330,2026-03-01,0930,Terra,101,5.1\n")

    assert [str(error) for error in caught.value.errors] == [
        "line 2, acq_time: '2460' is not a time HHMM in UTC (0000 to 2359)",
        "line 3, longitude: 181 is outside ±180 (are latitude and longitude swapped? latitude "
        "is -90 to 90, longitude -180 to 180)",
        "line 3, acq_date: '2026-13-01' is not a date (such as 2026-03-01)",
        "line 3, acq_time: '93a' is not a time HHMM in UTC (0000 to 2359)",
        "line 3, satellite: is empty",
        "line 3, confidence: 'high!' is not l, n, h (VIIRS) or a percentage 0–100 (MODIS)",
        "line 4, confidence: '101' is not l, n, h (VIIRS) or a percentage 0–100 (MODIS)",
    ]


def test_the_fast_and_the_exact_reading_agree_on_the_sample():
    [fast] = list(fast_batches(DATA / "monitor" / "firms.csv", FIRMS))
    exact = read_exact(DATA / "monitor" / "firms.csv", FIRMS)

    assert list(fast.ids) == list(exact.ids)
    for name in ("lon", "lat", "t_ns", "precision_m"):
        assert getattr(fast, name).tolist() == getattr(exact, name).tolist()
    assert fast.attributes == {name: list(values) for name, values in exact.attributes.items()}
