import datetime
from typing import Literal

from ninja import Schema


class ProcessOut(Schema):
    id: int
    name: str
    host: str
    mediator: str
    description: str

    @staticmethod
    def resolve_host(process) -> str:
        return process.host.slug

    @staticmethod
    def resolve_mediator(process) -> str:
        return process.mediator.slug


class DelegationOut(Schema):
    party: str
    head: str | None
    members: list[str]

    @staticmethod
    def resolve_party(delegation) -> str:
        return delegation.party.slug

    @staticmethod
    def resolve_head(delegation) -> str | None:
        return delegation.head.username if delegation.head_id else None

    @staticmethod
    def resolve_members(delegation) -> list[str]:
        return sorted(member.username for member in delegation.members.all())


class RoundOut(Schema):
    id: int
    process: int
    name: str
    date: datetime.date
    venue: str
    format: str
    delegations: list[DelegationOut]

    @staticmethod
    def resolve_delegations(round_) -> list:
        return list(round_.delegations.all())

    @staticmethod
    def resolve_process(round_) -> int:
        return round_.process_id


class SessionOut(Schema):
    id: int
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    attendance: dict[str, list[str]]

    @staticmethod
    def resolve_attendance(session) -> dict[str, list[str]]:
        return {present.party.slug: sorted(m.username for m in present.members.all())
                for present in session.attendance.all()}


class AgendaItemOut(Schema):
    id: int
    number: int
    title: str
    topic: str
    status: str
    rounds: list[int]
    agreements: list[str]
    text: int | None

    @staticmethod
    def resolve_rounds(item) -> list[int]:
        return sorted(r.pk for r in item.rounds.all())

    @staticmethod
    def resolve_agreements(item) -> list[str]:
        return sorted(a.code for a in item.agreements.all())

    @staticmethod
    def resolve_text(item) -> int | None:
        return item.text_id


class AgendaItemIn(Schema):
    round: int
    title: str
    topic: Literal["pauses", "exchanges", "ceasefires", "access", "other"]


class ItemStatusIn(Schema):
    status: Literal["open", "discussion", "in_principle", "agreed", "deferred", "dropped"]


class PositionOut(Schema):
    id: int
    item: int
    round: int
    party: str
    kind: str
    text: str
    visibility: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_item(position) -> int:
        return position.item_id

    @staticmethod
    def resolve_round(position) -> int:
        return position.round_id

    @staticmethod
    def resolve_party(position) -> str:
        return position.party.slug


class PositionIn(Schema):
    round: int
    kind: Literal["demand", "offer", "concession", "red_line"]
    text: str
    visibility: Literal["own", "mediator", "parties", "public"] = "own"


class BracketOut(Schema):
    id: int
    party: str
    wording: str
    resolved: bool


class CommentOut(Schema):
    party: str
    text: str
    visibility: str


class ProvisionOut(Schema):
    id: int
    number: str
    body: str
    brackets: list[BracketOut]
    comments: list[CommentOut]
    terms_problem: str


class TextOut(Schema):
    id: int
    agreement: str
    title: str
    status: str
    sha256: str
    provisions: list[ProvisionOut]


class WordingIn(Schema):
    wording: str


class ResolveIn(Schema):
    bracket: int | None = None
    wording: str = ""


class SignatureIn(Schema):
    signature: str


class KeyIn(Schema):
    public_key: str


class CommitmentEvidenceOut(Schema):
    kind: str
    reference: str
    note: str


class AnswerOut(Schema):
    party: str
    text: str
    created_at: datetime.datetime


class CommitmentOut(Schema):
    id: int
    party: str
    what: str
    due_at: datetime.datetime
    verification: str
    status: str
    provision: str | None
    evidence: list[CommitmentEvidenceOut]
    answers: list[AnswerOut]


class EvidenceIn(Schema):
    kind: Literal["event", "movement", "exchange", "file", "link"]
    reference: str


class CommitmentStatusIn(Schema):
    status: Literal["pending", "met", "late", "breached", "disputed"]
    evidence: list[EvidenceIn] = []
    note: str = ""


class AnswerIn(Schema):
    text: str


class PulseOut(Schema):
    days_since_last_round: int | None
    items_agreed: int
    items_open: int
    pauses_agreed: int
    pause_hours: int
    share_without_confirmed_violation: float | None
    texts_signed: int
    commitments: dict[str, dict[str, int]]
    figures: dict[str, int]
