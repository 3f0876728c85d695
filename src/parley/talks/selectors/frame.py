"""Reads of the talks frame, open to everyone who belongs to a party at the talks."""

from django.db.models import Prefetch, QuerySet

from parley.core.errors import NotFound
from parley.core.types import Actor
from parley.talks.models import Attendance, Delegation, Process, Round, Session
from parley.talks.rules import can_view_talks


def process_list(*, actor: Actor) -> QuerySet[Process]:
    if not can_view_talks(actor):
        return Process.objects.none()
    return Process.objects.select_related("host", "mediator")


def process_get(*, actor: Actor, pk: int) -> Process:
    try:
        return process_list(actor=actor).get(pk=pk)
    except (Process.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("process") from exc


def round_list(*, actor: Actor, process: Process | None = None) -> QuerySet[Round]:
    if not can_view_talks(actor):
        return Round.objects.none()
    rounds = Round.objects.select_related("process").prefetch_related(
        Prefetch(
            "delegations",
            queryset=Delegation.objects.select_related("party", "head").prefetch_related("members"),
        )
    )
    if process is not None:
        rounds = rounds.filter(process=process)
    return rounds


def round_get(*, actor: Actor, pk: int) -> Round:
    try:
        return round_list(actor=actor).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("round") from exc



def session_list(*, actor: Actor, round: Round) -> list[Session]:
    """The sittings of a round (the caller has the round from `round_get`)."""
    if not can_view_talks(actor):
        return []
    return list(round.sessions.prefetch_related(
        Prefetch("attendance", queryset=Attendance.objects.select_related("party")
                 .prefetch_related("members"))))
