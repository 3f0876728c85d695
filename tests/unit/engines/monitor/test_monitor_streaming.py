"""`parley monitor classify` in batches: the same bytes whatever the batch size or the file
type, and still all or nothing when the bad row comes in a late batch."""

import io
import json
import string
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.cli import main
from parley.engines import geo
from parley.engines.monitor import (
    PARLEY,
    NeedsExactReading,
    classify_incidents,
    fast_batches,
    parse_parley_csv,
    rows_to_csv,
    write_classified,
)

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"
AREAS = DATA / "areas.geojson"
EXPECTED = (DATA / "classification.csv").read_bytes()


def classify(incidents, out, *options):
    return main(["monitor", "classify", str(AREAS), str(incidents), "-o", str(out), *options])


@pytest.mark.parametrize("batch_rows", [1, 2, 5, 1_000_000])
def test_any_batch_size_writes_the_same_bytes(tmp_path, batch_rows):
    out = tmp_path / "out.csv"

    assert classify(DATA / "incidents.csv", out, "--batch-rows", str(batch_rows)) == 0
    assert out.read_bytes() == EXPECTED


def test_parquet_with_typed_columns_gives_the_same_bytes_as_the_csv(tmp_path):
    incidents = parse_parley_csv((DATA / "incidents.csv").read_text())
    table = pa.table({
        "id": list(incidents.ids),
        "lat": incidents.lat,
        "lon": incidents.lon,
        "time": pa.array(incidents.t_ns, type=pa.timestamp("ns", "UTC")),
        "precision_m": incidents.precision_m,
        "source": incidents.attributes["source"],
    })
    path = tmp_path / "incidents.parquet"
    pq.write_table(table, path)
    out = tmp_path / "out.csv"

    assert classify(path, out, "--batch-rows", "3") == 0
    assert out.read_bytes() == EXPECTED


def test_parquet_times_without_a_zone_are_named_by_row(tmp_path, capsys):
    path = tmp_path / "incidents.parquet"
    pq.write_table(pa.table({
        "id": ["a", "b"], "lat": [47.5, 47.5], "lon": [35.5, 35.5],
        "time": pa.array([0, 0], type=pa.timestamp("s")), "precision_m": [0.0, 0.0],
    }), path)

    assert classify(path, tmp_path / "out.csv") == 2
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{path}: row 1, time: '1970-01-01 00:00:00.000' has no UTC offset: write it with its "
        "offset (such as +02:00) or Z; a time without one is not guessed",
        f"{path}: row 2, time: '1970-01-01 00:00:00.000' has no UTC offset: write it with its "
        "offset (such as +02:00) or Z; a time without one is not guessed",
    ]


def test_a_bad_row_in_the_last_batch_leaves_the_previous_output_and_no_partial_file(
    tmp_path, capsys
):
    incidents = tmp_path / "incidents.csv"
    incidents.write_bytes((DATA / "incidents.csv").read_bytes()
                          + b"INC-015,47.5,35.5,2026-03-01T10:00:00,0,late\n")
    out = tmp_path / "out.csv"
    out.write_bytes(b"previous result\n")

    assert classify(incidents, out, "--batch-rows", "2") == 2
    assert out.read_bytes() == b"previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.csv", "out.csv"]
    assert capsys.readouterr().err.splitlines() == [
        f"{incidents}: line 16, time: '2026-03-01T10:00:00' has no UTC offset: write it with "
        "its offset (such as +02:00) or Z; a time without one is not guessed",
        "nothing written: 1 problem in the input",
    ]


def test_an_id_repeated_in_another_batch_is_named(tmp_path, capsys):
    incidents = tmp_path / "incidents.csv"
    incidents.write_bytes((DATA / "incidents.csv").read_bytes()
                          + b"INC-001,47.5,35.5,2026-03-01T10:00:00Z,0,again\n")

    assert classify(incidents, tmp_path / "out.csv", "--batch-rows", "4") == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{incidents}: line 16, id: 'INC-001' is used twice: line 2 has the same id"
    )


def test_a_file_only_the_exact_reader_takes_still_gives_the_same_bytes(tmp_path):
    spaced = (DATA / "incidents.csv").read_text().replace(",", ", ")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(spaced)
    with pytest.raises(NeedsExactReading):
        list(fast_batches(incidents, PARLEY))
    out = tmp_path / "out.csv"

    assert classify(incidents, out) == 0
    assert out.read_bytes() == EXPECTED


incident_rows = st.lists(
    st.tuples(
        st.text(string.ascii_letters + string.digits + ',"- ', min_size=1, max_size=8)
        .filter(lambda text: text.strip()),
        st.floats(47.3, 48.6, allow_nan=False),
        st.floats(32.4, 38.0, allow_nan=False),
        st.integers(0, 40 * 24 * 3600),
        st.sampled_from(["", "0", "250", "1500.5"]),
    ),
    min_size=1, max_size=40, unique_by=lambda row: row[0].strip(),
)


@settings(max_examples=40, deadline=None)
@given(rows=incident_rows, batch_rows=st.integers(1, 7))
def test_fast_batches_and_the_exact_reader_give_the_same_incidents_and_bytes(
    tmp_path_factory, rows, batch_rows
):
    start = np.datetime64("2026-03-01T00:00:00", "s")
    lines = [
        f'"{name.replace(chr(34), chr(34) * 2)}",{lat!r},{lon!r},'
        f"{np.datetime_as_string(start + np.timedelta64(seconds, 's'))}Z,{precision}"
        for name, lat, lon, seconds, precision in rows
    ]
    text = "id,lat,lon,time,precision_m\n" + "\n".join(lines) + "\n"
    path = tmp_path_factory.mktemp("rows") / "incidents.csv"
    path.write_text(text)
    areas = geo.parse_areas(json.loads(AREAS.read_text()))

    exact = parse_parley_csv(text)
    batches = list(fast_batches(path, PARLEY, batch_rows))
    streamed = io.BytesIO()
    write_classified(geo.prepare_areas(areas), batches, streamed)

    assert [i for b in batches for i in b.ids] == exact.ids
    for name in ("lon", "lat", "t_ns", "precision_m"):
        assert np.concatenate([getattr(b, name) for b in batches]).tolist() == getattr(
            exact, name).tolist()
    assert streamed.getvalue().decode() == rows_to_csv(classify_incidents(areas, exact))
