"""`parley match A B -o PAIRS [--threshold P]`: the pairs of two person lists judged to be one
person, as CSV `record_id_a,record_id_b,probability` (in the order of list A).

All or nothing: every problem of both lists is printed to stderr, one per line, prefixed by the
file; on any problem the exit code is 2 and no output file is written.
"""

import os
import sys
from pathlib import Path
from typing import TextIO

from parley.engines import csvsafe

from .errors import PersonListError
from .linkage import link_lists
from .reader import read_person_list

EXIT_INVALID_INPUT = 2
OUTPUT_HEADER = ("record_id_a", "record_id_b", "probability")


def match_command(
    *,
    list_a: Path,
    list_b: Path,
    out: Path,
    threshold: float = 0.5,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    problems: list[str] = []
    lists = [_read(Path(path), problems) for path in (list_a, list_b)]
    out = Path(out)
    if not out.parent.is_dir():
        problems.append(f"{out}: cannot be written: the folder {out.parent} does not exist")
    if problems:
        for problem in problems:
            print(problem, file=stderr)
        print(f"nothing written: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
              "in the input", file=stderr)
        return EXIT_INVALID_INPUT
    a, b = lists
    assert a is not None and b is not None
    linkage = link_lists(a, b, threshold=threshold)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csvsafe.writer(handle, lineterminator="\n")
            writer.writerow(OUTPUT_HEADER)
            for pair in sorted(linkage.pairs, key=lambda p: p.index_a):
                writer.writerow((a[pair.index_a]["record_id"], b[pair.index_b]["record_id"],
                                 f"{pair.probability:.4f}"))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    duplicates = sum(len(c) - 1 for c in linkage.duplicates_a + linkage.duplicates_b)
    print(
        f"{len(linkage.pairs)} pairs of {len(a)} and {len(b)} persons written to {out}; "
        f"{len(linkage.candidates)} uncertain pairs to review, "
        f"{duplicates} records listed twice",
        file=stdout,
    )
    return 0


def _read(path: Path, problems: list[str]) -> list[dict[str, str]] | None:
    try:
        return read_person_list(path, filename=path.name)
    except OSError as problem:
        problems.append(f"{path}: cannot be read: {problem.strerror}")
    except PersonListError as invalid:
        problems.extend(f"{path}: {PersonListError.describe(row)}" for row in invalid.rows)
    return None
