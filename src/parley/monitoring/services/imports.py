"""Reading incident feeds (Parley CSV, ACLED, FIRMS, Parquet) into the database: all or nothing, in
batches, with progress; queued imports run in the worker (`import_run`).
"""

import hashlib
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from parley.audit.services import audit_append
from parley.core.types import Actor
from parley.engines import monitor
from parley.engines.geo import sanity
from parley.engines.monitor.incidents import OTHER_REASONS, REASONS_COUNTED, reason_kind
from parley.engines.monitor.tabular import is_parquet
from parley.monitoring import rules
from parley.monitoring.models import (
    ImportRun,
    Incident,
    Source,
)
from parley.monitoring.services.classification import _classify_new, _refresh_before_new_incidents
from parley.monitoring.services.common import (
    _EPOCH,
    BATCH_SIZE,
    FEED_KINDS,
    IMPORT_BATCH_ROWS,
    LOOKUP_CHUNK,
    NOT_KEPT,
    _ensure,
    source_for,
)


def _text_column(incidents: monitor.Incidents, *names: str) -> list[str] | None:
    for name in names:
        if name in incidents.attributes:
            return list(incidents.attributes[name])
    return None


def _types(kind: str, incidents: monitor.Incidents) -> list[str]:
    if kind == Source.Kind.FIRMS:
        return ["fire detection"] * len(incidents)
    column = _text_column(incidents, "sub_event_type", "event_type", "type")
    return column if column is not None else [""] * len(incidents)


def _instants(t_ns: np.ndarray) -> list[datetime]:
    microseconds = np.asarray(t_ns, dtype=np.int64) // 1_000
    return [_EPOCH + timedelta(microseconds=us) for us in microseconds.tolist()]


def _problem_out(problem: monitor.IncidentError) -> dict:
    return {"line": problem.line, "field": problem.field, "reason": problem.reason}


def warnings_out(warnings: list) -> list[dict]:
    return [{"code": w.code, "field": w.field or None, "message": w.message} for w in warnings]


def rejected_kept() -> int:
    """How many rejected rows an import keeps (the rest are counted): a setting."""
    return max(1, int(getattr(settings, "PARLEY_IMPORT_REJECTED_ROWS_KEPT", 300)))


def rejected_summary(
    problems: Iterable[dict] | monitor.IncidentValidationError,
) -> tuple[list[dict], int, list[dict]]:
    """The first rows kept, the total, and the counts by (field, reason without its values),
    most frequent first: a file of a million bad rows stores a few hundred, not a million
    (issue 8, finding 12). An `IncidentValidationError` comes counted already by the reader,
    which kept only the first rows (`rejected_kept()`, passed to it)."""
    limit = rejected_kept()
    counts: Counter[tuple[str | None, str]]
    if isinstance(problems, monitor.IncidentValidationError):
        kept = [_problem_out(problem) for problem in problems.errors[:limit]]
        total, counts = problems.total, problems.counts
    else:
        kept, total, counts = [], 0, Counter()
        for problem in problems:
            total += 1
            if len(kept) < limit:
                kept.append(problem)
            key = (problem.get("field"), reason_kind(str(problem.get("reason", ""))))
            if key not in counts and len(counts) >= REASONS_COUNTED:
                key = (problem.get("field"), OTHER_REASONS)
            counts[key] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0][0]), item[0][1]))
    return kept, total, [
        {"field": field, "reason": gettext("other reasons") if reason == OTHER_REASONS
         else reason, "rows": rows}
        for (field, reason), rows in ordered
    ]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_too_large(limit: int) -> str:
    return gettext("The file is larger than %(limit)s MB, the most this server accepts "
                   "(PARLEY_UPLOAD_MAX_BYTES). Split it, for instance by date.") % {
        "limit": f"{limit / (1024 * 1024):g}"}


def _batch_rows() -> int:
    """Rows per batch of the reader: each batch is one step of the progress shown."""
    return getattr(settings, "MONITORING_IMPORT_BATCH_ROWS", IMPORT_BATCH_ROWS)


def incidents_import(
    *,
    actor: Actor,
    kind: str,
    path: Path,
    file_name: str | None = None,
    source_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    batch_rows: int | None = None,
) -> ImportRun:
    """Read a feed file into incidents at once (the command line): all of it or nothing.
    Re-importing the same file, or rows whose ids the source already gave, adds nothing. New
    incidents are classified against the agreements and the notified sites, and the candidate
    violations grouped into events. `progress(rows)` is called after each batch read.
    """
    _ensure(rules.can_import_incidents, actor,
            message=gettext("Only monitors and the secretariat import incidents."))
    if kind not in FEED_KINDS:
        raise ValidationError({"source": [gettext("Choose parley, acled or firms.")]})
    path = Path(path)
    run = ImportRun.objects.create(
        source=source_for(kind, source_name), started_by=actor,
        file_name=file_name or path.name, sha256="", status=ImportRun.Status.RUNNING,
        phase=ImportRun.Phase.READING, heartbeat_at=timezone.now(),
    )
    return _process(run, path=path, kind=kind, progress=progress,
                    batch_rows=batch_rows or _batch_rows())


def import_queue(
    *, actor: Actor, kind: str, upload: UploadedFile, source_name: str | None = None,
) -> ImportRun:
    """An uploaded file (page or API) stored under `VAR_DIR/imports` and queued for the
    worker (`import_run`), which reads it with progress; the run starts `queued`."""
    _ensure(rules.can_import_incidents, actor,
            message=gettext("Only monitors and the secretariat import incidents."))
    if kind not in FEED_KINDS:
        raise ValidationError({"source": [gettext("Choose parley, acled or firms.")]})
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    # The suffix is kept: the reader tells Parquet from CSV by it.
    stored = directory / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()[:10]}"
    limit = settings.PARLEY_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError({"file": [upload_too_large(limit)]})
    digest, lines, size, last = hashlib.sha256(), 0, 0, b"\n"
    with stored.open("wb") as stream:
        for chunk in upload.chunks():
            if size + len(chunk) > limit:  # a size the upload did not declare
                stream.close()
                stored.unlink(missing_ok=True)
                raise ValidationError({"file": [upload_too_large(limit)]})
            stream.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\n")
            size += len(chunk)
            last = chunk[-1:] or last
    lines += last != b"\n"
    expected = max(lines - 1, 0)
    if is_parquet(stored):
        try:
            expected = pq.ParquetFile(stored).metadata.num_rows
        except (OSError, pa.ArrowException):
            expected = 0  # not Parquet after all: the worker's reading says why
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=source_for(kind, source_name), started_by=actor,
            file_name=Path(upload.name or "upload").name[:255], sha256=digest.hexdigest(),
            status=ImportRun.Status.QUEUED, size=size, rows_expected=expected,
            upload=stored.name,
        )
        audit_append(actor=actor, action="monitoring.import_queued", obj=run,
                     after={"file": run.file_name, "sha256": run.sha256, "size": size})
        transaction.on_commit(lambda: import_run.enqueue(run.pk))
    return run


def import_process(*, import_run_id: int, progress: Callable[[int], None] | None = None,
                   batch_rows: int | None = None) -> ImportRun | None:
    """The worker's side of `import_queue`: claim the queued run (so that a task run twice or
    by two workers reads the file once), read it, and remove the stored file. Takes no actor:
    the run carries who queued it, and the permission is checked again against that person."""
    claimed = ImportRun.objects.filter(pk=import_run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, phase=ImportRun.Phase.READING,
        heartbeat_at=timezone.now())
    if not claimed:
        return None
    run = ImportRun.objects.select_related("source", "started_by").get(pk=import_run_id)
    path = Path(settings.VAR_DIR) / "imports" / run.upload
    try:
        if run.started_by is None or not rules.can_import_incidents(run.started_by):
            return _reject(run, [{"line": None, "field": None, "reason": gettext(
                "The person who queued the import may no longer import incidents.")}])
        return _process(run, path=path, kind=run.source.kind, progress=progress,
                        batch_rows=batch_rows or _batch_rows())
    except Exception:
        # The page polls until the run ends, so an unforeseen failure must end it too; the
        # saving transaction rolled back, and the task's own failure keeps the traceback.
        _reject(run, [{"line": None, "field": None, "reason": gettext(
            "The import stopped on an unexpected error; nothing was saved.")}])
        raise
    finally:
        path.unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(upload="")


def _read_pass(
    run: ImportRun, *, path: Path, feed: Any, progress: Callable[[int], None] | None,
    batch_rows: int,
) -> bool:
    """The first reading, outside the import's transaction: it checks every row and saves the
    progress after each batch, so the page sees it. True when the file needs the exact (whole
    file) reading; raises `IncidentValidationError` naming every bad row."""
    try:
        for incidents in monitor.fast_batches(path, feed, batch_rows):
            run.rows_read += len(incidents)
            run.heartbeat_at = timezone.now()
            run.save(update_fields=["rows_read", "heartbeat_at"])
            if progress is not None:
                progress(run.rows_read)
        return False
    except monitor.NeedsExactReading:
        # Read again from the start, a batch at a time: the problems beyond the first few
        # hundred are only counted, so that a file of bad rows costs bounded memory.
        run.rows_read = 0
        for incidents in monitor.exact_batches(path, feed, keep=rejected_kept()):
            run.rows_read += len(incidents)
            run.heartbeat_at = timezone.now()
            run.save(update_fields=["rows_read", "heartbeat_at"])
            if progress is not None:
                progress(run.rows_read)
        return True


def _process(
    run: ImportRun, *, path: Path, kind: str, progress: Callable[[int], None] | None,
    batch_rows: int,
) -> ImportRun:
    """Read the file twice: once with progress to check it (phase `reading`), then again
    inside one transaction that inserts, classifies and groups (phase `saving`), so the import
    stays all or nothing while its progress is visible (ADR 0010)."""
    feed = monitor.FEEDS[kind]
    try:
        if not run.sha256:
            run.sha256 = _sha256_of(path)
        run.size = run.size or path.stat().st_size
        run.save(update_fields=["sha256", "size"])
        exact = _read_pass(run, path=path, feed=feed, progress=progress, batch_rows=batch_rows)
    except monitor.IncidentValidationError as error:
        return _reject(run, error)
    except OSError as error:
        return _reject(run, [{"line": None, "field": None,
                              "reason": f"cannot be read: {error.strerror or error}"}])
    run.phase = ImportRun.Phase.SAVING
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["phase", "heartbeat_at"])
    batches = monitor.exact_batches(path, feed, keep=rejected_kept()) if exact else \
        monitor.fast_batches(path, feed, batch_rows)
    notes: list[str] = []
    tally = sanity.PointTally()
    with _Heartbeat(run.pk), transaction.atomic():
        _refresh_before_new_incidents()
        for incidents in batches:
            _insert(run, run.source, kind, incidents)
            tally.add(incidents.lon, incidents.lat)
            notes.extend(note for note in incidents.notes if note not in notes)
        run.warnings = warnings_out(tally.warnings())
        run.status = ImportRun.Status.SUCCEEDED
        run.phase = ""
        run.created = Incident.objects.filter(import_run=run).count()
        run.duplicates = run.rows_read - run.created
        run.candidates = _classify_new(run).candidates
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "phase", "created", "duplicates", "candidates",
                                "finished_at", "warnings"])
        audit_append(actor=run.started_by, action="monitoring.import", obj=run,
                     after=_run_state(run), note="\n".join(notes))
    return run


def _reject(
    run: ImportRun, problems: Iterable[dict] | monitor.IncidentValidationError
) -> ImportRun:
    with transaction.atomic():
        run.status, run.phase = ImportRun.Status.REJECTED, ""
        run.rejected_rows, run.rejected_total, run.rejected_counts = \
            rejected_summary(problems)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "phase", "rejected_rows", "rejected_total",
                                "rejected_counts", "finished_at"])
        audit_append(actor=run.started_by, action="monitoring.import_rejected", obj=run,
                     after={"file": run.file_name, "sha256": run.sha256,
                            "rejected": run.rejected_total})
    return run


def heartbeat_timeout() -> timedelta:
    """How long a running import may go without a sign of life: a setting, in seconds."""
    return timedelta(seconds=max(60, int(getattr(settings, "PARLEY_IMPORT_HEARTBEAT_TIMEOUT",
                                                 600))))


class _Heartbeat:
    """While an import saves (one transaction, which may be long for a large file), a thread
    with a connection of its own tells the database every tenth of the timeout that the run
    is alive: the transaction's own writes are seen by no one until it commits."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"import-{run_id}-heartbeat",
                                       daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        interval = heartbeat_timeout().total_seconds() / 10
        try:
            while not self.stop.wait(interval):
                try:
                    ImportRun.objects.filter(pk=self.run_id, status=ImportRun.Status.RUNNING) \
                        .update(heartbeat_at=timezone.now())
                except DatabaseError:
                    pass  # a busy database: the next beat tries again
        finally:
            connection.close()


INTERRUPTED = gettext_lazy("the import was interrupted (the server stopped); nothing was saved "
                           "— run it again")


def imports_end_interrupted() -> list[int]:
    """The worker's periodic job: end the imports left `running` by a server or worker that
    stopped (killed, restarted, out of memory), known by a heartbeat older than
    `heartbeat_timeout()`. Each is rejected with the reason, audited, and its stored upload
    removed; its saving transaction, if any, was rolled back by the database. Cheap when there
    is none; safe to run again (a run is ended once)."""
    limit = timezone.now() - heartbeat_timeout()
    stale = Q(status=ImportRun.Status.RUNNING) & (
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    ended = []
    for run_id in ImportRun.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            run = ImportRun.objects.select_for_update(of=("self",)) \
                .select_related("source", "started_by") \
                .filter(stale, pk=run_id).first()
            if run is None:
                continue  # it beat, or ended, meanwhile
            _reject(run, [{"line": None, "field": None, "reason": str(INTERRUPTED)}])
            if run.upload:
                (Path(settings.VAR_DIR) / "imports" / run.upload).unlink(missing_ok=True)
                ImportRun.objects.filter(pk=run.pk).update(upload="")
        ended.append(run_id)
    return ended


def _run_state(run: ImportRun) -> dict:
    return {"file": run.file_name, "sha256": run.sha256, "source": run.source.name,
            "rows_read": run.rows_read, "created": run.created, "duplicates": run.duplicates,
            "candidates": run.candidates}


def _clean(value: Any) -> str:
    """Text as PostgreSQL stores it: a NUL character in a feed's cell is dropped."""
    return str(value if value is not None else "").replace("\x00", "")


def _known_ids(source: Source, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        known.update(
            Incident.objects.filter(
                source=source, external_id__in=ids[start:start + LOOKUP_CHUNK]
            ).values_list("external_id", flat=True)
        )
    return known


def _insert(run: Any, source: Source, kind: str, incidents: Any) -> None:
    """Bulk insert the incidents not yet known, `BATCH_SIZE` at a time."""
    total = len(incidents)
    ids = [_clean(identifier) for identifier in incidents.ids]
    types = [_clean(kind_name) for kind_name in _types(kind, incidents)]
    starts = _instants(incidents.t_ns)
    ends = _instants(incidents.t_end_ns) if getattr(incidents, "t_end_ns", None) is not None \
        else [None] * total
    attribute_names = [name for name in incidents.attributes if name not in NOT_KEPT]
    attribute_values = [[_clean(value) for value in incidents.attributes[name]]
                        for name in attribute_names]
    lon, lat = incidents.lon.tolist(), incidents.lat.tolist()
    precision = np.nan_to_num(np.asarray(incidents.precision_m, dtype=float)).tolist()
    for start in range(0, total, BATCH_SIZE):
        stop = min(start + BATCH_SIZE, total)
        known = _known_ids(source, ids[start:stop])
        batch = [
            Incident(
                source=source, external_id=ids[i], import_run=run, lon=lon[i], lat=lat[i],
                time_start=starts[i], time_end=ends[i], precision_m=precision[i],
                type=types[i][:100],
                attributes={name: values[i] for name, values in
                            zip(attribute_names, attribute_values, strict=True) if values[i]},
            )
            for i in range(start, stop)
            if ids[i] not in known
        ]
        Incident.objects.bulk_create(batch, batch_size=BATCH_SIZE, ignore_conflicts=True)


@task
def import_run(import_run_id: int) -> None:
    """The queued import, read by the worker. It lives beside `import_process` rather than in
    `tasks`: the services enqueue it, and `tasks` stays below the services."""
    import_process(import_run_id=import_run_id)
