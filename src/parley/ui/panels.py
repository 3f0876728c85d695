"""The dashboard's panel registry: apps register their panels, the dashboard composes them.

An app registers in its `AppConfig.ready()` (usually by importing its `panels` module):

    panels.register(panels.Panel(
        name="access", order=40, template="access/_panel.html", context=access_context,
    ))

`context(request, now)` returns the template's context, or None when the panel has nothing for
this reader (then it is left out). The toolkit never imports an app; the registry is how the
dashboard learns what to show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[[HttpRequest, datetime], dict | None]


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add a panel (registering the same name again replaces it: `ready()` may run twice)."""
    _PANELS[panel.name] = panel


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))


def render_panels(request: HttpRequest, now: datetime) -> SafeString:
    """Every registered panel that has something for this reader, in order, as one HTML string."""
    parts = []
    for panel in registered():
        context = panel.context(request, now)
        if context is not None:
            parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, escaped template
