from datetime import datetime

from ninja import Field, Schema


class PartyOut(Schema):
    slug: str
    kind: str
    name: str
    name_en: str
    name_uk: str
    name_ru: str
    time_zones: list[str]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class GeometryWarningOut(Schema):
    """A doubt about coordinates that are valid but implausible, naming the likely cause."""

    code: str = Field(description="large_area | outside_region | outside_agreement | swapped")
    field: str | None
    message: str
