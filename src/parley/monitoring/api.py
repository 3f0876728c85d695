"""Monitoring over HTTP: parse, one service or selector call, render."""

from typing import TYPE_CHECKING, Literal

from django.http import HttpResponse, JsonResponse
from ninja import File, Form, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from parley.core.auth import API_AUTH
from parley.core.readcache import cached_read
from parley.core.schemas import IsoDate, IsoDateTime
from parley.core.types import ApiRequest
from parley.monitoring import selectors, services
from parley.monitoring.schemas import (
    AccountIn,
    AccountOut,
    EventDetailOut,
    EventOut,
    ImportOut,
    IncidentOut,
    IngestIn,
    RejectedRowOut,
    SiteAlertOut,
    VerifyIn,
)

router = Router(tags=["monitoring"], auth=API_AUTH)

EventStatus = Literal["candidate", "under_review", "confirmed", "dismissed", "unverifiable"]
FeedKind = Literal["parley", "acled", "firms"]


def _event_out(actor, event) -> dict:
    placements = selectors.event_placement_list(actor=actor, events=[event]).get(event.pk, [])
    return {"reference": event.reference, "status": event.status, "lat": event.lat,
            "lon": event.lon, "time_start": event.time_start, "time_end": event.time_end,
            "placements": placements}


def _event_detail(actor, reference: str) -> dict:
    event = selectors.event_get(actor=actor, reference=reference)
    return {
        **_event_out(actor, event),
        "reports": selectors.event_reports(actor=actor, event=event),
        "verifications": selectors.event_verifications(actor=actor, event=event),
        "accounts": selectors.event_accounts(actor=actor, event=event),
    }


@router.post("/monitoring/incidents", response={201: ImportOut})
def incidents_ingest(request: ApiRequest, payload: IngestIn):
    """Incidents from another system: all or nothing, idempotent by (source, id); classified
    against the agreements at once."""
    run = services.incidents_ingest(
        actor=request.auth, source_name=payload.source,
        items=[item.dict() for item in payload.incidents],
    )
    return Status(201, run)


@router.post("/monitoring/imports", response={202: ImportOut})
def import_file(request: ApiRequest, source: Form[FeedKind], file: File[UploadedFile]):
    """A feed file (Parley CSV, ACLED, FIRMS), queued for the background worker: poll
    `GET /monitoring/imports/{id}` until its status is `succeeded` or `rejected` (the latter
    with every rejected row)."""
    run = services.import_queue(actor=request.auth, kind=source, upload=file)
    return Status(202, selectors.import_run_get(actor=request.auth, pk=run.pk))


@router.get("/monitoring/imports/{pk}", response=ImportOut)
def import_detail(request: ApiRequest, pk: int):
    return selectors.import_run_get(actor=request.auth, pk=pk)


@router.get("/monitoring/imports/{pk}/rejected-rows", response=list[RejectedRowOut])
@paginate(LimitOffsetPagination)
def import_rejected_rows(request: ApiRequest, pk: int):
    """The rejected rows an import kept (its first ones; `rejected_total` counts them all)."""
    return selectors.import_run_get(actor=request.auth, pk=pk).rejected_rows


@router.get("/monitoring/incidents", response=list[IncidentOut])
@paginate(LimitOffsetPagination)
def incident_list(request: ApiRequest, source: str | None = None,
                  since: IsoDateTime | None = None,
                  until: IsoDateTime | None = None):
    return selectors.incident_list(actor=request.auth, source=source, since=since, until=until,
                                   limit=None)


@router.get("/monitoring/events", response=list[EventOut])
@decorate_view(cached_read)
@paginate(LimitOffsetPagination)
def event_list(request: ApiRequest, status: EventStatus | None = None,
               agreement: str | None = None, area: str | None = None,
               day: IsoDate | None = None):
    """Candidate and verified violations; `status=candidate` lists those awaiting review."""
    return selectors.event_summary_list(actor=request.auth, status=status, agreement=agreement,
                                        area=area, day=day)


def _export_rows(actor, status, agreement, area, day):
    events = selectors.event_list(actor=actor, status=status, agreement=agreement, area=area,
                                  day=day)
    return selectors.event_rows(actor=actor, events=events)


@router.get(
    "/monitoring/events.geojson",
    openapi_extra={"responses": {200: {"description": "RFC 7946 GeoJSON of the events",
                                       "content": {"application/geo+json": {}}}}},
)
def events_geojson(request: ApiRequest, status: EventStatus | None = None,
                   agreement: str | None = None, area: str | None = None,
                   day: IsoDate | None = None):
    """The events as GeoJSON Points, with the same filters as the list."""
    rows = _export_rows(request.auth, status, agreement, area, day)
    return JsonResponse(selectors.events_geojson(rows), content_type="application/geo+json",
                        json_dumps_params={"ensure_ascii": False})


@router.get(
    "/monitoring/events.csv",
    openapi_extra={"responses": {200: {"description": "CSV with an HXL hashtag row",
                                       "content": {"text/csv": {}}}}},
)
def events_csv(request: ApiRequest, status: EventStatus | None = None,
               agreement: str | None = None, area: str | None = None,
               day: IsoDate | None = None):
    """The events as CSV with an HXL hashtag row under the header."""
    rows = _export_rows(request.auth, status, agreement, area, day)
    return HttpResponse(selectors.events_csv(rows), content_type="text/csv; charset=utf-8")


@router.get("/monitoring/events/{reference}", response=EventDetailOut)
def event_detail(request: ApiRequest, reference: str):
    return _event_detail(request.auth, reference)


def _transition(request, reference, call, payload: VerifyIn, files):
    event = selectors.event_get(actor=request.auth, reference=reference)
    call(actor=request.auth, event=event, reasoning=payload.reasoning, files=files or [])
    return _event_detail(request.auth, reference)


# Verification steps are multipart forms: `reasoning` and any number of `files` (evidence,
# stored under their SHA-256 like the page's). django-ninja passes None when none is sent; the
# annotation is also the OpenAPI schema, where `| None` would add a null, so only mypy reads it.
if TYPE_CHECKING:
    Evidence = list[UploadedFile] | None
else:
    Evidence = File[list[UploadedFile]]


@router.post("/monitoring/events/{reference}/review", response=EventDetailOut)
def event_start_review(request: ApiRequest, reference: str, payload: Form[VerifyIn],
                       files: Evidence = None):
    return _transition(request, reference, services.event_start_review, payload, files)


@router.post("/monitoring/events/{reference}/confirm", response=EventDetailOut)
def event_confirm(request: ApiRequest, reference: str, payload: Form[VerifyIn],
                  files: Evidence = None):
    return _transition(request, reference, services.event_confirm, payload, files)


@router.post("/monitoring/events/{reference}/dismiss", response=EventDetailOut)
def event_dismiss(request: ApiRequest, reference: str, payload: Form[VerifyIn],
                  files: Evidence = None):
    return _transition(request, reference, services.event_dismiss, payload, files)


@router.post("/monitoring/events/{reference}/unverifiable", response=EventDetailOut)
def event_mark_unverifiable(request: ApiRequest, reference: str, payload: Form[VerifyIn],
                            files: Evidence = None):
    return _transition(request, reference, services.event_mark_unverifiable, payload, files)


@router.post("/monitoring/events/{reference}/accounts", response={201: AccountOut})
def event_account(request: ApiRequest, reference: str, payload: AccountIn):
    event = selectors.event_get(actor=request.auth, reference=reference)
    account = services.party_account_attach(actor=request.auth, event=event, text=payload.text,
                                            shared=payload.shared)
    return Status(201, account)


@router.get("/monitoring/site-alerts", response=list[SiteAlertOut])
@paginate(LimitOffsetPagination)
def site_alerts(request: ApiRequest):
    """Incidents inside or near the protective radius of notified sites: all of them for
    monitors and the secretariat, those of its own sites for a humanitarian organisation."""
    return selectors.site_alerts(actor=request.auth, limit=None)
