from datetime import datetime
from typing import Literal

from ninja import Field, Schema

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


class FieldErrorOut(Schema):
    field: str | None = Field(description="The field at fault (`rows[3].lat`), or null.")
    message: str


class ErrorOut(Schema):
    """Every error answer of the API: a sentence, or (422) what is wrong, field by field."""

    detail: str | list[FieldErrorOut]
