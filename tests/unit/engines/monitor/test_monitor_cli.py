"""`parley monitor classify`: exact rows on success; exit 2, every problem, no file on error."""

import json
from pathlib import Path

import pytest

from parley.cli import main

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"
HEADER = b"incident_id,feature_id,agreement,relation,in_window\n"
CORRIDOR = {
    "type": "Feature",
    "id": "C007",
    "geometry": {"type": "LineString", "coordinates": [[35.1, 47.8], [35.4, 47.9]]},
    "properties": {
        "agreement": "HP-2026-004",
        "kind": "pause",
        "width_m": 2000,
        "windows": [{"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}],
    },
}


def write_areas(path, *features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def classify(areas, incidents, out):
    return main(["monitor", "classify", str(areas), str(incidents), "-o", str(out)])


def test_the_sample_pair_gives_exactly_the_expected_rows(tmp_path, capsys):
    out = tmp_path / "classification.csv"

    code = classify(DATA / "areas.geojson", DATA / "incidents.csv", out)

    assert code == 0
    assert out.read_bytes() == (DATA / "classification.csv").read_bytes()
    assert out.read_bytes() == HEADER + (
        b"INC-001,C007,HP-2026-004,inside,true\n"
        b"INC-002,C007,HP-2026-004,near,false\n"
        b"INC-004,C007,HP-2026-004,inside,true\n"
        b"INC-005,ZNPP,LC-2026-001,inside,true\n"
        b"INC-006,ZNPP,LC-2026-001,near,false\n"
        b"INC-009,KHE-1,HP-2026-005,near,true\n"
        b"INC-010,KHE-1,HP-2026-005,inside,true\n"
        b"INC-011,KHE-1,HP-2026-005,inside,false\n"
        b"INC-012,DON-S,HP-2026-006,inside,true\n"
        b"INC-012,DON-1,HP-2026-006,inside,true\n"
        b"INC-013,DON-1,HP-2026-006,inside,false\n"
    )
    assert capsys.readouterr().out == (
        f"11 related pairs of 14 incidents and 5 areas, 7 in a window (candidate violations), "
        f"written to {out}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classification.csv"]


def test_no_related_pair_writes_the_header_alone(tmp_path):
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("id,lat,lon,time,precision_m\nfar,50.45,30.52,2026-03-01T10:00:00Z,0\n")
    out = tmp_path / "out.csv"

    assert classify(write_areas(tmp_path / "a.geojson", CORRIDOR), incidents, out) == 0
    assert out.read_bytes() == HEADER


def test_ids_with_commas_and_quotes_are_quoted_in_the_output(tmp_path):
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        'id,lat,lon,time,precision_m\n"a,1",47.85,35.25,2026-03-01T07:00:00Z,0\n'
        '"say ""hi""",47.85,35.25,2026-03-01T12:00:00Z,0\n'
    )
    out = tmp_path / "out.csv"

    assert classify(write_areas(tmp_path / "a.geojson", CORRIDOR), incidents, out) == 0
    assert out.read_bytes() == HEADER + (
        b'"a,1",C007,HP-2026-004,inside,true\n'
        b'"say ""hi""",C007,HP-2026-004,inside,false\n'
    )


def test_invalid_areas_and_incidents_exit_2_name_every_problem_and_write_nothing(
    tmp_path, capsys
):
    bad_corridor = {**CORRIDOR, "properties": {**CORRIDOR["properties"], "width_m": None}}
    swapped = {**CORRIDOR, "id": "C008",
               "geometry": {"type": "Point", "coordinates": [47.8, 95.1]}}
    areas = write_areas(tmp_path / "areas.geojson", bad_corridor, swapped)
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "id,lat,lon,time,precision_m\n"
        "i1,47.85,35.25,2026-03-01T10:00:00,0\n"
        "i2,47.85,35.25,2026-03-01T10:00:00Z,-1\n"
    )
    out = tmp_path / "out.csv"

    code = classify(areas, incidents, out)

    assert code == 2
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["areas.geojson", "incidents.csv"]
    assert capsys.readouterr().err.splitlines() == [
        f"{areas}: feature C007, width_m: is missing: a corridor (LineString) needs its full "
        "width in metres",
        f"{areas}: feature C008, geometry.coordinates: position [47.8, 95.1] has latitude 95.1 "
        "outside ±90: the usual sign of swapped coordinates (GeoJSON puts longitude first, then "
        "latitude)",
        f"{incidents}: line 2, time: '2026-03-01T10:00:00' has no UTC offset: write it with its "
        "offset (such as +02:00) or Z; a time without one is not guessed",
        f"{incidents}: line 3, precision_m: must not be negative (-1); 0 or empty means an exact "
        "location",
        "nothing written: 4 problems in the input",
    ]


def test_an_existing_output_is_left_untouched_when_the_input_is_invalid(tmp_path):
    out = tmp_path / "out.csv"
    out.write_bytes(b"previous result\n")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("id,lat,lon\n")

    assert classify(DATA / "areas.geojson", incidents, out) == 2
    assert out.read_bytes() == b"previous result\n"


def test_unreadable_files_and_bad_json_are_reported(tmp_path, capsys):
    areas = tmp_path / "areas.geojson"
    areas.write_text('{"type": "FeatureCollection", "features": [}')
    missing = tmp_path / "nowhere.csv"
    out = tmp_path / "no-such-folder" / "out.csv"

    assert classify(areas, missing, out) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{areas}: is not valid JSON: Expecting value at line 1, column 44",
        f"{missing}: cannot be read: No such file or directory",
        f"{out}: cannot be written: the folder {out.parent} does not exist",
        "nothing written: 3 problems in the input",
    ]


def test_progress_is_one_line_on_stderr_rewritten_after_each_batch(tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    incidents = tmp_path / "incidents.parquet"
    names = ["id", "lat", "lon", "time", "precision_m", "source"]
    texts = pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    pq.write_table(pa_csv.read_csv(DATA / "incidents.csv", convert_options=texts), incidents)

    code = main(["monitor", "classify", str(DATA / "areas.geojson"), str(incidents), "-o",
                 str(tmp_path / "out.csv"), "--batch-rows", "5", "--progress"])

    assert code == 0
    assert capsys.readouterr().err == (
        "\rclassified 5 incidents, 36% of the file read"
        "\rclassified 10 incidents, 71% of the file read"
        "\rclassified 14 incidents, 100% of the file read\n"
    )


def test_progress_is_shown_when_stderr_is_a_terminal_and_not_otherwise(tmp_path):
    import io

    from parley.engines.monitor.cli import classify_command

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown, plain = Terminal(), io.StringIO()
    for stderr in (shown, plain):
        code = classify_command(areas=DATA / "areas.geojson", incidents=DATA / "incidents.csv",
                                out=tmp_path / "out.csv", stdout=io.StringIO(), stderr=stderr)
        assert code == 0

    assert shown.getvalue() == "\rclassified 14 incidents, 100% of the file read\n"
    assert plain.getvalue() == ""


def test_a_file_of_many_bad_rows_prints_the_first_problems_and_the_total(tmp_path, capsys):
    """Issue 8, finding 12: the exact reading keeps the first 300 problems and counts the
    rest; the command prints those, one line with the total and the most frequent reasons,
    and the total in its last line."""
    areas = write_areas(tmp_path / "areas.geojson", CORRIDOR)
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("id,lat,lon,time,precision_m\n" + "".join(
        f"i{n},47.85,35.25,bad-{n},0\n" for n in range(1_000)))

    assert classify(areas, incidents, tmp_path / "out.csv") == 2

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 302
    assert lines[0] == f"{incidents}: line 2, time: 'bad-0' is not an ISO 8601 date and time"
    assert lines[299] == f"{incidents}: line 301, time: 'bad-299' is not an ISO 8601 date and time"
    assert lines[300] == (
        f"{incidents}: ... and 700 more problems, 1000 in all; the most frequent: "
        "time: … is not an ISO 8601 date and time (1000)"
    )
    assert lines[301] == "nothing written: 1000 problems in the input"
