"""`parley deconflict check AREAS MOVEMENTS -o FINDINGS [--hazards HAZARDS]`.

Bad input is reported in full (every problem of every file, each naming the file, the feature,
the field and the reason) and nothing is written; otherwise the findings CSV replaces `out` in
one rename, so a reader never sees half a file.
"""

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parley.engines import csvsafe, geo

from .checks import BLOCKING, Finding, check_movements
from .errors import InputValidationError
from .hazards import Hazard, parse_hazards
from .movements import parse_movements

HEADER = ("movement_id", "code", "severity", "detail")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def check_command(*, areas: Path, movements: Path, out: Path, hazards: Path | None = None) -> int:
    problems: list[str] = []
    area_data = _read_json(areas, problems)
    area_list = _parse(areas, area_data, geo.parse_areas, problems)
    movement_data = _read_json(movements, problems)
    known = _agreements_named(area_data)
    movement_list = _parse(
        movements, movement_data, lambda data: parse_movements(data, agreements=known), problems
    )
    hazard_list: list[Hazard] | None = []
    if hazards is not None:
        hazard_list = _parse(hazards, _read_json(hazards, problems), parse_hazards, problems)
    if problems or area_list is None or movement_list is None or hazard_list is None:
        return _fail(problems)
    try:
        findings = check_movements(area_list, movement_list, hazard_list)
    except InputValidationError as error:
        # Only the agreements' own conditions (crossings, limits) are left to go wrong here.
        return _fail([f"{areas}: {problem}" for problem in error.errors])
    write_findings(findings, out)
    blocking = sum(finding.severity == BLOCKING for finding in findings)
    sys.stdout.write(
        f"{_count(len(movement_list), 'movement')} checked: "
        f"{_count(blocking, 'blocking finding')}, {_count(len(findings) - blocking, 'warning')}, "
        f"written to {out}\n"
    )
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


_UNREADABLE = object()


def _read_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        problems.append(f"{path}: cannot be read ({error.strerror or error})")
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
    except json.JSONDecodeError as error:
        problems.append(
            f"{path}: is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        )
    return _UNREADABLE


def _parse[T](path: Path, data: Any, parse: Callable[[Any], T], problems: list[str]) -> T | None:
    if data is _UNREADABLE:
        return None
    try:
        return parse(data)
    except (InputValidationError, geo.GeoValidationError) as error:
        problems.extend(f"{path}: {problem}" for problem in error.errors)
        return None


def _agreements_named(area_data: Any) -> set[str] | None:
    """The agreements the areas file names, read even from features that are rejected, so that
    movements are checked against them while the areas file is being fixed."""
    features = area_data.get("features") if isinstance(area_data, dict) else None
    if not isinstance(features, list):
        return None
    return {
        feature["properties"].get("agreement")
        for feature in features
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict)
    }


def _fail(problems: list[str]) -> int:
    sys.stderr.write("".join(f"{problem}\n" for problem in problems))
    return EXIT_BAD_INPUT


def findings_csv(findings: list[Finding]) -> str:
    """The findings CSV of docs/formats.md §5: a header, one row per finding, `\\n` line ends."""
    text = io.StringIO()
    writer = csvsafe.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((f.movement_id, f.code, f.severity, f.detail) for f in findings)
    return text.getvalue()


def write_findings(findings: list[Finding], out: Path) -> None:
    directory = out.parent if str(out.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(findings_csv(findings))
        # mkstemp makes the file private; findings are as readable as any other output.
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except BaseException:
        os.unlink(temporary)
        raise
