"""`parley monitor classify AREAS INCIDENTS -o OUT`: all or nothing.

Every problem of both inputs is printed to stderr, one per line, prefixed by the file; on any
problem the exit code is 2 and no output file is written. The output is written to a temporary
file beside OUT and renamed over it only when complete, so OUT is never half written.
"""

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from parley.engines import geo

from .classify import classify_incidents, rows_to_csv
from .incidents import Incidents, IncidentValidationError
from .parley_csv import read_parley_csv

EXIT_INVALID_INPUT = 2


def classify_command(
    *,
    areas: Path,
    incidents: Path,
    out: Path,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    problems: list[str] = []
    parsed_areas = _read_areas(Path(areas), problems)
    parsed_incidents = _read_incidents(Path(incidents), problems)
    out = Path(out)
    if not out.parent.is_dir():
        problems.append(f"{out}: cannot be written: the folder {out.parent} does not exist")
    if problems or parsed_areas is None or parsed_incidents is None:
        for problem in problems:
            print(problem, file=stderr)
        print(
            f"nothing written: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
            "in the input",
            file=stderr,
        )
        return EXIT_INVALID_INPUT

    rows = classify_incidents(parsed_areas, parsed_incidents)
    _write_atomically(out, rows_to_csv(rows))
    candidates = sum(row.in_window for row in rows)
    print(
        f"{len(rows)} related pairs of {len(parsed_incidents)} incidents and "
        f"{len(parsed_areas)} areas, {candidates} in a window (candidate violations), "
        f"written to {out}",
        file=stdout,
    )
    return 0


def _read_areas(path: Path, problems: list[str]) -> list[geo.Area] | None:
    try:
        collection = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as problem:
        problems.append(f"{path}: cannot be read: {problem.strerror}")
        return None
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
        return None
    except json.JSONDecodeError as problem:
        problems.append(
            f"{path}: is not valid JSON: {problem.msg} at line {problem.lineno}, "
            f"column {problem.colno}"
        )
        return None
    try:
        return geo.parse_areas(collection)
    except geo.GeoValidationError as invalid:
        problems.extend(f"{path}: {error}" for error in invalid.errors)
        return None


def _read_incidents(path: Path, problems: list[str]) -> Incidents | None:
    try:
        return read_parley_csv(path)
    except OSError as problem:
        problems.append(f"{path}: cannot be read: {problem.strerror}")
    except IncidentValidationError as invalid:
        problems.extend(f"{path}: {error}" for error in invalid.errors)
    return None


def _write_atomically(out: Path, text: str) -> None:
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
