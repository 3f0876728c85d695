"""Reads about parties and people. Parties are known to everyone who takes part in the talks."""

from django.db.models import QuerySet

from parley.core.errors import NotFound
from parley.core.models import ApiToken, Party
from parley.core.rules import has_party


def party_list(*, actor) -> QuerySet[Party]:
    if not has_party(actor):
        return Party.objects.none()
    return Party.objects.all()


def party_get(*, actor, slug: str) -> Party:
    try:
        return party_list(actor=actor).get(slug=slug)
    except Party.DoesNotExist as exc:
        raise NotFound(slug) from exc


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor).order_by("-created_at")
