"""Every write to monitoring: imports, reports, classification, grouping, verification, accounts.

Incidents never go row by row through the ORM: a feed is read by the monitor engine into arrays,
inserted with `bulk_create` in batches (idempotent by source and id), and classified by the geo
engine in chunks of arrays. An import is all or nothing; a rejected one leaves its report.

Parley never attributes responsibility: a candidate violation is an incident in an area while a
window is open; only a monitor confirms a violation, and nothing here names who caused it.
"""

import csv
import hashlib
import io
import math
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access.models import Site
from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_areas_geojson
from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.engines import geo, monitor, timewin
from parley.engines.monitor.tabular import is_parquet
from parley.monitoring import rules, tasks
from parley.monitoring.models import (
    Classification,
    ClassificationRun,
    Event,
    Evidence,
    ImportRun,
    Incident,
    MonitoringSettings,
    PartyAccount,
    SiteAlert,
    Source,
    Verification,
)

BATCH_SIZE = 2_000
# Rows per batch of an import file (setting MONITORING_IMPORT_BATCH_ROWS): small enough that a
# long import reports its progress often, large enough that the fast reader stays fast.
IMPORT_BATCH_ROWS = 100_000
# Incidents classified per call of the engine: arrays of this many rows bound the memory.
CLASSIFY_CHUNK = 100_000
# Incidents fetched per `IN (...)` query when filtering out ids already known.
LOOKUP_CHUNK = 900
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
SOURCE_NAMES = {
    Source.Kind.PARLEY: "Parley CSV",
    Source.Kind.ACLED: "ACLED",
    Source.Kind.FIRMS: "NASA FIRMS",
    Source.Kind.MONITOR_REPORT: "Monitor reports",
}
FEED_KINDS = (Source.Kind.PARLEY, Source.Kind.ACLED, Source.Kind.FIRMS)
# The incident types as the OSCE monitors' daily reports name them.
REPORT_TYPES = {
    "impact": _("Impact"),
    "outgoing_fire": _("Outgoing fire"),
    "explosion": _("Explosion"),
    "small_arms": _("Small-arms fire"),
    "drone": _("Drone"),
    "movement": _("Movement"),
}
# Who a source says acted is the source's attribution; Parley keeps none (see the module doc).
NOT_KEPT = frozenset({"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2",
                      "interaction"})
# Allowed steps of the verification; the value is the service's audit action.
TRANSITIONS = {
    (Event.Status.CANDIDATE, Event.Status.UNDER_REVIEW): "event.start_review",
    (Event.Status.UNDER_REVIEW, Event.Status.CONFIRMED): "event.confirm",
    (Event.Status.UNDER_REVIEW, Event.Status.DISMISSED): "event.dismiss",
    (Event.Status.UNDER_REVIEW, Event.Status.UNVERIFIABLE): "event.mark_unverifiable",
}
# A site alert is raised whatever the time: the site's protection has no window.
_ALWAYS = [{"start": "1970-01-01T00:00:00Z", "end": "2200-01-01T00:00:00Z"}]
_EARTH_RADIUS_M = 6_371_008.8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ensure(predicate, actor, *args, message) -> None:
    if not predicate(actor, *args):
        raise Forbidden(message)


def source_for(kind: str, name: str | None = None) -> Source:
    source, _created = Source.objects.get_or_create(
        name=name or SOURCE_NAMES[kind], defaults={"kind": kind}
    )
    return source


def monitoring_settings() -> MonitoringSettings:
    found = MonitoringSettings.objects.order_by("pk").first()
    return found or MonitoringSettings.objects.create()


# -- reading feeds -------------------------------------------------------------------------


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


def _rejected_report(error: monitor.IncidentValidationError) -> list[dict]:
    return [
        {"line": problem.line, "field": problem.field, "reason": problem.reason}
        for problem in error.errors
    ]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _batch_rows() -> int:
    """Rows per batch of the reader: each batch is one step of the progress shown."""
    return getattr(settings, "MONITORING_IMPORT_BATCH_ROWS", IMPORT_BATCH_ROWS)


def incidents_import(
    *,
    actor,
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
        phase=ImportRun.Phase.READING,
    )
    return _process(run, path=path, kind=kind, progress=progress,
                    batch_rows=batch_rows or _batch_rows())


def import_queue(*, actor, kind: str, upload, source_name: str | None = None) -> ImportRun:
    """An uploaded file (page or API) stored under `VAR_DIR/imports` and queued for the
    worker (`tasks.import_run`), which reads it with progress; the run starts `queued`."""
    _ensure(rules.can_import_incidents, actor,
            message=gettext("Only monitors and the secretariat import incidents."))
    if kind not in FEED_KINDS:
        raise ValidationError({"source": [gettext("Choose parley, acled or firms.")]})
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    # The suffix is kept: the reader tells Parquet from CSV by it.
    stored = directory / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()[:10]}"
    digest, lines, size, last = hashlib.sha256(), 0, 0, b"\n"
    with stored.open("wb") as stream:
        for chunk in upload.chunks():
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
        transaction.on_commit(lambda: tasks.import_run.enqueue(run.pk))
    return run


def import_process(*, import_run_id: int, progress: Callable[[int], None] | None = None,
                   batch_rows: int | None = None) -> ImportRun | None:
    """The worker's side of `import_queue`: claim the queued run (so that a task run twice or
    by two workers reads the file once), read it, and remove the stored file. Takes no actor:
    the run carries who queued it, and the permission is checked again against that person."""
    claimed = ImportRun.objects.filter(pk=import_run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, phase=ImportRun.Phase.READING)
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


def _read_pass(run: ImportRun, *, path: Path, feed, progress, batch_rows: int) -> bool:
    """The first reading, outside the import's transaction: it checks every row and saves the
    progress after each batch, so the page sees it. True when the file needs the exact (whole
    file) reading; raises `IncidentValidationError` naming every bad row."""
    try:
        for incidents in monitor.fast_batches(path, feed, batch_rows):
            run.rows_read += len(incidents)
            run.save(update_fields=["rows_read"])
            if progress is not None:
                progress(run.rows_read)
        return False
    except monitor.NeedsExactReading:
        run.rows_read = len(monitor.read_exact(path, feed))
        run.save(update_fields=["rows_read"])
        if progress is not None:
            progress(run.rows_read)
        return True


def _process(run: ImportRun, *, path: Path, kind: str, progress, batch_rows: int) -> ImportRun:
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
        return _reject(run, _rejected_report(error))
    except OSError as error:
        return _reject(run, [{"line": None, "field": None,
                              "reason": f"cannot be read: {error.strerror or error}"}])
    run.phase = ImportRun.Phase.SAVING
    run.save(update_fields=["phase"])
    batches = [monitor.read_exact(path, feed)] if exact else \
        monitor.fast_batches(path, feed, batch_rows)
    notes: list[str] = []
    with transaction.atomic():
        _refresh_before_new_incidents()
        for incidents in batches:
            _insert(run, run.source, kind, incidents)
            notes.extend(note for note in incidents.notes if note not in notes)
        run.status = ImportRun.Status.SUCCEEDED
        run.phase = ""
        run.created = Incident.objects.filter(import_run=run).count()
        run.duplicates = run.rows_read - run.created
        run.candidates = _classify_new(run).candidates
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "phase", "created", "duplicates", "candidates",
                                "finished_at"])
        audit_append(actor=run.started_by, action="monitoring.import", obj=run,
                     after=_run_state(run), note="\n".join(notes))
    return run


def _reject(run: ImportRun, problems: list[dict]) -> ImportRun:
    with transaction.atomic():
        run.status, run.phase = ImportRun.Status.REJECTED, ""
        run.rejected_rows = problems
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "phase", "rejected_rows", "finished_at"])
        audit_append(actor=run.started_by, action="monitoring.import_rejected", obj=run,
                     after={"file": run.file_name, "sha256": run.sha256,
                            "rejected": len(problems)})
    return run


def _run_state(run: ImportRun) -> dict:
    return {"file": run.file_name, "sha256": run.sha256, "source": run.source.name,
            "rows_read": run.rows_read, "created": run.created, "duplicates": run.duplicates,
            "candidates": run.candidates}


def _clean(value) -> str:
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


def _insert(run, source, kind, incidents) -> None:
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


# -- classification --------------------------------------------------------------------------


def _classified_agreements(agreement_ids: Iterable[int] | None = None) -> list[Agreement]:
    agreements = Agreement.objects.filter(status__in=SETTLED).prefetch_related("versions")
    if agreement_ids is not None:
        agreements = agreements.filter(pk__in=list(agreement_ids))
    return list(agreements.order_by("code"))


def _prepared(agreements: list[Agreement]) -> tuple[list[geo.PreparedArea], list[Agreement]]:
    """Every area of the agreements, prepared for the engine, and the agreement of each."""
    areas, owners = [], []
    for agreement in agreements:
        collection = agreement_areas_geojson(agreement)
        if not collection["features"]:
            continue
        for area in geo.parse_areas(collection):
            areas.append(area)
            owners.append(agreement)
    return geo.prepare_areas(areas), owners


def _site_areas(sites) -> tuple[list[geo.PreparedArea], list]:
    features = [
        {"type": "Feature", "id": site.reference,
         "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
         "properties": {"agreement": site.reference, "kind": "site",
                        "width_m": 2 * site.radius_m, "windows": _ALWAYS}}
        for site in sites
    ]
    if not features:
        return [], []
    return geo.prepare_areas(geo.parse_areas({"type": "FeatureCollection",
                                              "features": features})), list(sites)


def _notified_sites():
    return list(Site.objects.filter(status=Site.Status.ACTIVE).order_by("reference"))


def _ns(values: list[datetime | None]) -> np.ndarray:
    stamps = [
        np.datetime64(value.astimezone(UTC).replace(tzinfo=None), "us")
        if value is not None else np.datetime64("NaT", "us")
        for value in values
    ]
    return np.array(stamps, dtype="datetime64[us]").astype("datetime64[ns]").view(np.int64)


def _incident_chunks(incidents):
    """The incidents as arrays, `CLASSIFY_CHUNK` at a time (bounded memory)."""
    rows = incidents.order_by("pk").values_list(
        "pk", "lon", "lat", "time_start", "time_end", "precision_m"
    )
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CLASSIFY_CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        pks, lon, lat, starts, ends, precision = zip(*chunk, strict=True)
        has_end = any(end is not None for end in ends)
        end_ns = None
        if has_end:
            # An instant among intervals is the interval of one microsecond that holds it.
            end_ns = _ns([end or start + timedelta(microseconds=1)
                          for start, end in zip(starts, ends, strict=True)])
        yield (np.array(pks, dtype=np.int64), np.array(lon, dtype=float),
               np.array(lat, dtype=float), _ns(list(starts)), end_ns,
               np.array(precision, dtype=float))


def _engine(prepared, lon, lat, start_ns, precision, end_ns):
    """The geo engine's batch classification; day-long incidents as intervals."""
    if end_ns is None:
        return geo.classify_arrays(prepared, lon, lat, start_ns, precision)
    return geo.classify_arrays(prepared, lon, lat, start_ns, precision, t_end_ns=end_ns)


def _classify(run, incidents, agreements, *, sites: bool = True) -> None:
    """Classification rows (and site alerts) for the incidents (a queryset), in chunks."""
    prepared, owners = _prepared(agreements)
    site_prepared, notified = _site_areas(_notified_sites()) if sites else ([], [])
    for pks, lon, lat, start_ns, end_ns, precision in _incident_chunks(incidents):
        run.incidents += len(pks)
        if prepared:
            incident_idx, feature_idx, relation, in_window = _engine(
                prepared, lon, lat, start_ns, precision, end_ns
            )
            rows = [
                Classification(
                    run=run, incident_id=int(pks[i]), agreement=owners[f],
                    feature_id=prepared[f].area.id, relation=geo.RELATIONS[code],
                    in_window=bool(active),
                )
                for i, f, code, active in zip(
                    incident_idx.tolist(), feature_idx.tolist(), relation.tolist(),
                    in_window.tolist(), strict=True,
                )
            ]
            Classification.objects.bulk_create(rows, batch_size=BATCH_SIZE,
                                               ignore_conflicts=True)
            run.rows += len(rows)
            run.candidates += int(np.count_nonzero(in_window))
        if site_prepared:
            incident_idx, feature_idx, relation, _active = geo.classify_arrays(
                site_prepared, lon, lat, start_ns, precision
            )
            alerts = [
                SiteAlert(run=run, incident_id=int(pks[i]), site=notified[f],
                          relation=geo.RELATIONS[code])
                for i, f, code in zip(incident_idx.tolist(), feature_idx.tolist(),
                                      relation.tolist(), strict=True)
            ]
            SiteAlert.objects.bulk_create(alerts, batch_size=BATCH_SIZE, ignore_conflicts=True)
            run.site_alerts += len(alerts)


def _finish(run: ClassificationRun) -> ClassificationRun:
    run.finished_at = timezone.now()
    run.save(update_fields=["incidents", "rows", "candidates", "site_alerts", "finished_at"])
    if run.site_alerts:
        transaction.on_commit(lambda: tasks.announce_site_alerts.enqueue(run.pk))
    return run


def _classify_new(import_run: ImportRun) -> ClassificationRun:
    run = ClassificationRun.objects.create(trigger=ClassificationRun.Trigger.IMPORT,
                                          import_run=import_run)
    incidents = Incident.objects.filter(import_run=import_run)
    _classify(run, incidents, _classified_agreements())
    _group(incidents)
    return _finish(run)


def _classify_one(incident: Incident) -> ClassificationRun:
    run = ClassificationRun.objects.create(trigger=ClassificationRun.Trigger.IMPORT)
    incidents = Incident.objects.filter(pk=incident.pk)
    _classify(run, incidents, _classified_agreements())
    _group(incidents)
    return _finish(run)


def reclassify_agreement(agreement_id: int) -> ClassificationRun:
    """Replace the classification rows of one agreement after its areas, windows or status
    changed: for the agreements services to call on commit (each import also catches up, see
    `reclassify_stale_agreements`). It takes no actor because it changes nothing a person
    decided: events and their verification stay as they are."""
    with transaction.atomic():
        Classification.objects.filter(agreement_id=agreement_id).delete()
        run = ClassificationRun.objects.create(
            trigger=ClassificationRun.Trigger.AGREEMENT, agreement_id=agreement_id
        )
        agreements = _classified_agreements([agreement_id])
        if agreements:
            _classify(run, Incident.objects.all(), agreements, sites=False)
            _group(Incident.objects.filter(
                classifications__agreement_id=agreement_id, classifications__in_window=True
            ).distinct())
        return _finish(run)


def reclassify_stale_agreements() -> list[int]:
    """Bring up to date every agreement changed since it was last classified (or never was):
    called before new incidents come in, so that the stored rows hold even where no hook ran
    when the agreement changed."""
    last_run = (ClassificationRun.objects
                .filter(trigger=ClassificationRun.Trigger.AGREEMENT, agreement=OuterRef("pk"))
                .order_by("-started_at").values("started_at")[:1])
    stale = list(Agreement.objects.filter(status__in=SETTLED)
                 .annotate(classified_at=Subquery(last_run))
                 .filter(Q(classified_at__isnull=True) | Q(classified_at__lt=F("updated_at")))
                 .order_by("pk").values_list("pk", flat=True))
    for agreement_id in stale:
        reclassify_agreement(agreement_id)
    return stale


def _refresh_before_new_incidents() -> None:
    reclassify_stale_agreements()
    reclassify_stale_sites()


def reclassify_stale_sites() -> bool:
    """Recompute the site alerts when a site was notified or withdrawn since the last time."""
    last = (ClassificationRun.objects
            .filter(trigger=ClassificationRun.Trigger.SITES)
            .order_by("-started_at").values_list("started_at", flat=True).first())
    changed = Site.objects.all() if last is None else Site.objects.filter(updated_at__gt=last)
    if not changed.exists():
        return False
    reclassify_sites()
    return True


def reclassify_sites() -> ClassificationRun:
    """Recompute every site alert, after a site was notified or withdrawn."""
    with transaction.atomic():
        # Alerts found again keep the time their organisation was told: told once per alert.
        told = dict(((incident, site), at) for incident, site, at in SiteAlert.objects.filter(
            notified_at__isnull=False).values_list("incident_id", "site_id", "notified_at"))
        SiteAlert.objects.all().delete()
        run = ClassificationRun.objects.create(trigger=ClassificationRun.Trigger.SITES)
        _classify(run, Incident.objects.all(), [])
        again = [SiteAlert(pk=pk, notified_at=told[(incident, site)])
                 for pk, incident, site in SiteAlert.objects.filter(run=run).values_list(
                     "pk", "incident_id", "site_id") if (incident, site) in told]
        SiteAlert.objects.bulk_update(again, ["notified_at"], batch_size=BATCH_SIZE)
        return _finish(run)


# -- grouping into events --------------------------------------------------------------------


def _distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres (haversine; the grouping distance is a rule of thumb
    of a few kilometres, well within its accuracy)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _next_reference(year: int) -> str:
    prefix = f"EV-{year}-"
    last = (Event.objects.filter(reference__startswith=prefix)
            .order_by("-reference").values_list("reference", flat=True).first())
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _group(incidents) -> None:
    """Attach each candidate violation without an event to the nearest event within the
    secretariat's time and distance, or open a new event for it."""
    rule = MonitoringSettings.objects.select_for_update().filter(
        pk=monitoring_settings().pk).get()
    slack = timedelta(minutes=rule.group_minutes)
    degrees = rule.group_distance_m / 100_000 + 0.01
    loose = (incidents.filter(event__isnull=True, classifications__in_window=True)
             .distinct().order_by("time_start", "pk"))
    for incident in loose:
        end = incident.time_end or incident.time_start
        earliest, latest = incident.time_start - slack, end + slack
        # Events are few and carry their span: those near in time first, then their reports
        # (the event's span leaves out its day-long reports, so the reports are checked too).
        events_near = Event.objects.filter(
            time_start__lte=latest + timedelta(days=1), time_end__gte=earliest - timedelta(days=1),
            lat__gte=incident.lat - degrees - 1, lat__lte=incident.lat + degrees + 1,
        ).values("pk")
        nearby = [
            (event_id, lon, lat) for event_id, lon, lat, start, stop in
            Incident.objects.filter(event__in=events_near).values_list(
                "event_id", "lon", "lat", "time_start", "time_end")
            if start <= latest and (stop or start) >= earliest
        ]
        event = None
        if nearby:
            distances = _distance_m([row[1] for row in nearby], [row[2] for row in nearby],
                                    incident.lon, incident.lat)
            best = int(np.argmin(distances))
            if distances[best] <= rule.group_distance_m:
                event = Event.objects.select_for_update().get(pk=nearby[best][0])
        if event is None:
            event = Event.objects.create(
                reference=_next_reference(incident.time_start.year), lon=incident.lon,
                lat=incident.lat, time_start=incident.time_start, time_end=end,
            )
        incident.event = event
        incident.save(update_fields=["event"])
        _fit_event(event)


def _fit_event(event: Event) -> None:
    """The event's span: from its first to its last report of an instant; only when every
    report is known to the day does it span those days. Its place: the most precise report's."""
    reports = list(event.incidents.values_list("time_start", "time_end", "precision_m", "lon",
                                               "lat"))
    instants = [start for start, end, *_rest in reports if end is None]
    if instants:
        event.time_start, event.time_end = min(instants), max(instants)
    else:
        event.time_start = min(start for start, *_rest in reports)
        event.time_end = max(end for _start, end, *_rest in reports)
    _start, _end, _precision, event.lon, event.lat = min(reports, key=lambda r: (r[2], r[0]))
    event.save(update_fields=["time_start", "time_end", "lon", "lat", "updated_at"])


# -- monitor reports and the API -------------------------------------------------------------


def _store_evidence(*, actor, upload, incident=None, verification=None) -> Evidence:
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"files": [gettext("%(name)s is larger than 50 MB.")
                                         % {"name": upload.name}]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    upload.seek(0)
    suffix = Path(upload.name).suffix.lower()[:10]
    evidence = Evidence(
        incident=incident, verification=verification, name=upload.name[:255],
        content_type=getattr(upload, "content_type", "") or "", size=upload.size, sha256=sha,
        uploaded_by=actor,
    )
    evidence.file.save(f"{sha[:2]}/{sha}{suffix}", upload, save=False)
    evidence.save()
    return evidence


def _aware(value, zone: str | None, field: str) -> datetime:
    try:
        return timewin.parse_instant(value, zone, field=field)
    except timewin.WindowError as error:
        reason = gettext(error.reason)
        raise ValidationError({field: [f"{reason} ({error.detail})" if error.detail else reason]}
                              ) from error


def monitor_report(
    *,
    actor,
    lon: float,
    lat: float,
    time,
    zone: str | None = None,
    type: str,
    description: str = "",
    precision_m: float = 0,
    files: Iterable = (),
) -> Incident:
    """A monitor's own report from the field: a position, a time (with an offset, or local in
    `zone`), an OSCE incident type, and photos or files kept with their SHA-256."""
    _ensure(rules.can_report_incident, actor,
            message=gettext("Only monitors file incident reports."))
    errors: dict[str, list] = {}
    if not (isinstance(lat, int | float) and -90 <= lat <= 90 and math.isfinite(lat)):
        errors.setdefault("lat", []).append(gettext("Give a latitude from -90 to 90."))
    if not (isinstance(lon, int | float) and -180 <= lon <= 180 and math.isfinite(lon)):
        errors.setdefault("lon", []).append(gettext("Give a longitude from -180 to 180."))
    if type not in REPORT_TYPES:
        errors.setdefault("type", []).append(
            gettext("Choose one of: %(types)s.") % {"types": ", ".join(REPORT_TYPES)})
    if not (isinstance(precision_m, int | float) and 0 <= precision_m <= 100_000):
        errors.setdefault("precision_m", []).append(
            gettext("Give the precision in metres, from 0 to 100000."))
    if "\x00" in description:
        errors.setdefault("description", []).append(
            gettext("Remove the NUL character from the text."))
    try:
        moment = _aware(time, zone, "time")
    except ValidationError as error:
        errors.update(error.message_dict)
        moment = None
    if moment is not None and moment > timezone.now() + timedelta(minutes=5):
        errors.setdefault("time", []).append(gettext("The time lies in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refresh_before_new_incidents()
        incident = Incident.objects.create(
            source=source_for(Source.Kind.MONITOR_REPORT), external_id=f"MR-{uuid.uuid4().hex}",
            lon=float(lon), lat=float(lat), time_start=moment, precision_m=float(precision_m),
            type=type, description=description.strip(), reporter=actor,
            attributes={"zone": zone} if zone else {},
        )
        for upload in files:
            _store_evidence(actor=actor, upload=upload, incident=incident)
        _classify_one(incident)
        incident.refresh_from_db()
        audit_append(actor=actor, action="monitoring.report", obj=incident,
                     after={"lon": incident.lon, "lat": incident.lat,
                            "time": incident.time_start.isoformat(), "type": type,
                            "files": [e.sha256 for e in incident.evidence.all()]})
    return incident


def incidents_ingest(*, actor, source_name: str, items: list[dict]) -> ImportRun:
    """Incidents sent by another system (the API): the same checks as a Parley CSV file, the
    same idempotence by (source, id), all or nothing. Errors name `items[i].field`."""
    _ensure(rules.can_import_incidents, actor,
            message=gettext("Only monitors and the secretariat import incidents."))
    columns = ["id", "lat", "lon", "time", "precision_m", "type"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow(["" if item.get(name) is None else item.get(name) for name in columns])
    text = buffer.getvalue()
    source = source_for(Source.Kind.API, source_name)
    digest = hashlib.sha256(text.encode()).hexdigest()
    try:
        incidents = monitor.parse_parley_csv(text)
    except monitor.IncidentValidationError as error:
        raise ValidationError({
            (f"items[{problem.line - 2}].{problem.field}" if problem.line and problem.field
             else f"items[{problem.line - 2}]" if problem.line else "items"):
            [problem.reason] for problem in error.errors
        }) from error
    with transaction.atomic():
        _refresh_before_new_incidents()
        run = ImportRun.objects.create(
            source=source, started_by=actor, file_name="api", sha256=digest,
            status=ImportRun.Status.SUCCEEDED, rows_read=len(incidents),
        )
        _insert(run, source, Source.Kind.API, incidents)
        run.created = Incident.objects.filter(import_run=run).count()
        run.duplicates = len(incidents) - run.created
        run.candidates = _classify_new(run).candidates
        run.finished_at = timezone.now()
        run.save(update_fields=["created", "duplicates", "candidates", "finished_at"])
        audit_append(actor=actor, action="monitoring.import", obj=run, after=_run_state(run))
    return run


# -- verification and accounts ---------------------------------------------------------------


def _verify(*, actor, event: Event, to_status: str, reasoning: str, files) -> Event:
    from parley.monitoring.selectors import event_get

    event = event_get(actor=actor, reference=event.reference)
    _ensure(rules.can_verify_event, actor, message=gettext("Only monitors verify events."))
    reasoning = (reasoning or "").strip()
    if "\x00" in reasoning:
        raise ValidationError({"reasoning": [gettext("Remove the NUL character from the text.")]})
    if to_status != Event.Status.UNDER_REVIEW and not reasoning:
        raise ValidationError({"reasoning": [gettext("Give the reasoning for the conclusion.")]})
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        action = TRANSITIONS.get((event.status, to_status))
        if action is None:
            raise ValidationError({"status": [
                gettext("Event %(reference)s is %(status)s; it cannot become %(target)s.")
                % {"reference": event.reference, "status": event.get_status_display(),
                   "target": Event.Status(to_status).label}
            ]})
        before = event.status
        event.status = to_status
        event.save(update_fields=["status", "updated_at"])
        step = Verification.objects.create(event=event, from_status=before, to_status=to_status,
                                           reasoning=reasoning, actor=actor)
        for upload in files:
            _store_evidence(actor=actor, upload=upload, verification=step)
        audit_append(actor=actor, action=action, obj=event, before={"status": before},
                     after={"status": to_status, "reasoning": reasoning,
                            "files": [e.sha256 for e in step.evidence.all()]})
    return event


def event_start_review(*, actor, event: Event, reasoning: str = "", files=()) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.UNDER_REVIEW,
                   reasoning=reasoning, files=files)


def event_confirm(*, actor, event: Event, reasoning: str, files=()) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.CONFIRMED,
                   reasoning=reasoning, files=files)


def event_dismiss(*, actor, event: Event, reasoning: str, files=()) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.DISMISSED,
                   reasoning=reasoning, files=files)


def event_mark_unverifiable(*, actor, event: Event, reasoning: str, files=()) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.UNVERIFIABLE,
                   reasoning=reasoning, files=files)


def party_account_attach(*, actor, event: Event, text: str, shared: bool = False) -> PartyAccount:
    """A belligerent party's own account of an event it can see."""
    from parley.monitoring.selectors import event_get

    event = event_get(actor=actor, reference=event.reference)
    _ensure(rules.can_attach_account, actor,
            message=gettext("A party's delegates give its account of an event."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [gettext("Write the account.")]})
    if "\x00" in text:
        raise ValidationError({"text": [gettext("Remove the NUL character from the text.")]})
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        account = PartyAccount.objects.create(event=event, party=actor.party, author=actor,
                                              text=text, shared=bool(shared))
        audit_append(actor=actor, action="event.attach_account", obj=event,
                     after={"account": account.pk, "party": actor.party.slug,
                            "shared": account.shared})
    return account


def monitoring_settings_update(*, actor, group_distance_m: int, group_minutes: int
                               ) -> MonitoringSettings:
    _ensure(rules.can_change_monitoring_settings, actor,
            message=gettext("Only the secretariat sets the grouping rule."))
    errors = {}
    if not isinstance(group_distance_m, int) or not 0 <= group_distance_m <= 100_000:
        errors["group_distance_m"] = [gettext("Give a whole number of metres, 0 to 100000.")]
    if not isinstance(group_minutes, int) or not 0 <= group_minutes <= 7 * 24 * 60:
        errors["group_minutes"] = [gettext("Give a whole number of minutes, 0 to 10080.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = MonitoringSettings.objects.select_for_update().get(pk=monitoring_settings().pk)
        before = {"group_distance_m": rule.group_distance_m, "group_minutes": rule.group_minutes}
        rule.group_distance_m, rule.group_minutes = group_distance_m, group_minutes
        rule.save(update_fields=["group_distance_m", "group_minutes", "updated_at"])
        audit_append(actor=actor, action="monitoring.settings", obj=rule, before=before,
                     after={"group_distance_m": group_distance_m,
                            "group_minutes": group_minutes})
    return rule


def reclassify_stale() -> dict[str, object]:
    """The worker's periodic job: bring classification rows and site alerts up to date after an
    agreement or a site changed, so that candidates appear without waiting for the next import
    and without the agreements or access apps knowing about monitoring."""
    return {"agreements": reclassify_stale_agreements(), "sites": reclassify_stale_sites()}
