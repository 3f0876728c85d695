"""The exchanges panel of the dashboard (registered in `ExchangesConfig.ready`): the exchanges
the reader may see, with what waits for it; counts only, never a name."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parley.core.types import user_of
from parley.exchanges import selectors
from parley.talks.providers import register_pulse_figure
from parley.ui import panels


def exchanges_context(request: HttpRequest, now: datetime) -> dict | None:
    rows = selectors.exchange_panel(actor=user_of(request))
    return {"exchange_rows": rows} if rows else None


def persons_exchanged(*, actor, process, now: datetime) -> int | None:
    """For the pulse of the talks: persons handed over under the process's exchanges (a count
    only, the same for every reader; see `selectors.persons_exchanged`)."""
    return selectors.persons_exchanged(process=process)


def register() -> None:
    panels.register(panels.Panel(name="exchanges", order=60, template="exchanges/_panel.html",
                                 context=exchanges_context, orders={panels.ORGANISATION: 30}))
    register_pulse_figure("persons_exchanged", _("Persons exchanged"), persons_exchanged)
