"""The exchanges panel of the dashboard (registered in `ExchangesConfig.ready`): the exchanges
the reader may see, with what waits for it; counts only, never a name."""

from datetime import datetime

from django.http import HttpRequest

from parley.exchanges import selectors
from parley.ui import panels


def exchanges_context(request: HttpRequest, now: datetime) -> dict | None:
    rows = selectors.exchange_panel(actor=request.user)
    return {"exchange_rows": rows} if rows else None


def register() -> None:
    panels.register(panels.Panel(name="exchanges", order=60, template="exchanges/_panel.html",
                                 context=exchanges_context, orders={panels.ORGANISATION: 30}))
