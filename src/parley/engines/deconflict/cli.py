"""`parley deconflict check AREAS MOVEMENTS -o FINDINGS [--hazards HAZARDS]`.

Bad input is reported in full (every problem of every file, each naming the file, the feature,
the field and the reason) and nothing is written; otherwise the findings CSV replaces `out` in
one rename, so a reader never sees half a file.
"""

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parley.engines import geo

from .checks import BLOCKING, Finding, check_movements
from .errors import InputValidationError
from .hazards import parse_hazards
from .movements import parse_movements

HEADER = ("movement_id", "code", "severity", "detail")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def check_command(*, areas: Path, movements: Path, out: Path, hazards: Path | None = None) -> int:
    problems: list[str] = []
    area_list = _load(areas, geo.parse_areas, problems)
    known = None if area_list is None else {area.agreement for area in area_list}
    movement_list = _load(movements, lambda data: parse_movements(data, agreements=known), problems)
    hazard_list = [] if hazards is None else _load(hazards, parse_hazards, problems)
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
        f"{len(movement_list)} movements checked: {blocking} blocking findings, "
        f"{len(findings) - blocking} warnings, written to {out}\n"
    )
    return EXIT_OK


def _load[T](path: Path, parse: Callable[[Any], T], problems: list[str]) -> T | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problems.append(f"{path}: cannot be read ({error.strerror or error})")
        return None
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(
            f"{path}: is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        )
        return None
    try:
        return parse(data)
    except (InputValidationError, geo.GeoValidationError) as error:
        problems.extend(f"{path}: {problem}" for problem in error.errors)
        return None


def _fail(problems: list[str]) -> int:
    sys.stderr.write("".join(f"{problem}\n" for problem in problems))
    return EXIT_BAD_INPUT


def findings_csv(findings: list[Finding]) -> str:
    """The findings CSV of FORMATS §5: a header, one row per finding, `\\n` line ends."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
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
