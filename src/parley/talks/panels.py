"""The talks' panel of the dashboard (registered in `TalksConfig.ready`): per process the
reader follows, days since the last round, items agreed and open, and the texts waiting for
the reader's party to initial or sign."""

from datetime import datetime

from django.http import HttpRequest

from parley.core.types import user_of
from parley.talks import rules, selectors
from parley.talks.models import DraftText, TextSignature
from parley.ui import panels


def talks_context(request: HttpRequest, now: datetime) -> dict | None:
    actor = user_of(request)
    rows = []
    for process in selectors.process_list(actor=actor):
        pulse = selectors.pulse(actor=actor, process=process, now=now)
        waiting = []
        if rules.can_sign_texts(actor):
            for text in selectors.visible_texts(actor=actor).filter(process=process).exclude(
                    status=DraftText.Status.SIGNED):
                kind = TextSignature.Kind.INITIAL if text.status == \
                    DraftText.Status.NEGOTIATING else TextSignature.Kind.SIGNATURE
                signers = {p.pk for p in text.agreement.bound_parties.all()}
                if actor.party_id in signers and not text.signatures.filter(
                        kind=kind, party=actor.party).exists():
                    waiting.append(text)
        rows.append({"process": process, "pulse": pulse, "waiting": waiting})
    return {"talks_rows": rows} if rows else None


def register() -> None:
    panels.register(panels.Panel(
        name="talks", order=20, template="talks/_panel.html", context=talks_context,
        orders={panels.PARTY: 40, panels.SECRETARIAT: 30, panels.OBSERVER: 30,
                panels.ORGANISATION: 80, panels.MONITOR: 80},
    ))
