"""Who reads the history of the talks' objects (registered with `parley.audit.history`): the
same need-to-know selectors as the pages; the parties' choice of who reads a position or a
comment; the mediator's notes stay with the secretariat."""

from typing import Any

from parley.audit import history
from parley.core.history import own_party_reads, secretariat_reads
from parley.talks import selectors
from parley.talks.models import Bracket, Delegation, Provision, Session
from parley.talks.rules import can_view_talks


def _pks(selector: Any) -> Any:
    return lambda user: selector(actor=user).values_list("pk", flat=True)


def _at_the_table(model: Any) -> Any:
    return lambda user: model.objects.values_list("pk", flat=True) if can_view_talks(user) else []


def register() -> None:
    texts = _pks(selectors.visible_texts)
    history.register("talks.process", _pks(selectors.process_list))
    history.register("talks.round", _pks(selectors.round_list))
    history.register("talks.session", _at_the_table(Session))
    history.register("talks.delegation", _at_the_table(Delegation))
    history.register("talks.agendaitem", _pks(selectors.agenda_items))
    history.register("talks.position", _pks(selectors.visible_positions))
    history.register("talks.mediatornote", selectors.visible_note_ids)
    history.register("talks.commitment", _pks(selectors.visible_commitments))
    history.register("talks.drafttext", texts)
    history.register(
        "talks.provision",
        lambda user: Provision.objects.filter(text__in=list(texts(user))).values_list(
            "pk", flat=True
        ),
    )
    history.register(
        "talks.bracket",
        lambda user: Bracket.objects.filter(provision__text__in=list(texts(user))).values_list(
            "pk", flat=True
        ),
    )
    history.register("talks.provisioncomment", selectors.visible_comment_ids)
    history.register("talks.signingkey", own_party_reads("talks.signingkey"))
    history.register("talks.communique", secretariat_reads("talks.communique"))
