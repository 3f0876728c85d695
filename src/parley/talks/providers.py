"""What the talks read from the apps above them without importing them.

The talks sit below agreements, access, monitoring and exchanges in the layers (agreements
belong to a process of the talks), yet a negotiating text is the text of an agreement and the
pulse of the talks counts pause hours and persons exchanged. Each of those apps registers a
provider here in its ``AppConfig.ready``; the talks app calls them and imports none of them.

- ``register_agreement_scope(provider)``: ``provider(*, actor)`` returns the queryset of
  agreements the actor may see (the agreements app's need-to-know rule). Texts follow it.
- ``register_pause_hours(provider)``: ``provider(*, actor, process, now)`` returns
  ``(elapsed pause hours, hours with a confirmed violation)`` over the process's agreements the
  actor may see (monitoring).
- ``register_pulse_figure(key, label, provider)``: ``provider(*, actor, process, now)`` returns
  an aggregate over the process (an int), or None when it has nothing to say. It must be an
  aggregate only, never a name or a party's confidential figure: the public pulse shows it too.
  The exchanges app registers ``"persons_exchanged"`` this way::

      from parley.talks.providers import register_pulse_figure
      register_pulse_figure("persons_exchanged", _("Persons exchanged"), persons_exchanged)
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps


@dataclass(frozen=True)
class PulseFigure:
    key: str
    label: str
    provider: Callable[..., int | None]


_FIGURES: dict[str, PulseFigure] = {}
_PROVIDERS: dict[str, Callable] = {}


def register_agreement_scope(provider: Callable) -> None:
    _PROVIDERS["agreement_scope"] = provider


def register_pause_hours(provider: Callable) -> None:
    _PROVIDERS["pause_hours"] = provider


def register_pulse_figure(key: str, label, provider: Callable) -> None:
    """Registering the same key again replaces it (`ready()` may run twice)."""
    _FIGURES[key] = PulseFigure(key, label, provider)


def visible_agreements(*, actor):
    """The agreements the actor may see; none when no app says (fails closed)."""
    provider = _PROVIDERS.get("agreement_scope")
    if provider is None:
        return apps.get_model("agreements", "Agreement").objects.none()
    return provider(actor=actor)


def pause_hours(*, actor, process, now: datetime) -> tuple[int, int]:
    provider = _PROVIDERS.get("pause_hours")
    return provider(actor=actor, process=process, now=now) if provider else (0, 0)


def contributed_figures(*, actor, process, now: datetime) -> list[tuple[str, str, int]]:
    figures = []
    for figure in _FIGURES.values():
        value = figure.provider(actor=actor, process=process, now=now)
        if value is not None:
            figures.append((figure.key, str(figure.label), value))
    return figures
