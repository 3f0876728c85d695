"""Types the services and selectors of every app share."""

from collections.abc import Callable
from typing import Any

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


def party_of(actor: Actor) -> Party:
    """The actor's party, for a service or selector whose permission check admits only members
    of a party: a person without one never gets this far (if they did, a ValueError says so)."""
    party = actor.party
    if party is None:
        raise ValueError(f"user {actor.pk} belongs to no party")
    return party


__all__ = ["Actor", "Any", "Predicate", "StrOrPromise", "party_of"]
