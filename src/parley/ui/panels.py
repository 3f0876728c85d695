"""The dashboard's panel registry: apps register their panels, the dashboard composes them.

An app registers in its `AppConfig.ready()` (usually by importing its `panels` module):

    panels.register(panels.Panel(
        name="access", order=40, template="access/_panel.html", context=access_context,
        orders={"organisation": 10}, audiences=frozenset({"organisation", "party"}),
    ))

`context(request, now)` returns the template's context, or None when the panel has nothing for
this reader (then it is left out). The toolkit never imports an app; the registry is how the
dashboard learns what to show.

Screens follow the reader's part at the talks, its *audience* (one of `AUDIENCES`): a panel may
be shown to some audiences only (`audiences`) and come earlier or later for one of them
(`orders`, by audience; `order` otherwise). Which audience a reader belongs to is decided by
the function that `set_audience` registered (`parley.core.panels`: the kind of the reader's
party); until one is registered every reader is an observer, who is shown the least.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

SECRETARIAT = "secretariat"
PARTY = "party"
ORGANISATION = "organisation"
MONITOR = "monitor"
OBSERVER = "observer"
AUDIENCES = (SECRETARIAT, PARTY, ORGANISATION, MONITOR, OBSERVER)


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[[HttpRequest, datetime], dict | None]
    orders: Mapping[str, int] = field(default_factory=dict)
    audiences: frozenset[str] | None = None

    def order_for(self, audience: str) -> int:
        return self.orders.get(audience, self.order)

    def shown_to(self, audience: str) -> bool:
        return self.audiences is None or audience in self.audiences


_PANELS: dict[str, Panel] = {}


def _nobody_in_particular(request: HttpRequest) -> str:
    return OBSERVER


_audience: list[Callable[[HttpRequest], str]] = [_nobody_in_particular]


def register(panel: Panel) -> None:
    """Add a panel (registering the same name again replaces it: `ready()` may run twice)."""
    unknown = {*panel.orders, *(panel.audiences or ())} - set(AUDIENCES)
    if unknown:
        raise ValueError(f"panel {panel.name}: unknown audiences {sorted(unknown)}")
    _PANELS[panel.name] = panel


def set_audience(decide: Callable[[HttpRequest], str]) -> None:
    """Register the function that names a request's audience (one of `AUDIENCES`)."""
    _audience[0] = decide


_CACHED_AUDIENCE = "_parley_audience"  # an attribute of the request, once decided


def audience(request: HttpRequest) -> str:
    """The reader's audience; cached on the request, panels ask for it more than once."""
    cached = getattr(request, _CACHED_AUDIENCE, None)
    if cached is None:
        cached = _audience[0](request)
        setattr(request, _CACHED_AUDIENCE, cached)
    return cached


def registered(for_audience: str | None = None) -> list[Panel]:
    """The panels in the order one audience sees them (every panel by `order` without one)."""
    if for_audience is None:
        return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))
    return sorted(
        (panel for panel in _PANELS.values() if panel.shown_to(for_audience)),
        key=lambda panel: (panel.order_for(for_audience), panel.name),
    )


def render_panels(request: HttpRequest, now: datetime) -> SafeString:
    """Every panel of the reader's audience that has something for this reader, in that
    audience's order, as one HTML string."""
    parts = []
    for panel in registered(audience(request)):
        context = panel.context(request, now)
        if context is not None:
            parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, escaped template
