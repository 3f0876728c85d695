"""Explicit input and output shapes of the agreements API.

The outputs read their values as they are: the read models of `selectors` (`AgreementSummary`,
`AgreementDetail`, `VersionDetail`) carry them ready, read with only the columns they show."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from parley.core.schemas import GeometryWarningOut


class ConsentOut(Schema):
    party: str
    user: str
    at: datetime


class VersionOut(Schema):
    number: int
    areas: dict[str, Any]
    windows: list[dict[str, Any]]
    lead_time_h: int | None
    margin_min: int | None
    who_may_move: str
    note: str
    created_by: str
    created_at: datetime
    consents: list[ConsentOut]


class AreaChangeOut(Schema):
    id: str
    geometry_changed: bool
    width_before: float | None
    width_after: float | None


class ConditionChangeOut(Schema):
    field: str
    before: int | str | None
    after: int | str | None


class ChangesOut(Schema):
    """What a version changed from the one before it."""

    areas_added: list[str]
    areas_removed: list[str]
    areas_changed: list[AreaChangeOut]
    windows_added: list[dict[str, Any]]
    windows_removed: list[dict[str, Any]]
    conditions_changed: list[ConditionChangeOut]


class VersionWithChangesOut(Schema):
    version: VersionOut
    changes: ChangesOut | None


class AgreementVersionSummaryOut(Schema):
    number: int
    created_by: str
    created_at: datetime
    note: str


class AgreementSummaryOut(Schema):
    code: str
    kind: str
    title: str
    process: int
    round: int | None
    owner: str
    status: str
    phase: str
    purpose: str
    bound_parties: list[str]
    public: bool
    version: int | None
    updated_at: datetime


class AgreementOut(AgreementSummaryOut):
    status_reason: str
    created_at: datetime
    awaiting_consent_from: list[str]
    current_version: VersionOut | None
    versions: list[AgreementVersionSummaryOut]
    warnings: list[GeometryWarningOut] = Field(
        description="Doubts about the current version's areas (larger than an oblast, far "
        "outside Ukraine's and Russia's region, latitude and longitude swapped); not errors.")


class AgreementCreateIn(Schema):
    process: int
    round: int | None = None
    kind: str = Field(description="pause | ceasefire")
    title: str
    purpose: str = Field(description="aid | evacuation | medevac | repair | exchange")
    bound_parties: list[str] = Field(description="Slugs of the parties bound.")
    public: bool = False
    code: str | None = Field(
        None, description="Not accepted: Parley draws every agreement's code at random "
        "(HP-2026-7K3QM), so that a code says nothing about other parties' hidden drafts. "
        "Sending one is an error (422).")
    areas: dict[str, Any] = Field(description="GeoJSON FeatureCollection (docs/formats.md §2).")
    windows: list[dict[str, Any]] | None = Field(
        None, description="Window objects (docs/formats.md §1); taken from the features when "
        "omitted."
    )
    lead_time_h: int | None = None
    margin_min: int | None = None
    who_may_move: str = ""
    note: str = ""


class AgreementUpdateIn(Schema):
    """Only the fields sent are changed."""

    round: int | None = None
    kind: str | None = None
    title: str | None = None
    purpose: str | None = None
    bound_parties: list[str] | None = None
    public: bool | None = None
    areas: dict[str, Any] | None = None
    windows: list[dict[str, Any]] | None = None
    lead_time_h: int | None = None
    margin_min: int | None = None
    who_may_move: str | None = None
    note: str | None = None


class ProposeIn(Schema):
    round: int | None = None


class CounterIn(Schema):
    version: int = Field(description="The version number the counter-proposal answers.")
    areas: dict[str, Any] | None = None
    windows: list[dict[str, Any]] | None = None
    lead_time_h: int | None = None
    margin_min: int | None = None
    who_may_move: str | None = None
    note: str = ""


class ConsentIn(Schema):
    version: int = Field(description="The version number the party read and consents to.")


class ReasonIn(Schema):
    reason: str


class AuditEntryOut(Schema):
    at: datetime
    actor: str | None
    party: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str
    redacted: bool = Field(
        False, description="True when before, after and note are withheld from this reader "
        "(another party's drafting, a version it was not addressed on).")

    @staticmethod
    def resolve_redacted(entry) -> bool:
        return bool(getattr(entry, "redacted", ()))

    @staticmethod
    def resolve_actor(entry) -> str | None:
        return entry.actor.username if entry.actor_id else None

    @staticmethod
    def resolve_party(entry) -> str | None:
        return entry.party.slug if entry.party_id else None


class CalendarFeedIn(Schema):
    label: str = Field(max_length=100)
    kind: Literal["pauses", "movement_windows", "agreement"] = Field(
        "pauses", description="`pauses`: every pause the owner may see; `movement_windows`: the "
        "windows the owner's organisation may notify movements in; `agreement`: one agreement's "
        "windows (give `agreement_code`).")
    agreement_code: str = Field("", max_length=40)


class CalendarFeedOut(Schema):
    id: int
    label: str
    kind: str
    agreement_code: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class CalendarFeedCreatedOut(CalendarFeedOut):
    url: str = Field(description="Shown once: the feed's https:// address with its secret.")
    webcal_url: str = Field(description="The same address as webcal://, for calendar apps.")


class ContactLineIn(Schema):
    geometry: dict[str, Any] = Field(
        description="A GeoJSON LineString or MultiLineString (bare, a Feature, or a "
        "FeatureCollection of them), WGS 84, longitude first.")
    valid_on: date = Field(description="The day the line describes (YYYY-MM-DD).")
    source: str = Field("", max_length=200)


class ContactLineOut(Schema):
    geometry: dict[str, Any]
    valid_on: date
    source: str
    imported_at: datetime
