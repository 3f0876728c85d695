"""Who reads the dashboard: the audience of `parley.ui.panels`, from the reader's party."""

from django.http import HttpRequest

from parley.core.models import Party, User
from parley.ui import panels

AUDIENCE_OF_KIND: dict[str, str] = {
    Party.Kind.MEDIATOR: panels.SECRETARIAT,
    Party.Kind.BELLIGERENT: panels.PARTY,
    Party.Kind.HUMANITARIAN: panels.ORGANISATION,
    Party.Kind.MONITOR: panels.MONITOR,
    Party.Kind.OBSERVER: panels.OBSERVER,
}


def audience(request: HttpRequest) -> str:
    """A member of the mediating party reads as the secretariat, of a belligerent party as a
    party, of a humanitarian organisation as an organisation; a reader without a party as an
    observer."""
    user = request.user
    if not isinstance(user, User) or user.party is None:  # anonymous, or without a party
        return panels.OBSERVER
    return AUDIENCE_OF_KIND.get(user.party.kind, panels.OBSERVER)


def register() -> None:
    panels.set_audience(audience)
