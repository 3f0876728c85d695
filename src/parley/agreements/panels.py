"""The agreements' panels of the dashboard (registered in `AgreementsConfig.ready`).

By audience (`parley.ui.panels`): a party reads first what awaits its consent, then its drafts;
the secretariat what is on the table and which party it waits for; an organisation, a monitor
and an observer the windows open now and next, and an observer the agreements in figures."""

from datetime import datetime, timedelta

from django.http import HttpRequest

from parley.agreements import presenters, selectors
from parley.core.types import user_of
from parley.ui import panels
from parley.ui.panels import MONITOR, OBSERVER, ORGANISATION, PARTY, SECRETARIAT

UPCOMING_DAYS = 14
UPCOMING_LIMIT = 8


def windows_context(request: HttpRequest, now: datetime) -> dict:
    actor = user_of(request)
    return presenters.dashboard_windows(
        now=now,
        active=selectors.agreement_list(actor=actor, phase="active", now=now),
        upcoming=selectors.calendar_entries(
            actor=actor, start=now, end=now + timedelta(days=UPCOMING_DAYS),
            statuses=frozenset({"agreed"}),
        ),
        limit=UPCOMING_LIMIT,
    )


def consent_context(request: HttpRequest, now: datetime) -> dict:
    return {"awaiting": selectors.agreements_awaiting_consent(actor=user_of(request))}


def negotiation_context(request: HttpRequest, now: datetime) -> dict:
    actor = user_of(request)
    return presenters.dashboard_negotiation(
        negotiating=selectors.agreement_list(actor=actor, phase="proposed")
        + selectors.agreement_list(actor=actor, phase="countered"),
        drafts=selectors.agreement_list(actor=actor, phase="draft"),
        secretariat=panels.audience(request) == SECRETARIAT,
    )


def figures_context(request: HttpRequest, now: datetime) -> dict | None:
    return presenters.dashboard_figures(selectors.agreement_list(actor=user_of(request)), now)


def register() -> None:
    panels.register(panels.Panel(
        name="agreements.consent", order=10, template="agreements/_panel_consent.html",
        context=consent_context, audiences=frozenset({PARTY}),
    ))
    panels.register(panels.Panel(
        name="agreements.now", order=10, template="agreements/_panel_now.html",
        context=windows_context,
        orders={PARTY: 50, SECRETARIAT: 50, ORGANISATION: 20, MONITOR: 20, OBSERVER: 10},
    ))
    panels.register(panels.Panel(
        name="agreements.negotiation", order=90, template="agreements/_panel_negotiation.html",
        context=negotiation_context, orders={PARTY: 30, SECRETARIAT: 20},
        audiences=frozenset({PARTY, SECRETARIAT}),
    ))
    panels.register(panels.Panel(
        name="agreements.figures", order=95, template="agreements/_panel_figures.html",
        context=figures_context, orders={OBSERVER: 20, SECRETARIAT: 45},
    ))
