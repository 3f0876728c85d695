"""Explicit input and output shapes of the monitoring API."""

from datetime import datetime

from ninja import Field, Schema

from parley.core.schemas import GeometryWarningOut
from parley.core.validation import bounded_field


class IncidentIn(Schema):
    id: str = Field(min_length=1, max_length=100, pattern=r"^[^\r\n]*$",
                    description="The id at your system; sending the same id again adds "
                    "nothing. One line.")
    lat: float
    lon: float
    time: str = Field(max_length=64, description="ISO 8601 with an offset or Z.")
    precision_m: float = bounded_field(0, "precision_m",
                                       description="Radius of location uncertainty, metres.")
    type: str = Field("", max_length=100, pattern=r"^[^\r\n]*$")


class IngestIn(Schema):
    source: str = Field(min_length=1, max_length=80,
                        description="Your system's name; ids are unique per source.")
    incidents: list[IncidentIn] = Field(max_length=10_000)


class RejectedRowOut(Schema):
    line: int | None
    field: str | None
    reason: str


class RejectedCountOut(Schema):
    field: str | None
    reason: str = Field(description="The reason with the row's own values left out (…).")
    rows: int


class ImportOut(Schema):
    id: int
    source: str
    file_name: str
    sha256: str
    status: str = Field(description="queued | running | succeeded | rejected")
    phase: str = Field(description="While running: reading (checked with progress, outside the "
                       "import's transaction) or saving (one transaction, no progress).")
    size: int = Field(description="The file's size in bytes.")
    rows_expected: int = Field(description="The file's lines after the header: an estimate.")
    rows_read: int
    created: int
    duplicates: int
    candidates: int
    rejected_rows: list[RejectedRowOut] = Field(
        description="The first rejected rows only (PARLEY_IMPORT_REJECTED_ROWS_KEPT, 300 by "
        "default); page them with GET /monitoring/imports/{id}/rejected-rows.")
    rejected_total: int = Field(description="Every problem found, kept or not.")
    warnings: list[GeometryWarningOut] = Field(
        description="Doubts that did not stop the import: incidents far outside Ukraine's and "
        "Russia's region, latitude and longitude swapped.")
    rejected_counts: list[RejectedCountOut] = Field(
        description="Problems counted by column and reason, most frequent first.")
    started_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_source(run) -> str:
        return run.source.name


class IncidentOut(Schema):
    source: str
    id: str
    lat: float
    lon: float
    time_start: datetime
    time_end: datetime | None
    precision_m: float
    type: str
    event: str | None

    @staticmethod
    def resolve_source(incident) -> str:
        return incident.source.name

    @staticmethod
    def resolve_id(incident) -> str:
        return incident.external_id

    @staticmethod
    def resolve_event(incident) -> str | None:
        return incident.event.reference if incident.event_id else None


class PlacementOut(Schema):
    agreement: str
    feature_id: str
    relation: str
    in_window: bool


class EventOut(Schema):
    reference: str
    status: str
    lat: float
    lon: float
    time_start: datetime
    time_end: datetime
    placements: list[PlacementOut]


class EvidenceFileOut(Schema):
    name: str
    sha256: str
    size: int


class VerificationOut(Schema):
    from_status: str
    to_status: str
    reasoning: str
    actor: str
    at: datetime
    evidence: list[EvidenceFileOut]

    @staticmethod
    def resolve_actor(step) -> str:
        return step.actor.username

    @staticmethod
    def resolve_evidence(step) -> list:
        return list(step.evidence.all())


class AccountOut(Schema):
    party: str
    author: str
    text: str
    shared: bool
    at: datetime

    @staticmethod
    def resolve_party(account) -> str:
        return account.party.slug

    @staticmethod
    def resolve_author(account) -> str:
        return account.author.username


class EventDetailOut(EventOut):
    reports: list[IncidentOut]
    verifications: list[VerificationOut]
    accounts: list[AccountOut]


class VerifyIn(Schema):
    reasoning: str = Field("", max_length=20_000)


class AccountIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)
    shared: bool = False


class SiteAlertOut(Schema):
    site: str
    site_name: str
    relation: str
    incident: IncidentOut

    @staticmethod
    def resolve_site(alert) -> str:
        return alert.site.reference

    @staticmethod
    def resolve_site_name(alert) -> str:
        return alert.site.name
