"""Reads of commitments, compliance, communiqués and the pulse of the talks."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parley.audit import history
from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.core.types import Actor
from parley.talks.models import (
    AgendaItem,
    Commitment,
    CommitmentAnswer,
    CommitmentEvidence,
    Communique,
    DraftText,
    Process,
    Round,
    TextSignature,
)
from parley.talks.providers import contributed_figures, pause_hours, visible_agreements
from parley.talks.rules import (
    can_manage_talks,
    can_view_commitments,
    can_view_full_pulse,
    can_view_talks,
)


def visible_commitments(*, actor: Actor, process: Process | None = None) -> QuerySet[Commitment]:
    if not can_view_commitments(actor):
        return Commitment.objects.none()
    shown = Commitment.objects.select_related("party", "provision__text__agreement")
    if process is not None:
        shown = shown.filter(process=process)
    return shown.prefetch_related(
        Prefetch("evidence", queryset=CommitmentEvidence.objects.select_related("added_by")),
        Prefetch("answers", queryset=CommitmentAnswer.objects.select_related("party", "author")))


def commitment_get(*, actor: Actor, pk: int | str) -> Commitment:
    try:
        return visible_commitments(actor=actor).get(pk=pk)
    except (Commitment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("commitment") from exc


def commitment_audit_trail(*, actor: Actor, commitment: Commitment) -> list[AuditEntry]:
    return history.audit_trail_for(obj=commitment, user=actor)


@dataclass
class Compliance:
    """Commitments per party (and per agreement), by status, and by the month they fell due."""

    per_party: dict[str, Counter] = field(default_factory=dict)
    per_agreement: dict[str, Counter] = field(default_factory=dict)
    per_month: dict[str, dict[date, Counter]] = field(default_factory=dict)


def compliance(commitments: Iterable[Commitment]) -> Compliance:
    result = Compliance()
    per_month: dict[str, dict[date, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for commitment in commitments:
        party = commitment.party.name
        result.per_party.setdefault(party, Counter())[commitment.status] += 1
        if commitment.provision is not None:
            code = commitment.provision.text.agreement.code
            result.per_agreement.setdefault(code, Counter())[commitment.status] += 1
        month = commitment.due_at.date().replace(day=1)
        per_month[party][month][commitment.status] += 1
    result.per_month = {party: dict(sorted(months.items()))
                        for party, months in per_month.items()}
    return result


def communique_for(*, actor: Actor, round: Round) -> Communique | None:
    """Published communiqués are for everyone at the talks and the observers; a draft is the
    secretariat's."""
    communique = Communique.objects.filter(round=round).first()
    if communique is None or not can_view_talks(actor):
        return None
    if communique.status != Communique.Status.PUBLISHED and not can_manage_talks(actor):
        return None
    return communique


def published_communiques(*, actor: Actor, process: Process) -> list[Communique]:
    if not can_view_talks(actor):
        return []
    return list(Communique.objects.filter(round__process=process,
                                          status=Communique.Status.PUBLISHED)
                .select_related("round").order_by("round__date"))


@dataclass(frozen=True)
class Moment:
    at: datetime | date
    kind: str
    label: str


@dataclass
class Pulse:
    process: Process
    last_round: Round | None
    days_since_last_round: int | None
    items: Counter
    pauses_agreed: int
    pause_hours: int
    hours_with_confirmed: int
    texts_signed: int
    commitments: dict[str, Counter]
    figures: list[tuple[str, str, int]]
    timeline: list[Moment]

    @property
    def items_agreed(self) -> int:
        return self.items[AgendaItem.Status.AGREED]

    @property
    def items_open(self) -> int:
        settled = {AgendaItem.Status.AGREED, AgendaItem.Status.DROPPED}
        return sum(count for status, count in self.items.items() if status not in settled)

    @property
    def share_without_confirmed(self) -> float | None:
        if not self.pause_hours:
            return None
        return (self.pause_hours - self.hours_with_confirmed) / self.pause_hours


def pulse(
    *, actor: Actor, process: Process, now: datetime | None = None, public: bool = False,
) -> Pulse:
    """"Are the talks alive?" In the public version (and for anyone not at the table) every
    figure is an aggregate over the process and the timeline names no party."""
    now = now or timezone.now()
    public = public or not can_view_full_pulse(actor)
    rounds = list(process.rounds.filter(date__lte=now.date()).order_by("date", "name"))
    last = rounds[-1] if rounds else None
    items = Counter(AgendaItem.objects.filter(process=process).values_list("status", flat=True))
    pauses = visible_agreements(actor=actor).filter(process=process, kind="pause",
                                                    status="agreed")
    hours, hours_with_confirmed = pause_hours(actor=actor, process=process, now=now)
    commitments: dict[str, Counter] = {}
    for party_name, status in ((c.party.name, c.status) for c in
                               Commitment.objects.filter(process=process)
                               .select_related("party")):
        commitments.setdefault(party_name, Counter())[status] += 1
    if public:
        commitments = {"": sum(commitments.values(), Counter())}
    signed = DraftText.objects.filter(process=process, status=DraftText.Status.SIGNED)
    timeline = [Moment(r.date, "round", r.name) for r in rounds]
    for entry in AuditEntry.objects.filter(object_type="talks.agendaitem",
                                           action="agenda_item.status",
                                           after__status=AgendaItem.Status.AGREED):
        item = AgendaItem.objects.filter(pk=entry.object_id, process=process).first()
        if item is not None:
            timeline.append(Moment(entry.at, "agreed", item.title))
    marks = TextSignature.objects.filter(text__process=process,
                                         kind=TextSignature.Kind.SIGNATURE).select_related(
        "text", "party").order_by("at")
    if public:
        # One moment per text, when its last party signed; who signed first is not public.
        completed = {mark.text_id: mark for mark in marks
                     if mark.text.status == DraftText.Status.SIGNED}
        timeline += [Moment(mark.at, "signed", mark.text.title) for mark in completed.values()]
    else:
        timeline += [Moment(mark.at, "signed", f"{mark.text.title} · {mark.party.name}")
                     for mark in marks]
    for commitment in Commitment.objects.filter(
            process=process, status__in=[Commitment.Status.MET, Commitment.Status.LATE,
                                         Commitment.Status.BREACHED],
            status_at__isnull=False).select_related("party"):
        if commitment.status_at is None:  # not reached: the query excludes it
            raise ValueError(f"commitment {commitment.pk} has a status without a time")
        label = "" if public else f"{commitment.party.name}: {commitment.what}"
        timeline.append(Moment(commitment.status_at, commitment.status, label))
    timeline.sort(key=lambda m: m.at if isinstance(m.at, datetime)
                  else datetime.combine(m.at, datetime.min.time(), tzinfo=now.tzinfo))
    return Pulse(
        process=process, last_round=last,
        days_since_last_round=(now.date() - last.date).days if last else None,
        items=items, pauses_agreed=pauses.count(),
        pause_hours=hours, hours_with_confirmed=hours_with_confirmed,
        texts_signed=signed.count(), commitments=commitments,
        figures=contributed_figures(actor=actor, process=process, now=now), timeline=timeline,
    )
