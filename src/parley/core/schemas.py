import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from parley.core.models import API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS


class PartyOut(Schema):
    slug: str
    kind: str
    name: str
    name_en: str
    name_uk: str
    name_ru: str
    time_zones: list[str]


class TokenIn(Schema):
    name: str = Field(max_length=100)
    scope: Literal["read", "write"] = Field(
        "read", description="`read` (the default) may only read; `write` may also change.")
    expires_in_days: int = Field(API_TOKEN_DEFAULT_DAYS, ge=1, le=API_TOKEN_MAX_DAYS)


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class GeometryWarningOut(Schema):
    """A doubt about coordinates that are valid but implausible, naming the likely cause."""

    code: str = Field(description="large_area | outside_region | outside_agreement | swapped")
    field: str | None
    message: str


class FieldErrorOut(Schema):
    field: str | None = Field(description="The field at fault (`rows[3].lat`), or null.")
    message: str


class ErrorOut(Schema):
    """Every error answer of the API: a sentence, or (422) what is wrong, field by field."""

    detail: str | list[FieldErrorOut]


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _iso_text(value):
    """Pydantic reads a number as a Unix time; the API describes these as ISO 8601 text and
    refuses anything else (`?day=0` is not the first of January 1970)."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("Give an ISO 8601 date or time, e.g. 2026-03-28 or 2026-03-28T10:00Z.")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
IsoDate = Annotated[date, BeforeValidator(_iso_text)]
