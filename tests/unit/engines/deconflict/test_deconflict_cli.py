"""`parley deconflict check`: exact CSV bytes, exit codes, and nothing written on bad input."""

import json
from pathlib import Path

import pytest

from parley.cli import main

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data" / "deconflict"
ROUTE = [[35.70, 47.52], [35.70, 47.58]]


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(*args) -> int:
    return main(["deconflict", "check", *map(str, args)])


def test_sample_files_give_the_sample_findings(tmp_path, capsys):
    out = tmp_path / "findings.csv"
    code = run(
        DATA / "areas.geojson",
        DATA / "movements.geojson",
        "-o",
        out,
        "--hazards",
        DATA / "hazards.geojson",
    )
    assert code == 0
    assert out.read_bytes() == (DATA / "findings.csv").read_bytes()
    assert capsys.readouterr().out == (
        f"7 movements checked: 3 blocking findings, 6 warnings, written to {out}\n"
    )


def test_exact_csv_bytes(build, tmp_path):
    areas = write(tmp_path / "areas.geojson", build.collection(build.area(lead_time_h=48)))
    movements = write(
        tmp_path / "movements.geojson",
        build.collection(
            build.movement(ROUTE, ["2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z"], "OK-1"),
            build.movement(
                ROUTE,
                ["2026-03-01T13:00:00Z", "2026-03-01T14:00:00Z"],
                "LATE-2",
                notified_at="2026-02-27T13:00:01Z",
            ),
        ),
    )
    out = tmp_path / "findings.csv"
    assert run(areas, movements, "-o", out) == 0
    assert out.read_bytes() == (
        b"movement_id,code,severity,detail\n"
        b'LATE-2,outside_window,blocking,"the movement ends at 2026-03-01T14:00:00Z, the instant '
        b"the window 2026-03-01T08:00:00Z\xe2\x80\x932026-03-01T14:00:00Z of agreement "
        b"HP-2026-004 closes; a window's end is outside it\"\n"
        b'LATE-2,late_notice,blocking,"47 h 59 min 59 s of notice given, 48 h required by '
        b"agreement HP-2026-004 (notified at 2026-02-27T13:00:01Z, the movement starts at "
        b'2026-03-01T13:00:00Z)"\n'
    )


def test_no_findings_is_a_header_and_exit_0(build, tmp_path):
    areas = write(tmp_path / "areas.geojson", build.collection(build.area()))
    movements = write(
        tmp_path / "movements.geojson",
        build.movement(ROUTE, ["2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z"]),
    )
    out = tmp_path / "findings.csv"
    assert run(areas, movements, "-o", out) == 0
    assert out.read_bytes() == b"movement_id,code,severity,detail\n"


def test_bad_input_is_named_in_full_and_nothing_is_written(build, tmp_path, capsys):
    bad_area = build.area("C9", width_m=None)
    areas = write(tmp_path / "areas.geojson", build.collection(build.area(), bad_area))
    movements = write(
        tmp_path / "movements.geojson",
        build.collection(
            build.movement(ROUTE, ["2026-03-01T09:00:00Z"], "M1"),
            build.movement(ROUTE, ["2026-03-01T09:00:00Z"] * 2, "M2", agreement="XX"),
        ),
    )
    hazards = write(tmp_path / "hazards.geojson", {"type": "Topology"})
    out = tmp_path / "findings.csv"
    out.write_bytes(b"an earlier run\n")
    assert run(areas, movements, "-o", out, "--hazards", hazards) == 2
    assert out.read_bytes() == b"an earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "areas.geojson",
        "findings.csv",
        "hazards.geojson",
        "movements.geojson",
    ]
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{areas}: feature C9, width_m: is missing: a corridor (LineString) needs its full width "
        "in metres",
        f"{movements}: feature M1, times: must have one instant per route vertex (1 given for a "
        "route of 2 vertices)",
        f"{movements}: feature M2, agreement: is not an agreement of the areas file ('XX')",
        f"{hazards}: is not a GeoJSON FeatureCollection or Feature (its type is 'Topology')",
    ]


def test_unreadable_and_malformed_files(build, tmp_path, capsys):
    areas = tmp_path / "areas.geojson"
    areas.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    out = tmp_path / "findings.csv"
    assert run(areas, tmp_path / "missing.geojson", "-o", out) == 2
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == [
        f"{areas}: is not valid JSON (Expecting value at line 1, column 44)",
        f"{tmp_path / 'missing.geojson'}: cannot be read (No such file or directory)",
    ]


def test_bad_agreement_conditions_are_bad_input(build, tmp_path, capsys):
    areas = write(tmp_path / "areas.geojson", build.collection(build.area(max_vehicles=-1)))
    movements = write(
        tmp_path / "movements.geojson",
        build.movement(ROUTE, ["2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z"]),
    )
    out = tmp_path / "findings.csv"
    assert run(areas, movements, "-o", out) == 2
    assert not out.exists()
    assert capsys.readouterr().err == (
        f"{areas}: feature C007, max_vehicles: must be a whole number of vehicles, zero or more "
        "(-1)\n"
    )
