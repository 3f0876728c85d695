"""Figures other apps contribute to the pulse of the talks.

An app registers a provider in its ``AppConfig.ready``::

    from parley.talks.pulse import register_pulse_figure
    register_pulse_figure("persons_exchanged", _("Persons exchanged"), persons_exchanged)

where ``persons_exchanged(process, now) -> int | None`` returns an aggregate over the process
(never a name or a party's confidential figure: the public pulse shows it too), or None when it
has nothing to say. The talks app imports no app that contributes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PulseFigure:
    key: str
    label: str
    provider: Callable[[object, datetime], int | None]


_FIGURES: dict[str, PulseFigure] = {}


def register_pulse_figure(key: str, label, provider) -> None:
    _FIGURES[key] = PulseFigure(key, label, provider)


def contributed_figures(process, now: datetime) -> list[tuple[str, str, int]]:
    figures = []
    for figure in _FIGURES.values():
        value = figure.provider(process, now)
        if value is not None:
            figures.append((figure.key, str(figure.label), value))
    return figures
