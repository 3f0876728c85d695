"""Reads about parties and people. Parties are known to everyone who takes part in the talks."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from parley.core.models import ApiToken, Party, User
from parley.core.rules import has_party
from parley.core.types import Actor


def party_list(*, actor: Actor | AnonymousUser) -> QuerySet[Party]:
    if not has_party(actor):
        return Party.objects.none()
    return Party.objects.all()


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def clock_zones(*, actor: Actor | AnonymousUser) -> list[str]:
    """The clocks a reader sees: the belligerent parties' main zones and the reader's own
    (unordered; `parley.ui.clock.west_to_east` orders them, UTC first)."""
    zones = {party.main_zone for party in party_list(actor=actor).filter(kind="belligerent")}
    if isinstance(actor, User) and actor.is_authenticated:
        zones.add(actor.zone)
    zones.discard("UTC")
    return sorted(zones)
