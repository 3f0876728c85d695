"""Explicit input and output shapes of the access API."""

from datetime import datetime, timedelta
from typing import Any

from ninja import Field, Schema

from parley.access import selectors
from parley.access.wording import RECEIPT_NOT_GUARANTEE, finding_text, finding_title
from parley.core.schemas import ErrorOut, FieldErrorOut, GeometryWarningOut
from parley.core.validation import bounded_field, point_warnings
from parley.engines.geo.sanity import positions_of


class VehicleIn(Schema):
    type: str
    plate: str


class CargoIn(Schema):
    item: str
    quantity: float
    unit: str


class MovementNotifyIn(Schema):
    agreement: str = Field(description="Code of the agreed pause or ceasefire, e.g. HP-2026-001.")
    purpose: str = Field(description="aid | evacuation | medevac | repair | exchange")
    route: dict[str, Any] = Field(
        description="GeoJSON LineString (a geometry, a Feature, or a collection of one line)."
    )
    times: list[str] | None = Field(
        None, description="One ISO 8601 instant with offset per route vertex; or depart+speed."
    )
    depart: datetime | None = Field(None, description="Departure, with its UTC offset.")
    speed_kmh: float | None = None
    crossings: list[str] = Field(default_factory=list, description="Crossing points, by name.")
    vehicles: list[VehicleIn] = Field(default_factory=list)
    personnel: list[str] = Field(default_factory=list, description="One entry per person.")
    cargo: list[CargoIn] = Field(default_factory=list)
    note: str = ""
    hold_for_secretariat: bool = Field(
        False, description="With blocking findings, hold the notification for the "
                           "secretariat's decision instead of refusing it.")


class MovementAmendIn(Schema):
    """Only the fields sent change; sending `times` drops depart and speed, and vice versa."""

    version: int = Field(description="The version number the amendment replaces.")
    route: dict[str, Any] | None = None
    times: list[str] | None = None
    depart: datetime | None = None
    speed_kmh: float | None = None
    crossings: list[str] | None = None
    vehicles: list[VehicleIn] | None = None
    personnel: list[str] | None = None
    cargo: list[CargoIn] | None = None
    note: str | None = None
    hold_for_secretariat: bool = False


class VersionIn(Schema):
    version: int = Field(description="The version number the party read.")


class ObjectionIn(Schema):
    version: int = Field(description="The version number the party read.")
    reason: str


class OptionalReasonIn(Schema):
    reason: str = ""


class CheckInIn(Schema):
    lon: float
    lat: float
    at: datetime | None = Field(None, description="When; now when omitted.")
    place: str = ""
    note: str = ""


class AccessTermsIn(Schema):
    ack_deadline_h: int = bounded_field(24, "ack_deadline_h")
    max_vehicles: int | None = bounded_field(None, "max_vehicles")
    cargo_limits: dict[str, float] = Field(default_factory=dict)


class SiteIn(Schema):
    name: str
    kind: str = Field(description="hospital | warehouse | shelter | water_station")
    lon: float
    lat: float
    radius_m: int
    note: str = ""


class SiteAmendIn(Schema):
    name: str | None = None
    kind: str | None = None
    lon: float | None = None
    lat: float | None = None
    radius_m: int | None = None
    note: str | None = None


class FindingOut(Schema):
    code: str
    severity: str = Field(description="blocking | warning")
    field: str | None = Field(description="The input the finding is about.")
    title: str
    text: str = Field(description="The finding in the request's language, instants in UTC.")
    detail: str = Field(description="The engine's English detail, as in the findings CSV.")
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="The facts of the finding as plain values.")
    lon: float
    lat: float

    @staticmethod
    def resolve_title(finding) -> str:
        return finding_title(finding["code"])

    @staticmethod
    def resolve_text(finding) -> str:
        return finding_text(finding)

    @staticmethod
    def resolve_params(finding) -> dict:
        return finding.get("params") or {}


class FindingsErrorOut(ErrorOut):
    """A notification refused for blocking findings: the usual error, and the findings."""

    detail: list[FieldErrorOut]
    findings: list[FindingOut] = Field(default_factory=list)


class AcknowledgementOut(Schema):
    party: str
    user: str
    at: datetime
    objection: str

    @staticmethod
    def resolve_party(ack) -> str:
        return ack.party.slug

    @staticmethod
    def resolve_user(ack) -> str:
        return ack.user.username


class MovementVersionOut(Schema):
    number: int
    route: dict[str, Any]
    times: list[str] | None
    depart: datetime | None
    speed_kmh: float | None
    starts_at: datetime
    ends_at: datetime
    crossings: list[str]
    vehicles: list[dict[str, Any]]
    personnel: list[str]
    cargo: list[dict[str, Any]]
    note: str
    notified_at: datetime
    released_at: datetime | None
    findings: list[FindingOut] = Field(default_factory=list)
    override_reason: str
    overridden_by: str | None
    acknowledgements: list[AcknowledgementOut]

    @staticmethod
    def resolve_overridden_by(version) -> str | None:
        return version.overridden_by.username if version.overridden_by_id else None

    @staticmethod
    def resolve_acknowledgements(version) -> list:
        return selectors.acknowledgements_of(version)


class MovementVersionSummaryOut(Schema):
    number: int
    notified_at: datetime
    created_by: str

    @staticmethod
    def resolve_created_by(version) -> str:
        return version.created_by.username


class CheckInOut(Schema):
    at: datetime
    lon: float
    lat: float
    place: str
    note: str
    user: str

    @staticmethod
    def resolve_user(check_in) -> str:
        return check_in.user.username


class MovementSummaryOut(Schema):
    reference: str
    organisation: str
    agreement: str
    purpose: str
    status: str
    reason: str
    version: int
    starts_at: datetime
    ends_at: datetime
    awaiting_acknowledgement_from: list[str]
    acknowledgement_deadline: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_organisation(movement) -> str:
        return movement.organisation.slug

    @staticmethod
    def resolve_agreement(movement) -> str:
        return movement.agreement.code

    @staticmethod
    def resolve_version(movement) -> int:
        return movement.current_version.number

    @staticmethod
    def resolve_starts_at(movement) -> datetime:
        return movement.current_version.starts_at

    @staticmethod
    def resolve_ends_at(movement) -> datetime:
        return movement.current_version.ends_at

    @staticmethod
    def resolve_awaiting_acknowledgement_from(movement) -> list[str]:
        if movement.status != "notified":
            return []
        return [party.slug for party in selectors.parties_yet_to_acknowledge(movement)]

    @staticmethod
    def resolve_acknowledgement_deadline(movement) -> datetime | None:
        return selectors.acknowledgement_deadline(movement)


class MovementOut(MovementSummaryOut):
    acknowledgement_note: str = Field(description="What an acknowledgement is, and is not.")
    current_version: MovementVersionOut
    versions: list[MovementVersionSummaryOut]
    check_ins: list[CheckInOut]

    @staticmethod
    def resolve_acknowledgement_note(movement) -> str:
        return str(RECEIPT_NOT_GUARANTEE)

    warnings: list[GeometryWarningOut] = Field(
        description="Doubts about the current route (far from the agreement's areas, latitude "
        "and longitude swapped); not errors.")

    @staticmethod
    def resolve_warnings(movement) -> list[dict]:
        version = movement.current_version
        if version is None:
            return []
        agreement_version = movement.agreement.current_version
        return point_warnings(
            positions_of(version.route), field="route",
            near_areas=agreement_version.areas if agreement_version else None)

    @staticmethod
    def resolve_versions(movement, context=None) -> list:
        """The versions the reader was addressed on (`selectors.movement_versions`), as on the
        page; without a reader, none."""
        actor = getattr((context or {}).get("request"), "auth", None)
        if actor is None:
            return []
        return selectors.movement_versions(actor=actor, movement=movement)

    @staticmethod
    def resolve_check_ins(movement) -> list:
        return sorted(movement.check_ins.all(), key=lambda check_in: (check_in.at, check_in.pk))


class CoordinateViewOut(Schema):
    at: datetime
    user: str
    party: str
    via: str

    @staticmethod
    def resolve_user(entry) -> str:
        return entry.user.username

    @staticmethod
    def resolve_party(entry) -> str:
        return entry.party.slug


class OverdueOut(Schema):
    movement: str
    party: str
    deadline: datetime

    @staticmethod
    def resolve_movement(item) -> str:
        return item.movement.reference

    @staticmethod
    def resolve_party(item) -> str:
        return item.party.slug


class LatencyOut(Schema):
    party: str
    acknowledged: int
    median_s: float | None
    p90_s: float | None
    missed: int

    @staticmethod
    def resolve_party(item) -> str:
        return item.party.slug

    @staticmethod
    def resolve_median_s(item) -> float | None:
        return _seconds(item.median)

    @staticmethod
    def resolve_p90_s(item) -> float | None:
        return _seconds(item.p90)


def _seconds(delta: timedelta | None) -> float | None:
    return delta.total_seconds() if delta is not None else None


class SummaryOut(Schema):
    facilitated: int
    impeded: int
    denied: int
    cancelled: int
    withdrawn: int
    open: int
    held: int


class AccessTermsOut(Schema):
    agreement: str
    ack_deadline_h: int
    max_vehicles: int | None
    cargo_limits: dict[str, float]

    @staticmethod
    def resolve_agreement(terms) -> str:
        return terms.agreement.code


class SiteOut(Schema):
    reference: str
    organisation: str
    name: str
    kind: str
    lon: float
    lat: float
    radius_m: int
    note: str
    status: str
    reason: str
    updated_at: datetime

    @staticmethod
    def resolve_organisation(site) -> str:
        return site.organisation.slug

    warnings: list[GeometryWarningOut] = Field(
        description="Doubts about the position (far outside Ukraine's and Russia's region, "
        "latitude and longitude swapped); not errors.")

    @staticmethod
    def resolve_warnings(site) -> list[dict]:
        return point_warnings([(site.lon, site.lat)], field="lon")


class WebhookIn(Schema):
    url: str
    events: list[str] = Field(default_factory=list, description="Empty for every event.")


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown once: the key of the HMAC-SHA256 signatures.")


class WebhookDeliveryOut(Schema):
    event: str
    body: str
    status: str
    attempts: int
    response_code: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None = Field(
        description="When the next attempt is due; null once delivered or given up.")


class NotificationOut(Schema):
    movement: str | None = Field(description="The movement's reference, when about a movement.")
    site: str | None = Field(description="The site's reference, when about a site (an incident "
                             "near it).")
    event: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_movement(notification) -> str | None:
        return notification.movement.reference if notification.movement else None

    @staticmethod
    def resolve_site(notification) -> str | None:
        return notification.site.reference if notification.site else None


class HazardIn(Schema):
    kind: str = Field(description="mined | impassable | shelling | other")
    geometry: dict[str, Any] = Field(description="GeoJSON Point, LineString or Polygon.")
    note: str = ""


class HazardOut(Schema):
    reference: str
    kind: str
    geometry: dict[str, Any]
    note: str
    active: bool
    reported_at: datetime
    warnings: list[GeometryWarningOut] = Field(
        description="Doubts about the geometry (far outside Ukraine's and Russia's region, "
        "latitude and longitude swapped); not errors.")

    @staticmethod
    def resolve_warnings(hazard) -> list[dict]:
        return point_warnings(positions_of(hazard.geometry), field="geometry")
