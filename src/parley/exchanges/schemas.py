"""Explicit input and output shapes of the exchanges API; identities only where allowed."""

import datetime

from ninja import Field, Schema


class ListOut(Schema):
    id: int
    party: str
    side: str
    counterpart: str
    title: str
    listed: int
    uploaded_at: datetime.datetime | None


class UploadOut(Schema):
    list: ListOut
    created: int
    updated: int
    withdrawn: int
    unchanged: int


class PersonOut(Schema):
    id: int
    reference: str
    category: str
    seriously_wounded_or_sick: bool
    status: str
    withdrawn: bool
    identity: dict[str, str] = Field(
        description="docs/formats.md §6 columns and GC III art. 122 fields")


class CorrectionIn(Schema):
    category: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)


class FigureOut(Schema):
    party: str
    side: str
    category: str
    count: int


class ReconcileIn(Schema):
    held_list: int
    sought_list: int
    threshold: float = 0.5


class ReconciliationOut(Schema):
    id: int
    held_list: int
    sought_list: int
    run_at: datetime.datetime
    figures: dict


class PairOut(Schema):
    id: int
    held: str
    sought: str
    probability: float
    state: str
    fields: dict[str, str]


class DecisionIn(Schema):
    same_person: bool


class SideOut(Schema):
    party: str
    receiving: str
    balance: dict[str, int]
    persons: list[str] | None = Field(
        description="Person references; only for the two parties, the intermediary and the "
                    "secretariat")


class ExchangeOut(Schema):
    code: str
    title: str
    status: str
    version: int
    formula: str
    place: str
    days: list[str]
    sides: list[SideOut]
