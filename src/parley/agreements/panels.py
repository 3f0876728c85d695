"""The agreements' panels of the dashboard (registered in `AgreementsConfig.ready`)."""

from datetime import datetime, timedelta

from django.http import HttpRequest

from parley.agreements import presenters, selectors
from parley.ui import panels

UPCOMING_DAYS = 14
UPCOMING_LIMIT = 8


def now_context(request: HttpRequest, now: datetime) -> dict:
    actor = request.user
    return presenters.dashboard_now(
        now=now,
        active=selectors.agreement_list(actor=actor, phase="active", now=now),
        upcoming=selectors.calendar_entries(
            actor=actor, start=now, end=now + timedelta(days=UPCOMING_DAYS),
            statuses=frozenset({"agreed"}),
        ),
        awaiting=selectors.agreements_awaiting_consent(actor=actor),
        limit=UPCOMING_LIMIT,
    )


def negotiation_context(request: HttpRequest, now: datetime) -> dict:
    actor = request.user
    return presenters.dashboard_negotiation(
        negotiating=selectors.agreement_list(actor=actor, phase="proposed")
        + selectors.agreement_list(actor=actor, phase="countered"),
        drafts=selectors.agreement_list(actor=actor, phase="draft"),
    )


def register() -> None:
    panels.register(panels.Panel(name="agreements.now", order=10,
                                 template="agreements/_panel_now.html", context=now_context))
    panels.register(panels.Panel(name="agreements.negotiation", order=90,
                                 template="agreements/_panel_negotiation.html",
                                 context=negotiation_context))
