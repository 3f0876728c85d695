"""Reads about parties and people. Parties are known to everyone who takes part in the talks."""

from django.db.models import QuerySet

from parley.core.models import ApiToken, Party
from parley.core.rules import has_party


def party_list(*, actor) -> QuerySet[Party]:
    if not has_party(actor):
        return Party.objects.none()
    return Party.objects.all()


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def clock_zones(*, actor) -> list[str]:
    """The clocks a reader sees: the belligerent parties' main zones and the reader's own
    (unordered; `parley.ui.clock.west_to_east` orders them, UTC first)."""
    zones = {party.main_zone for party in party_list(actor=actor).filter(kind="belligerent")}
    if getattr(actor, "is_authenticated", False):
        zones.add(actor.zone)
    zones.discard("UTC")
    return sorted(zones)
