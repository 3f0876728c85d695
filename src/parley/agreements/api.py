"""Agreements over HTTP: parse, one service or selector call, render."""

from datetime import timedelta
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.decorators import decorate_view
from ninja.pagination import LimitOffsetPagination, paginate

from parley.agreements import presenters, selectors, services
from parley.agreements.feeds import AGREEMENT_FEED_AUTH, PAUSES_FEED_AUTH
from parley.agreements.ical import calendar
from parley.agreements.models import Agreement
from parley.agreements.schemas import (
    AgreementCreateIn,
    AgreementOut,
    AgreementSummaryOut,
    AgreementUpdateIn,
    AuditEntryOut,
    CalendarFeedCreatedOut,
    CalendarFeedIn,
    CalendarFeedOut,
    ConsentIn,
    ContactLineIn,
    ContactLineOut,
    CounterIn,
    ProposeIn,
    ReasonIn,
    VersionWithChangesOut,
)
from parley.core.auth import API_AUTH
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.readcache import cached_read
from parley.core.selectors import party_list
from parley.core.types import ApiRequest
from parley.engines.geo.export import kml_areas, rfc7946_collection
from parley.talks.selectors import process_get, round_get

router = Router(tags=["agreements"], auth=API_AUTH)

Phase = Literal[
    "draft", "proposed", "countered", "agreed", "active", "in_force", "completed", "suspended",
    "terminated",
]
ICS = "text/calendar; charset=utf-8"
GEOJSON = "application/geo+json"
KML = "application/vnd.google-earth.kml+xml"
# How far back and ahead the personal calendar feed reaches.
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


def _parties(actor, slugs: list[str]) -> list[Party]:
    searchable = [slug for slug in slugs if "\x00" not in slug]
    found = {party.slug: party for party in party_list(actor=actor).filter(slug__in=searchable)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ValidationError(
            {"bound_parties": [gettext("Unknown party: %(slugs)s") % {"slugs": ", ".join(unknown)}]}
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _round(actor, round_id: int | None):
    if round_id is None:
        return None
    try:
        return round_get(actor=actor, pk=round_id)
    except NotFound as exc:
        raise ValidationError({"round": [gettext("Unknown round.")]}) from exc


def _process(actor, process_id: int):
    try:
        return process_get(actor=actor, pk=process_id)
    except NotFound as exc:
        raise ValidationError({"process": [gettext("Unknown process.")]}) from exc


def _fetch(request: ApiRequest, code: str) -> Agreement:
    return selectors.agreement_get(actor=request.auth, code=code)


def _fresh(request: ApiRequest, agreement: Agreement) -> selectors.AgreementDetail:
    return selectors.agreement_detail_get(actor=request.auth, code=agreement.code)


@router.get("/agreements", response=list[AgreementSummaryOut])
@decorate_view(cached_read)
@paginate(LimitOffsetPagination)
def agreement_list(request: ApiRequest, phase: Phase | None = None):
    return selectors.agreement_summary_list(actor=request.auth, phase=phase)


@router.post("/agreements", response={201: AgreementOut})
def agreement_create(request: ApiRequest, payload: AgreementCreateIn):
    actor = request.auth
    if payload.code is not None:
        # A code of one's choosing would be refused when another party's hidden draft holds
        # it: an existence oracle. Parley draws every code (docs/security.md).
        raise ValidationError({"code": [gettext(
            "Parley chooses the agreement's code; leave the code out.")]})
    agreement = services.agreement_create_draft(
        actor=actor,
        process=_process(actor, payload.process),
        round=_round(actor, payload.round),
        kind=payload.kind,
        title=payload.title,
        purpose=payload.purpose,
        bound_parties=_parties(actor, payload.bound_parties),
        public=payload.public,
        areas=payload.areas,
        windows=payload.windows,
        lead_time_h=payload.lead_time_h,
        margin_min=payload.margin_min,
        who_may_move=payload.who_may_move,
        note=payload.note,
    )
    return Status(201, _fresh(request, agreement))


@router.get("/agreements/{code}", response=AgreementOut)
@decorate_view(cached_read)
def agreement_detail(request: ApiRequest, code: str):
    return selectors.agreement_detail_get(actor=request.auth, code=code)


@router.patch("/agreements/{code}", response=AgreementOut)
def agreement_update(request: ApiRequest, code: str, payload: AgreementUpdateIn):
    agreement = _fetch(request, code)
    changes = payload.dict(exclude_unset=True)
    if "bound_parties" in changes:
        changes["bound_parties"] = _parties(request.auth, changes["bound_parties"] or [])
    if "round" in changes:
        changes["round"] = _round(request.auth, changes["round"])
    services.agreement_update_draft(actor=request.auth, agreement=agreement, **changes)
    return _fresh(request, agreement)


@router.post("/agreements/{code}/propose", response=AgreementOut)
def agreement_propose(request: ApiRequest, code: str, payload: ProposeIn):
    agreement = _fetch(request, code)
    services.agreement_propose(
        actor=request.auth, agreement=agreement, round=_round(request.auth, payload.round)
    )
    return _fresh(request, agreement)


@router.post("/agreements/{code}/counter", response=AgreementOut)
def agreement_counter(request: ApiRequest, code: str, payload: CounterIn):
    agreement = _fetch(request, code)
    services.agreement_counter(
        actor=request.auth, agreement=agreement, **payload.dict(exclude_unset=True)
    )
    return _fresh(request, agreement)


@router.post("/agreements/{code}/consent", response=AgreementOut)
def agreement_consent(request: ApiRequest, code: str, payload: ConsentIn):
    agreement = _fetch(request, code)
    services.agreement_consent(actor=request.auth, agreement=agreement, version=payload.version)
    return _fresh(request, agreement)


@router.post("/agreements/{code}/suspend", response=AgreementOut)
def agreement_suspend(request: ApiRequest, code: str, payload: ReasonIn):
    agreement = _fetch(request, code)
    services.agreement_suspend(actor=request.auth, agreement=agreement, reason=payload.reason)
    return _fresh(request, agreement)


@router.post("/agreements/{code}/resume", response=AgreementOut)
def agreement_resume(request: ApiRequest, code: str, payload: ReasonIn):
    agreement = _fetch(request, code)
    services.agreement_resume(actor=request.auth, agreement=agreement, reason=payload.reason)
    return _fresh(request, agreement)


@router.post("/agreements/{code}/terminate", response=AgreementOut)
def agreement_terminate(request: ApiRequest, code: str, payload: ReasonIn):
    agreement = _fetch(request, code)
    services.agreement_terminate(actor=request.auth, agreement=agreement, reason=payload.reason)
    return _fresh(request, agreement)


@router.get("/agreements/{code}/versions", response=list[VersionWithChangesOut])
@paginate(LimitOffsetPagination)
def agreement_versions(request: ApiRequest, code: str):
    agreement = _fetch(request, code)
    versions = selectors.agreement_versions(actor=request.auth, agreement=agreement)
    return [
        {
            "version": selectors.version_detail(version),
            "changes": selectors.version_diff(previous, version) if previous else None,
        }
        for previous, version in zip([None, *versions], versions, strict=False)
    ]


@router.get("/agreements/{code}/audit", response=list[AuditEntryOut])
@paginate(LimitOffsetPagination)
def agreement_audit(request: ApiRequest, code: str):
    agreement = _fetch(request, code)
    return selectors.agreement_audit_trail(actor=request.auth, agreement=agreement)


@router.get(
    "/agreements/{code}/areas.geojson",
    openapi_extra={"responses": {200: {
        "description": "RFC 7946 GeoJSON: exterior rings counter-clockwise, holes clockwise, "
                       "coordinates to 6 decimals (0.11 m)",
        "content": {GEOJSON: {"schema": {"type": "object"}}}}}},
)
@decorate_view(cached_read)
def agreement_areas(request: ApiRequest, code: str, shape: Literal["line", "area"] = "line"):
    """The agreement's areas. `shape=line` (the default) keeps corridors and sites as Parley
    stores them, a line or point with `width_m`; `shape=area` gives the area itself as a
    polygon, for clients that draw only what they are given."""
    collection = rfc7946_collection(selectors.agreement_areas_get(actor=request.auth, code=code),
                                    as_areas=shape == "area")
    return JsonResponse(collection, content_type=GEOJSON)


@router.get(
    "/agreements/{code}/areas.kml",
    openapi_extra={"responses": {200: {"description": "KML 2.2", "content": {KML: {}}}}},
)
def agreement_areas_kml(request: ApiRequest, code: str):
    """The agreement's areas as KML for GPS units and Google Earth: each area as its polygon,
    with a corridor's centre line and a site's point."""
    agreement = _fetch(request, code)
    document = kml_areas(f"{agreement.code} {agreement.title}",
                         selectors.agreement_areas_geojson(agreement))
    response = HttpResponse(document, content_type=KML)
    response["Content-Disposition"] = f'attachment; filename="{agreement.code}.kml"'
    return response


@router.get(
    "/agreements/{code}/windows.ics",
    auth=AGREEMENT_FEED_AUTH,
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {ICS: {}}}}},
)
def agreement_windows_ics(request: ApiRequest, code: str):
    agreement = _fetch(request, code)
    entries = [(agreement, window) for window in selectors.agreement_windows(agreement)]
    return HttpResponse(calendar(entries, name=f"{agreement.code} {agreement.title}"),
                        content_type=ICS)


@router.get(
    "/calendar.ics",
    auth=PAUSES_FEED_AUTH,
    tags=["calendar"],
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {ICS: {}}}}},
)
def calendar_ics(request: ApiRequest):
    now = timezone.now()
    entries = selectors.calendar_entries(
        actor=request.auth, start=now - FEED_PAST, end=now + FEED_AHEAD
    )
    return HttpResponse(calendar(entries, name=gettext("Parley pauses")), content_type=ICS)


@router.get("/calendar-feeds", response=list[CalendarFeedOut], tags=["calendar"])
@paginate(LimitOffsetPagination)
def calendar_feed_list(request: ApiRequest):
    """The caller's own calendar feeds (their secrets are never shown again)."""
    return selectors.calendar_feed_list(actor=request.auth)


@router.post("/calendar-feeds", response={201: CalendarFeedCreatedOut}, tags=["calendar"])
def calendar_feed_create(request: ApiRequest, payload: CalendarFeedIn):
    """A read-only secret for one calendar feed; its links are shown once."""
    feed, raw = services.calendar_feed_create(
        actor=request.auth, label=payload.label, kind=payload.kind,
        agreement_code=payload.agreement_code)
    return Status(201, {**CalendarFeedOut.from_orm(feed).model_dump(),
                        **presenters.calendar_feed_links(
                            base_url=request.build_absolute_uri("/"), feed=feed, raw=raw)})


@router.delete("/calendar-feeds/{feed_id}", response=CalendarFeedOut, tags=["calendar"])
def calendar_feed_revoke(request: ApiRequest, feed_id: int):
    return services.calendar_feed_revoke(actor=request.auth, feed_id=feed_id)


@router.get("/contact-line", response=ContactLineOut, tags=["maps"])
def contact_line_get(request: ApiRequest):
    """The contact line drawn on every map (every signed-in caller sees it); 404 when none has
    been imported."""
    line = selectors.contact_line_current(actor=request.auth)
    if line is None:
        raise NotFound("contact line")
    return line


@router.post("/contact-line", response={201: ContactLineOut}, tags=["maps"])
def contact_line_import(request: ApiRequest, payload: ContactLineIn):
    """Replace the contact line (the secretariat only): validated, saved and audited at once."""
    line = services.contact_line_import(actor=request.auth, geometry=payload.geometry,
                                        valid_on=payload.valid_on, source=payload.source)
    return Status(201, line)
