"""Types the services and selectors of every app share."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

from parley.core.models import Party, User

# Who asks. The pages (`parley.ui.pages.page`, login required) and the API (`API_AUTH`) only
# call services and selectors for a signed-in person, so the type is `User`; the `rules`
# predicates and the selectors still check at run time and give anyone else nothing.
type Actor = User

# A named `rules` predicate: (actor, object...) -> allowed.
type Predicate = Callable[..., bool]

# A message for a person: a string, or a lazy translation read in the active language.
type StrOrPromise = str | Promise


class ApiRequest(HttpRequest):
    """A request the API admitted. Every authenticator of Parley's routers (`API_AUTH`, the
    calendar feeds) answers with the signed-in `User` or refuses, and django-ninja stores that
    answer as `request.auth` (`as_request_user` sets `request.user` to it too)."""

    auth: User
    user: User


def party_of(actor: Actor) -> Party:
    """The actor's party, for a service or selector whose permission check admits only members
    of a party: a person without one never gets this far (if they did, a ValueError says so)."""
    party = actor.party
    if party is None:
        raise ValueError(f"user {actor.pk} belongs to no party")
    return party


def user_of(request: HttpRequest) -> User:
    """The signed-in person of a page or a dashboard panel (`page` requires a login first); a
    request without one never gets this far (if it did, a ValueError says so)."""
    user = request.user
    if not isinstance(user, User):
        raise ValueError("a signed-in person was expected")
    return user


def existing[T](value: T | None, what: str) -> T:
    """A row the data model guarantees (an agreement's or a movement's current version: each is
    created with its first; the movement or site a notice was addressed about): the value
    itself, typed without None; were it missing, a ValueError names it (not an AttributeError
    later)."""
    if value is None:
        raise ValueError(f"{what} is missing")
    return value


__all__ = [
    "Actor", "Any", "ApiRequest", "Predicate", "StrOrPromise", "existing", "party_of",
    "user_of",
]
