"""Who reads the history of the exchanges' objects (registered with `parley.audit.history`):
a list, its persons and their reconciliation are the listing party's and its counterpart's (and
the intermediary's and the secretariat's); a handover entry is the two sides'."""

from typing import Any

from django.db.models import Q

from parley.audit import history
from parley.exchanges import rules
from parley.exchanges.models import ExchangeEntry, Pair, Person, Reconciliation
from parley.exchanges.selectors import visible_lists


def _lists(user: Any) -> list[int]:
    return list(visible_lists(actor=user).values_list("pk", flat=True))


def _entries(user: Any) -> Any:
    entries = ExchangeEntry.objects.all()
    if not rules.sees_every_list(user):
        entries = entries.filter(Q(releasing_id=user.party_id) | Q(receiving_id=user.party_id))
    return entries.values_list("pk", flat=True)


def register() -> None:
    history.register("exchanges.personlist", _lists)
    history.register(
        "exchanges.person",
        lambda user: Person.objects.filter(person_list__in=_lists(user)).values_list(
            "pk", flat=True
        ),
    )
    history.register(
        "exchanges.reconciliation",
        lambda user: Reconciliation.objects.filter(
            held_list__in=_lists(user), sought_list__in=_lists(user)
        ).values_list("pk", flat=True),
    )
    history.register(
        "exchanges.pair",
        lambda user: Pair.objects.filter(
            held__person_list__in=_lists(user), sought__person_list__in=_lists(user)
        ).values_list("pk", flat=True),
    )
    history.register("exchanges.exchangeentry", _entries)
