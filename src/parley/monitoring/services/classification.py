"""Classification of incidents against agreement areas and notified sites, and the reclassification
the worker runs when an agreement or a site changed.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from parley.access.models import Site
from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_areas_geojson
from parley.engines import geo
from parley.monitoring import tasks
from parley.monitoring.models import (
    Classification,
    ClassificationRun,
    ImportRun,
    Incident,
    SiteAlert,
)
from parley.monitoring.services.common import _ALWAYS, BATCH_SIZE, CLASSIFY_CHUNK
from parley.monitoring.services.grouping import _group


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


def _site_areas(sites: Any) -> tuple[list[geo.PreparedArea], list]:
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


def _notified_sites() -> list[Site]:
    return list(Site.objects.filter(status=Site.Status.ACTIVE).order_by("reference"))


def _ns(values: list[datetime | None]) -> np.ndarray:
    stamps = [
        np.datetime64(value.astimezone(UTC).replace(tzinfo=None), "us")
        if value is not None else np.datetime64("NaT", "us")
        for value in values
    ]
    return np.array(stamps, dtype="datetime64[us]").astype("datetime64[ns]").view(np.int64)


def _incident_chunks(incidents: Any) -> Iterator[tuple]:
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


def _engine(
    prepared: Any, lon: Any, lat: Any, start_ns: Any, precision: Any, end_ns: Any
) -> Any:
    """The geo engine's batch classification; day-long incidents as intervals."""
    if end_ns is None:
        return geo.classify_arrays(prepared, lon, lat, start_ns, precision)
    return geo.classify_arrays(prepared, lon, lat, start_ns, precision, t_end_ns=end_ns)


def _classify(run: Any, incidents: Any, agreements: Any, *, sites: bool = True) -> None:
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
        tasks.announce_on_commit(run.pk)
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




def reclassify_stale() -> dict[str, object]:
    """The worker's periodic job: bring classification rows and site alerts up to date after an
    agreement or a site changed, so that candidates appear without waiting for the next import
    and without the agreements or access apps knowing about monitoring."""
    return {"agreements": reclassify_stale_agreements(), "sites": reclassify_stale_sites()}
