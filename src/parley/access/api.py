"""Humanitarian access over HTTP: parse, one service or selector call, render.

A notification with blocking findings answers 422 with the usual `detail` (field and message)
and the `findings` themselves (code, place on the map); a clean one answers 201 with its
warnings in `current_version.findings`. An acknowledgement is a receipt, not a security
guarantee: every movement says so in `acknowledgement_note`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from parley.access import alerts, selectors, services
from parley.access.cap import build as build_cap
from parley.access.checks import FindingsError, schedule_instants, utc_text
from parley.access.content import MovementContent
from parley.access.models import CoordinateAccessLog, Movement
from parley.access.presenters import blocking_messages
from parley.access.schemas import (
    AccessTermsIn,
    AccessTermsOut,
    CheckInIn,
    CheckInOut,
    CoordinateViewOut,
    FindingsErrorOut,
    HazardIn,
    HazardOut,
    LatencyOut,
    MovementAmendIn,
    MovementNotifyIn,
    MovementOut,
    MovementSummaryOut,
    NotificationOut,
    ObjectionIn,
    OptionalReasonIn,
    OverdueOut,
    SiteAmendIn,
    SiteIn,
    SiteOut,
    SummaryOut,
    VersionIn,
    WebhookCreatedOut,
    WebhookDeliveryOut,
    WebhookIn,
    WebhookOut,
)
from parley.access.tracks import kml_document
from parley.agreements.feeds import MOVEMENT_WINDOWS_FEED_AUTH
from parley.agreements.ical import calendar
from parley.agreements.schemas import ReasonIn
from parley.agreements.selectors import agreement_get, agreement_windows
from parley.core.auth import API_AUTH
from parley.core.errors import NotFound
from parley.core.types import ApiRequest, existing
from parley.engines.geo.export import rfc7946_collection

router = Router(tags=["access"], auth=API_AUTH)

GEOJSON = "application/geo+json"
CAP = "application/cap+xml"
KML = "application/vnd.google-earth.kml+xml"
GEOJSON_RESPONSE = {"responses": {200: {"description": "RFC 7946 GeoJSON",
                                        "content": {GEOJSON: {"schema": {"type": "object"}}}}}}
ICS = "text/calendar; charset=utf-8"
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


def _fetch(request: ApiRequest, reference: str) -> Movement:
    return selectors.movement_get(actor=request.auth, reference=reference)


def _shown(request: ApiRequest, reference: str) -> Movement:
    """The movement with its coordinates; the view is logged for the organisation. Every
    answer that carries `MovementOut` goes through here, the transitions' answers too."""
    movement = _fetch(request, reference)
    services.coordinate_view_log(actor=request.auth, movement=movement,
                                 via=CoordinateAccessLog.Via.API)
    return movement


def _agreement(request: ApiRequest, code: str):
    """The agreement a movement names; unknown and not visible read the same (422)."""
    try:
        return agreement_get(actor=request.auth, code=code)
    except NotFound as error:
        raise ValidationError({"agreement": [
            gettext("Unknown agreement: %(code)s") % {"code": code}]}) from error


def _refused(error: FindingsError):
    detail = [{"field": field, "message": message}
              for field, messages in blocking_messages(error.findings).items()
              for message in messages]
    return Status(422, {"detail": detail, "findings": error.findings})


@router.get("/movements", response=list[MovementSummaryOut])
@paginate(LimitOffsetPagination)
def movement_list(request: ApiRequest, status: str | None = None, agreement: str | None = None):
    return selectors.movement_list(actor=request.auth, status=status, agreement=agreement)


@router.post("/movements", response={201: MovementOut, 422: FindingsErrorOut})
def movement_notify(request: ApiRequest, payload: MovementNotifyIn):
    data = payload.dict()
    agreement = _agreement(request, data["agreement"])
    try:
        movement = services.movement_notify(
            actor=request.auth, agreement=agreement, purpose=data["purpose"],
            content=MovementContent.of(data), hold_for_secretariat=data["hold_for_secretariat"])
    except FindingsError as error:
        return _refused(error)
    return Status(201, _shown(request, movement.reference))


@router.get("/movements/{reference}", response=MovementOut)
def movement_detail(request: ApiRequest, reference: str):
    return _shown(request, reference)


@router.get(
    "/movements/{reference}/route.geojson",
    openapi_extra=GEOJSON_RESPONSE,
)
def movement_route(request: ApiRequest, reference: str):
    """docs/formats.md §5: the current version as a GeoJSON Feature."""
    movement = _shown(request, reference)
    return JsonResponse(selectors.movement_geojson(movement), content_type=GEOJSON)


@router.get(
    "/movements/{reference}/route.kml",
    openapi_extra={"responses": {200: {"content": {KML: {}}}}},
)
def movement_route_kml(request: ApiRequest, reference: str):
    """The route for field GPS units: a KML gx:Track with the time at each point."""
    movement = _shown(request, reference)
    version = existing(movement.current_version, f"version of {movement.reference}")
    times = version.times or [
        utc_text(moment) for moment in schedule_instants(selectors.movement_geojson(movement))]
    document = kml_document(
        f"{movement.reference} v{version.number}", version.route["coordinates"], times,
        description=f"{movement.agreement.code} · {movement.get_purpose_display()}")
    response = HttpResponse(document, content_type=KML)
    response["Content-Disposition"] = f'attachment; filename="{movement.reference}.kml"'
    return response


@router.post("/movements/{reference}/amend", response={200: MovementOut, 422: FindingsErrorOut})
def movement_amend(request: ApiRequest, reference: str, payload: MovementAmendIn):
    movement = _fetch(request, reference)
    try:
        data = payload.dict(exclude_unset=True)
        services.movement_amend(actor=request.auth, movement=movement,
                                content=MovementContent.of(data), version=data["version"],
                                hold_for_secretariat=data.get("hold_for_secretariat", False))
    except FindingsError as error:
        return _refused(error)
    return _shown(request, reference)


@router.post("/movements/{reference}/override", response=MovementOut)
def movement_override(request: ApiRequest, reference: str, payload: ReasonIn):
    services.movement_override(actor=request.auth, movement=_fetch(request, reference),
                               reason=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/acknowledge", response=MovementOut,
             description="A receipt of the version read, not a security guarantee.")
def movement_acknowledge(request: ApiRequest, reference: str, payload: VersionIn):
    services.movement_acknowledge(actor=request.auth, movement=_fetch(request, reference),
                                  version=payload.version)
    return _shown(request, reference)


@router.post("/movements/{reference}/object", response=MovementOut,
             description="A receipt with an objection and its reason.")
def movement_object(request: ApiRequest, reference: str, payload: ObjectionIn):
    services.movement_object(actor=request.auth, movement=_fetch(request, reference),
                             version=payload.version, reason=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/check-ins", response={201: CheckInOut})
def movement_check_in(request: ApiRequest, reference: str, payload: CheckInIn):
    check_in = services.movement_check_in(actor=request.auth,
                                          movement=_fetch(request, reference), **payload.dict())
    return Status(201, check_in)


@router.post("/movements/{reference}/complete", response=MovementOut)
def movement_complete(request: ApiRequest, reference: str, payload: OptionalReasonIn):
    services.movement_complete(actor=request.auth, movement=_fetch(request, reference),
                               note=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/withdraw", response=MovementOut)
def movement_withdraw(request: ApiRequest, reference: str, payload: OptionalReasonIn):
    services.movement_withdraw(actor=request.auth, movement=_fetch(request, reference),
                               reason=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/impede", response=MovementOut)
def movement_impede(request: ApiRequest, reference: str, payload: ReasonIn):
    services.movement_impede(actor=request.auth, movement=_fetch(request, reference),
                             reason=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/deny", response=MovementOut)
def movement_deny(request: ApiRequest, reference: str, payload: ReasonIn):
    services.movement_deny(actor=request.auth, movement=_fetch(request, reference),
                           reason=payload.reason)
    return _shown(request, reference)


@router.post("/movements/{reference}/cancel", response=MovementOut)
def movement_cancel(request: ApiRequest, reference: str, payload: ReasonIn):
    services.movement_cancel(actor=request.auth, movement=_fetch(request, reference),
                             reason=payload.reason)
    return _shown(request, reference)


@router.get("/movements/{reference}/coordinate-views", response=list[CoordinateViewOut])
@paginate(LimitOffsetPagination)
def movement_coordinate_views(request: ApiRequest, reference: str):
    return selectors.coordinate_views(actor=request.auth, movement=_fetch(request, reference))


@router.get("/access/overdue", response=list[OverdueOut])
@paginate(LimitOffsetPagination)
def overdue(request: ApiRequest):
    return selectors.overdue_acknowledgements(actor=request.auth)


@router.get("/access/latency", response=list[LatencyOut])
@paginate(LimitOffsetPagination)
def latency(request: ApiRequest):
    return selectors.acknowledgement_latency(actor=request.auth)


@router.get("/access/summary", response=SummaryOut)
def summary(request: ApiRequest):
    return selectors.mission_summary(actor=request.auth)


@router.put("/agreements/{code}/access-terms", response=AccessTermsOut)
def access_terms_set(request: ApiRequest, code: str, payload: AccessTermsIn):
    return services.access_terms_set(
        actor=request.auth, agreement=agreement_get(actor=request.auth, code=code),
        **payload.dict(),
    )


@router.get("/agreements/{code}/access-terms", response=AccessTermsOut)
def access_terms_get(request: ApiRequest, code: str):
    return selectors.access_terms_of(agreement_get(actor=request.auth, code=code))


@router.get("/sites", response=list[SiteOut])
@paginate(LimitOffsetPagination)
def site_list(request: ApiRequest):
    return selectors.site_list(actor=request.auth)


@router.get(
    "/sites.geojson",
    openapi_extra=GEOJSON_RESPONSE,
)
def sites_geojson(request: ApiRequest):
    """Notified sites as areas (docs/formats.md §2, kind site), for monitoring."""
    return JsonResponse(rfc7946_collection(
        selectors.sites_geojson(selectors.site_list(actor=request.auth))),
                        content_type=GEOJSON)


@router.post("/sites", response={201: SiteOut})
def site_notify(request: ApiRequest, payload: SiteIn):
    return Status(201, services.site_notify(actor=request.auth, **payload.dict()))


@router.get("/sites/{reference}", response=SiteOut)
def site_detail(request: ApiRequest, reference: str):
    return selectors.site_get(actor=request.auth, reference=reference)


@router.patch("/sites/{reference}", response=SiteOut)
def site_amend(request: ApiRequest, reference: str, payload: SiteAmendIn):
    site = selectors.site_get(actor=request.auth, reference=reference)
    return services.site_amend(actor=request.auth, site=site,
                               **payload.dict(exclude_unset=True))


@router.post("/sites/{reference}/withdraw", response=SiteOut)
def site_withdraw(request: ApiRequest, reference: str, payload: ReasonIn):
    site = selectors.site_get(actor=request.auth, reference=reference)
    return services.site_withdraw(actor=request.auth, site=site, reason=payload.reason)


@router.get("/notifications", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def notification_list(request: ApiRequest):
    return selectors.notifications_of(actor=request.auth, limit=None)


@router.get("/webhooks", response=list[WebhookOut])
@paginate(LimitOffsetPagination)
def webhook_list(request: ApiRequest):
    return selectors.webhook_list(actor=request.auth)


@router.post("/webhooks", response={201: WebhookCreatedOut},
             description="Deliveries are POSTs signed with HMAC-SHA256 over "
                         "`<X-Parley-Timestamp>.<body>`, sent as "
                         "`X-Parley-Signature: sha256=<hex>`.")
def webhook_create(request: ApiRequest, payload: WebhookIn):
    webhook, secret = services.webhook_create(actor=request.auth, url=payload.url,
                                              events=payload.events)
    return Status(201, {"id": webhook.pk, "url": webhook.url, "events": webhook.events,
                        "active": webhook.active, "created_at": webhook.created_at,
                        "secret": secret})


@router.get("/webhooks/{webhook_id}/deliveries", response=list[WebhookDeliveryOut])
@paginate(LimitOffsetPagination)
def webhook_deliveries(request: ApiRequest, webhook_id: int):
    return selectors.webhook_deliveries(actor=request.auth, webhook_id=webhook_id)


@router.get(
    "/access/windows.ics",
    auth=MOVEMENT_WINDOWS_FEED_AUTH,
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {ICS: {}}}}},
)
def windows_ics(request: ApiRequest):
    """The windows of every agreement the actor's organisation may notify movements under."""
    now = timezone.now()
    start, end = now - FEED_PAST, now + FEED_AHEAD
    entries = sorted(
        ((agreement, window)
         for agreement in selectors.agreements_for_movements(actor=request.auth)
         for window in agreement_windows(agreement) if window.start < end and window.end > start),
        key=lambda entry: (entry[1].start, entry[0].code),
    )
    return HttpResponse(calendar(entries, name=gettext("Parley windows for movements")),
                        content_type=ICS)


@router.get(
    "/agreements/{code}/cap.xml",
    openapi_extra={"responses": {200: {"description": "CAP 1.2", "content": {CAP: {}}}}},
)
def agreement_cap(request: ApiRequest, code: str):
    """CAP 1.2 alert for the agreement's next window change: it closes (while open) or opens."""
    agreement = agreement_get(actor=request.auth, code=code)
    change = alerts.next_window_change(agreement)
    if change is None:
        raise NotFound(code)
    alert = alerts.window_alert(agreement, *change,
                                web=request.build_absolute_uri(f"/agreements/{code}/"))
    return HttpResponse(build_cap(alert), content_type=CAP)


@router.get(
    "/movements/{reference}/cap.xml",
    openapi_extra={"responses": {200: {"description": "CAP 1.2", "content": {CAP: {}}}}},
)
def movement_cap(request: ApiRequest, reference: str):
    """CAP 1.2 alert that the movement is notified: its agreement's areas and times only."""
    movement = _fetch(request, reference)
    if existing(movement.current_version, f"version of {reference}").released_at is None:
        raise NotFound(reference)
    alert = alerts.movement_alert(
        movement, web=request.build_absolute_uri(f"/access/movements/{reference}/"),
        seen=selectors.movement_versions(actor=request.auth, movement=movement))
    return HttpResponse(build_cap(alert), content_type=CAP)


@router.get("/hazards", response=list[HazardOut])
@paginate(LimitOffsetPagination)
def hazard_list(request: ApiRequest):
    return selectors.hazard_list(actor=request.auth)


@router.get(
    "/hazards.geojson",
    openapi_extra=GEOJSON_RESPONSE,
)
def hazards_geojson(request: ApiRequest):
    """Active hazards as `parley deconflict check --hazards` reads them."""
    return JsonResponse(rfc7946_collection(
        selectors.hazards_geojson(selectors.hazard_list(actor=request.auth))),
                        content_type=GEOJSON)


@router.post("/hazards", response={201: HazardOut})
def hazard_report(request: ApiRequest, payload: HazardIn):
    return Status(201, services.hazard_report(actor=request.auth, **payload.dict()))


@router.post("/hazards/{reference}/clear", response=HazardOut)
def hazard_clear(request: ApiRequest, reference: str, payload: ReasonIn):
    hazard = selectors.hazard_get(actor=request.auth, reference=reference)
    return services.hazard_clear(actor=request.auth, hazard=hazard, reason=payload.reason)
