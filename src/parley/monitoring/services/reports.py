"""Reports by monitors (one incident with evidence) and incidents pushed through the API."""

import csv
import hashlib
import io
import math
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from parley.audit.services import audit_append
from parley.core.types import Actor
from parley.engines import monitor, timewin
from parley.engines.geo import sanity
from parley.monitoring import rules
from parley.monitoring.models import (
    Evidence,
    ImportRun,
    Incident,
    Source,
    Verification,
)
from parley.monitoring.services.classification import (
    _classify_new,
    _classify_one,
    _refresh_before_new_incidents,
)
from parley.monitoring.services.common import MAX_EVIDENCE_BYTES, REPORT_TYPES, _ensure, source_for
from parley.monitoring.services.imports import _insert, _run_state, warnings_out


def _store_evidence(
    *, actor: Actor, upload: UploadedFile, incident: Incident | None = None,
    verification: Verification | None = None,
) -> Evidence:
    if upload.name is None or upload.size is None:
        raise ValueError("an uploaded file always has a name and a size")
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


def _aware(value: Any, zone: str | None, field: str) -> datetime:
    try:
        return timewin.parse_instant(value, zone, field=field)
    except timewin.WindowError as error:
        reason = gettext(error.reason)
        raise ValidationError({field: [f"{reason} ({error.detail})" if error.detail else reason]}
                              ) from error


def monitor_report(
    *,
    actor: Actor,
    lon: float,
    lat: float,
    time: Any,
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
    if moment is None:  # not reached: a time that cannot be read is an error above
        raise ValueError("the report has no time")
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


def incidents_ingest(*, actor: Actor, source_name: str, items: list[dict]) -> ImportRun:
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
    if source_name is not None and "\x00" in source_name:
        # PostgreSQL refuses to store or compare text with a NUL: a 422, not a 500.
        raise ValidationError({"source": [gettext("Remove the NUL character from the text.")]})
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
        tally = sanity.PointTally()
        tally.add(incidents.lon, incidents.lat)
        run.warnings = warnings_out(tally.warnings())
        run.created = Incident.objects.filter(import_run=run).count()
        run.duplicates = len(incidents) - run.created
        run.candidates = _classify_new(run).candidates
        run.finished_at = timezone.now()
        run.save(update_fields=["created", "duplicates", "candidates", "finished_at",
                                "warnings"])
        audit_append(actor=actor, action="monitoring.import", obj=run, after=_run_state(run))
    return run
