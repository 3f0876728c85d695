"""`parley monitor ingest FILE --source parley|acled|firms`: a feed file into the database."""

import sys
import time
from pathlib import Path

from django.db.models import Case, IntegerField, Value, When

from parley.core.models import Party, User
from parley.monitoring import rules, services
from parley.monitoring.models import ImportRun

EXIT_INVALID_INPUT = 2


def _importer(username: str | None) -> User | None:
    """The named account, or else the first monitor (then secretariat member) there is."""
    users = User.objects.filter(is_active=True).select_related("party")
    if username:
        return users.filter(username=username).first()
    return (users.filter(party__kind__in=[Party.Kind.MONITOR, Party.Kind.MEDIATOR],
                         role__in=[User.Role.MONITOR, User.Role.SECRETARIAT])
            .annotate(rank=Case(When(role=User.Role.MONITOR, then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .order_by("rank", "username").first())


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


class _Progress:
    """A line on stderr that counts the rows read, rewritten in place on a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.live = getattr(stream, "isatty", lambda: False)()

    def __call__(self, rows: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        line = f"{rows:>12,} rows read  {rows / elapsed:>10,.0f} rows/s"
        self.stream.write(("\r" + line) if self.live else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\n")


def ingest_command(*, path: Path, source: str, username: str | None = None,
                   name: str | None = None, stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    actor = _importer(username)
    if actor is None or not rules.can_import_incidents(actor):
        stderr.write(f"{username or 'no monitor or secretariat account'}: may not import "
                     "incidents (only monitors and the secretariat do)\n")
        return EXIT_INVALID_INPUT
    if not path.is_file():
        stderr.write(f"{path}: no such file\n")
        return EXIT_INVALID_INPUT
    progress = _Progress(stderr)
    run = services.incidents_import(actor=actor, kind=source, path=path, source_name=name,
                                    progress=progress)
    progress.done()
    if run.status == ImportRun.Status.REJECTED:
        for row in run.rejected_rows:
            where = [f"line {row['line']}"] if row["line"] else []
            where += [row["field"]] if row["field"] else []
            stderr.write(f"{path}: {', '.join(where)}: {row['reason']}\n" if where
                         else f"{path}: {row['reason']}\n")
        if run.rejected_total > len(run.rejected_rows):
            stderr.write(f"{path}: the first {len(run.rejected_rows)} problems are listed\n")
        stderr.write(f"{path}: nothing imported "
                     f"({_count(run.rejected_total, 'problem', 'problems')})\n")
        return EXIT_INVALID_INPUT
    stdout.write(f"{path}: {_count(run.rows_read, 'row', 'rows')} read, "
                 f"{_count(run.created, 'incident', 'incidents')} added, "
                 f"{run.duplicates} already known, "
                 f"{_count(run.candidates, 'candidate violation', 'candidate violations')} "
                 f"(import {run.pk}, SHA-256 {run.sha256})\n")
    return 0
