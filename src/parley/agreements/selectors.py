"""Every read of agreements. Each takes the actor and returns only what the actor may see."""

import datetime
import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    F,
    JSONField,
    OuterRef,
    PositiveIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.aggregates import StringAgg
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from parley.agreements import rules
from parley.agreements.models import (
    Agreement,
    AgreementVersion,
    CalendarFeed,
    Consent,
    ContactLine,
)
from parley.agreements.rules import SETTLED, UNDER_NEGOTIATION, can_view_agreement
from parley.audit import history
from parley.audit.models import AuditEntry
from parley.core import readcache
from parley.core.compiled import TEXT_SLOT, CompiledRead
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.types import Actor, party_of
from parley.core.validation import area_warnings
from parley.engines import geo, timewin

PHASES = (
    "draft",
    "proposed",
    "countered",
    "agreed",
    "active",
    "in_force",
    "completed",
    "suspended",
    "terminated",
)
# The phases that exist only once the parties agreed, derived from the clock and the windows.
AGREED_PHASES = frozenset({"agreed", "active", "in_force", "completed"})
# Keys that belong to the agreement, not to one area: written into each feature on export.
AGREEMENT_LEVEL_PROPERTIES = frozenset(
    {"agreement", "kind", "status", "phase", "windows", "lead_time_h", "margin_min"}
)


def _visibility(party_pk: int, sees_all_settled: bool) -> Q:
    """`rules.can_view_agreement` as a filter: the party's own drafts, what binds the party or
    what it mediates once proposed, and settled agreements (every one for humanitarian
    organisations and monitors, the public ones for everyone else)."""
    seen = Q(owner_id=party_pk) | (
        ~Q(status=Agreement.Status.DRAFT)
        & (Q(bound_parties=party_pk) | Q(process__mediator_id=party_pk))
    )
    if sees_all_settled:
        return seen | Q(status__in=SETTLED)
    return seen | Q(status__in=SETTLED, public=True)


# Parties, times the two database vendors; each entry is one short SQL text.
VISIBILITY_SQL_CACHED = 1024


@functools.lru_cache(maxsize=VISIBILITY_SQL_CACHED)
def _visible_pks_sql(vendor: str, party_pk: int, sees_all_settled: bool) -> tuple[str, tuple]:
    """The SQL of the visible agreements' keys for one party, compiled once per process: the
    ORM takes longer to compile this three-table filter (about 0.4 ms) than the database takes
    to run it, and every read of agreements starts with it. It depends on nothing but its
    arguments (the party, its kind, the vendor whose SQL it is), so it is never stale; what it
    selects is decided when it runs."""
    query = Agreement.objects.filter(_visibility(party_pk, sees_all_settled)).order_by()
    return query.values("pk").query.sql_with_params()


def reader_key(actor: Actor) -> tuple[int, bool] | None:
    """What the visibility rule reads of the actor: the party's key and whether it sees every
    settled agreement (humanitarian organisations and monitors); None without a party."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return None
    party = actor.party
    if party is None:  # not reached: party_id is set (checked above)
        return None
    return party.pk, party.kind in (Party.Kind.HUMANITARIAN, Party.Kind.MONITOR)


def visible_agreement_pks_of(party_pk: int, sees_all_settled: bool) -> QuerySet[Agreement]:
    """`visible_agreement_pks` of a `reader_key`: for reads compiled once per reader."""
    sql, params = _visible_pks_sql(connection.vendor, party_pk, sees_all_settled)
    # The SQL is the ORM's own, from `_visibility`; the values stay parameters.
    return Agreement.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611


def visible_agreement_pks(*, actor: Actor) -> QuerySet[Agreement]:
    """The need-to-know rule of `rules.can_view_agreement`, as one query: the agreements the
    actor may see, unloaded (filter or join on it, or read only the columns needed)."""
    key = reader_key(actor)
    if key is None:
        return Agreement.objects.none()
    return visible_agreement_pks_of(*key)


def visible_agreements(*, actor: Actor) -> QuerySet[Agreement]:
    """The visible agreements (`visible_agreement_pks`) with everything a page shows loaded:
    process, round, drafting party, bound parties, every version with its consents."""
    return (
        visible_agreement_pks(actor=actor)
        .select_related("process", "round", "owner")
        .prefetch_related(
            "bound_parties",
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.select_related("created_by").prefetch_related(
                    Prefetch("consents", queryset=Consent.objects.select_related("party", "user"))
                ),
            ),
        )
    )


def agreement_get(*, actor: Actor, code: str) -> Agreement:
    if "\x00" in code:
        # No code holds it, and PostgreSQL refuses to compare with it.
        raise NotFound(code)
    try:
        return visible_agreements(actor=actor).get(code=code)
    except Agreement.DoesNotExist as exc:
        raise NotFound(code) from exc


def agreement_list(
    *, actor: Actor, phase: str | None = None, now: datetime.datetime | None = None
) -> list[Agreement]:
    """Visible agreements ordered by code, optionally only those in one phase."""
    agreements = visible_agreements(actor=actor).order_by("code")
    if phase is None:
        return list(agreements)
    if phase not in PHASES:
        return []
    if phase in AGREED_PHASES:
        now = now or timezone.now()
        candidates = agreements.filter(status=Agreement.Status.AGREED)
        return [a for a in candidates if agreement_phase(a, now) == phase]
    return list(agreements.filter(status=phase))


def settled_agreements(*, actor: Actor) -> list[Agreement]:
    """Visible agreements the parties have stopped negotiating (agreed, suspended, terminated):
    the areas a monitor reports in and the pauses a report is read against."""
    return list(visible_agreements(actor=actor).filter(status__in=SETTLED).order_by("code"))


def agreements_awaiting_consent(*, actor: Actor) -> list[Agreement]:
    """Proposals whose current version still needs the consent of the actor's own party."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    if not party_of(actor).is_belligerent:
        return []
    candidates = visible_agreements(actor=actor).filter(
        status__in=UNDER_NEGOTIATION, bound_parties=actor.party
    )
    return [
        agreement
        for agreement in candidates.order_by("code")
        if actor.party_id not in consenting_party_ids(agreement.current_version)
    ]


def consenting_party_ids(version: AgreementVersion | None) -> set[int]:
    if version is None:
        return set()
    return {consent.party_id for consent in version.consents.all()}


# Expanding a recurring window (dateutil, zone by zone) costs milliseconds; a read costs less.
# The cache is keyed by the windows' own text, not by the version: an edited draft (the one
# version that changes, `agreement_update_draft`) gets its new expansion in every server process
# at once, with nothing to invalidate and no process left holding a stale one.
EXPANSIONS_CACHED = 2048


@functools.lru_cache(maxsize=EXPANSIONS_CACHED)
def _expansion(windows_text: str) -> tuple[timewin.Window, ...]:
    return tuple(timewin.windows_from_json(json.loads(windows_text), field="windows"))


def version_windows(version: AgreementVersion | None) -> list[timewin.Window]:
    """The version's windows expanded into UTC occurrences, from the cache above."""
    if version is None:
        return []
    cached = getattr(version, "_expanded_windows", None)
    if cached is None:
        cached = list(_expansion(canonical(version.windows)))
        vars(version)["_expanded_windows"] = cached  # a cache on the instance, not a field
    return cached


def agreement_windows(agreement: Agreement) -> list[timewin.Window]:
    return version_windows(agreement.current_version)


def agreement_phase(agreement: Agreement, now: datetime.datetime | None = None) -> str:
    if agreement.status != Agreement.Status.AGREED:
        return agreement.status
    return agreed_phase(agreement_windows(agreement), now or timezone.now())


def agreed_phase(windows: list[timewin.Window], now: datetime.datetime) -> str:
    """The phase of an agreed agreement with these windows at `now`."""
    if not windows:
        return "agreed"
    if now < windows[0].start:
        readcache.answer_changes_at(windows[0].start)
        return "agreed"
    if now >= max(window.end for window in windows):
        return "completed"
    # Active or in force until the next window opens or closes (a cached answer ends there).
    readcache.answer_changes_at(min(instant for window in windows
                                    for instant in (window.start, window.end) if instant > now))
    if timewin.contains(windows, now):
        return "active"
    return "in_force"


def calendar_entries(
    *,
    actor: Actor,
    start: datetime.datetime,
    end: datetime.datetime,
    statuses: frozenset[str] = UNDER_NEGOTIATION
    | {Agreement.Status.AGREED, Agreement.Status.SUSPENDED},
) -> list[tuple[Agreement, timewin.Window]]:
    """Windows overlapping `[start, end)` of visible agreements, sorted by start, then code.

    Suspended agreements stay listed, with their status, so that a calendar shows the windows as
    cancelled rather than silently dropping them.
    """
    entries = []
    for agreement in visible_agreements(actor=actor).filter(status__in=statuses):
        for window in agreement_windows(agreement):
            if window.start < end and window.end > start:
                entries.append((agreement, window))
    entries.sort(key=lambda entry: (entry[1].start, entry[0].code))
    return entries


def feature_collection(
    *,
    areas: dict,
    code: str,
    kind: str,
    windows: list[dict],
    lead_time_h: int | None,
    margin_min: int | None,
    status: str | None = None,
) -> dict:
    """docs/formats.md §2: the stored areas with the agreement's own properties written into
    each."""
    features = []
    for feature in areas.get("features", []):
        properties = dict(feature.get("properties") or {})
        feature_kind = "site" if properties.get("kind") == "site" else kind
        properties.update({"agreement": code, "kind": feature_kind, "windows": windows})
        if status is not None:
            properties["status"] = status
        if lead_time_h is not None:
            properties["lead_time_h"] = lead_time_h
        if margin_min is not None:
            properties["margin_min"] = margin_min
        features.append({**feature, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def version_geojson(agreement: Agreement, version: AgreementVersion) -> dict:
    return feature_collection(
        areas=version.areas,
        code=agreement.code,
        kind=agreement.kind,
        windows=version.windows,
        lead_time_h=version.lead_time_h,
        margin_min=version.margin_min,
        status=agreement.status,
    )


def agreement_areas_geojson(agreement: Agreement) -> dict:
    version = agreement.current_version
    if version is None:
        return {"type": "FeatureCollection", "features": []}
    return version_geojson(agreement, version)


def agreement_audit_trail(*, actor: Actor, agreement: Agreement) -> list[AuditEntry]:
    """The history the actor may see (`parley.audit.history`): page and API read this."""
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    return history.audit_trail_for(obj=agreement, user=actor)


def agreement_versions(*, actor: Actor, agreement: Agreement) -> list[AgreementVersion]:
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    return sorted(agreement.versions.all(), key=lambda version: version.number)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def areas_digest(areas: dict) -> str:
    return hashlib.sha256(canonical(areas).encode()).hexdigest()


@dataclass(frozen=True)
class AreaChange:
    id: str
    geometry_changed: bool
    width_before: float | None
    width_after: float | None

    @property
    def width_changed(self) -> bool:
        return self.width_before != self.width_after


@dataclass(frozen=True)
class ConditionChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class VersionDiff:
    areas_added: list[str] = field(default_factory=list)
    areas_removed: list[str] = field(default_factory=list)
    areas_changed: list[AreaChange] = field(default_factory=list)
    windows_added: list[dict] = field(default_factory=list)
    windows_removed: list[dict] = field(default_factory=list)
    conditions_changed: list[ConditionChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.areas_added,
                self.areas_removed,
                self.areas_changed,
                self.windows_added,
                self.windows_removed,
                self.conditions_changed,
            )
        )


CONDITIONS = ("lead_time_h", "margin_min", "who_may_move", "terms")


def version_diff(old: AgreementVersion, new: AgreementVersion) -> VersionDiff:
    """What a counter-proposal changed: areas by feature id, windows, and conditions."""
    old_features = {str(f.get("id")): f for f in old.areas.get("features", [])}
    new_features = {str(f.get("id")): f for f in new.areas.get("features", [])}
    changed = []
    for feature_id in old_features.keys() & new_features.keys():
        before, after = old_features[feature_id], new_features[feature_id]
        width_before = (before.get("properties") or {}).get("width_m")
        width_after = (after.get("properties") or {}).get("width_m")
        geometry_changed = canonical(before.get("geometry")) != canonical(after.get("geometry"))
        if geometry_changed or width_before != width_after:
            changed.append(AreaChange(feature_id, geometry_changed, width_before, width_after))
    old_windows = {canonical(w): w for w in old.windows}
    new_windows = {canonical(w): w for w in new.windows}
    return VersionDiff(
        areas_added=sorted(new_features.keys() - old_features.keys()),
        areas_removed=sorted(old_features.keys() - new_features.keys()),
        areas_changed=sorted(changed, key=lambda change: change.id),
        windows_added=[w for key, w in new_windows.items() if key not in old_windows],
        windows_removed=[w for key, w in old_windows.items() if key not in new_windows],
        conditions_changed=[
            ConditionChange(name, getattr(old, name), getattr(new, name))
            for name in CONDITIONS
            if getattr(old, name) != getattr(new, name)
        ],
    )


def consents_of(version: AgreementVersion | None) -> list[Consent]:
    if version is None:
        return []
    return sorted(version.consents.all(), key=lambda consent: consent.at)


def awaiting_consent[K](bound: Iterable[tuple[K, str]], consented: Collection[K]) -> list[K]:
    """Who must still consent: each bound party, given as (key, kind) in its own order, that is
    a belligerent and has not consented to the current version (`consented`: their keys)."""
    return [key for key, kind in bound
            if kind == Party.Kind.BELLIGERENT and key not in consented]


def parties_yet_to_consent(agreement: Agreement) -> list[Party]:
    """Bound belligerent parties that have not consented to the current version."""
    parties = list(agreement.bound_parties.all())
    waiting = set(awaiting_consent(((party.pk, party.kind) for party in parties),
                                   consenting_party_ids(agreement.current_version)))
    return [party for party in parties if party.pk in waiting]



_ACTIONS = {
    "propose": (rules.can_propose_agreement, {Agreement.Status.DRAFT}),
    "counter": (rules.can_counter_agreement, UNDER_NEGOTIATION),
    "consent": (rules.can_consent_agreement, UNDER_NEGOTIATION),
    "suspend": (rules.can_suspend_agreement, {Agreement.Status.AGREED}),
    "resume": (rules.can_resume_agreement, {Agreement.Status.SUSPENDED}),
    "terminate": (
        rules.can_terminate_agreement,
        UNDER_NEGOTIATION | {Agreement.Status.AGREED, Agreement.Status.SUSPENDED},
    ),
}


def agreement_available_actions(*, actor: Actor, agreement: Agreement) -> dict[str, bool]:
    """Which transitions the actor may attempt now, for buttons; the services still decide."""
    actions = {
        name: agreement.status in statuses and predicate(actor, agreement)
        for name, (predicate, statuses) in _ACTIONS.items()
    }
    if actions["consent"]:
        version = agreement.current_version
        actions["consent"] = actor.party_id not in consenting_party_ids(version)
    return actions


@dataclass(frozen=True)
class AgreementQuery:
    """What the agreements index filters by; every field optional (empty means "any")."""

    text: str = ""
    status: str = ""
    kind: str = ""
    party_id: int | None = None
    active_now: bool = False
    # (min_lon, min_lat, max_lon, max_lat): agreements whose current areas meet the box.
    bbox: tuple[float, float, float, float] | None = None


def agreement_search(
    *, actor: Actor, query: AgreementQuery, now: datetime.datetime | None = None
) -> list[Agreement]:
    """The agreements index: visible agreements (`visible_agreements`, never more) narrowed by
    `query`, ordered by code. The text matches the code or the title, any case; the party is a
    party bound by the agreement or the one that drafted it; "active now" keeps agreed
    agreements with a window open at `now`; the box keeps agreements whose current version's
    areas meet it (`engines.geo.bbox_intersects`)."""
    agreements = visible_agreements(actor=actor).order_by("code")
    text = query.text.strip()
    if text:
        agreements = agreements.filter(Q(code__icontains=text) | Q(title__icontains=text))
    if query.status:
        agreements = agreements.filter(status=query.status)
    if query.kind:
        agreements = agreements.filter(kind=query.kind)
    if query.party_id is not None:
        agreements = agreements.filter(
            Q(bound_parties=query.party_id) | Q(owner_id=query.party_id)
        ).distinct()
    if query.active_now:
        agreements = agreements.filter(status=Agreement.Status.AGREED)
    found = list(agreements.prefetch_related("versions") if query.bbox else agreements)
    if query.bbox is not None:
        bounds = query.bbox
        found = [
            agreement for agreement in found
            if agreement.current_version is not None
            and geo.bbox_intersects(agreement.current_version.areas, bounds)
        ]
    if not query.active_now:
        return found
    now = now or timezone.now()
    return [agreement for agreement in found if agreement_phase(agreement, now) == "active"]


def contact_line_current(*, actor: Actor) -> ContactLine | None:
    """The contact line shown on the maps: the newest import, for every signed-in person (it is
    the secretariat's working picture, no party's confidential material); None otherwise."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return ContactLine.objects.select_related("imported_by").order_by("-imported_at", "-id").first()


def calendar_feed_list(*, actor: Actor) -> QuerySet[CalendarFeed]:
    """The actor's own calendar feeds, newest first (revoked ones too, marked as such)."""
    if not getattr(actor, "is_authenticated", False):
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")


# --- What the read API gives ------------------------------------------------------------------
# The API's answers, read with only the columns they show: `visible_agreements` loads every
# version of every agreement with its consents and users (model instances, areas decoded), which
# a page needs and an API answer does not. The visibility is the same (`visible_agreement_pks`).


@dataclass(frozen=True)
class ConsentSummary:
    party: str
    user: str
    at: datetime.datetime


@dataclass(frozen=True)
class VersionSummary:
    number: int
    created_by: str
    created_at: datetime.datetime
    note: str


@dataclass(frozen=True)
class VersionDetail:
    number: int
    areas: dict
    windows: list[dict]
    lead_time_h: int | None
    margin_min: int | None
    who_may_move: str
    note: str
    created_by: str
    created_at: datetime.datetime
    consents: list[ConsentSummary]


@dataclass(frozen=True)
class AgreementSummary:
    """One agreement as `AgreementSummaryOut` gives it. Its phase is worked out when read, at
    the clock of that moment, as `agreement_phase` does for a loaded agreement."""

    code: str
    kind: str
    title: str
    process: int
    round: int | None
    owner: str
    status: str
    purpose: str
    bound_parties: list[str]
    public: bool
    version: int | None
    updated_at: datetime.datetime
    # The current version's windows as stored (expanded only for an agreed agreement's phase).
    current_windows: list[dict] = field(repr=False)

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def phase_at(self, now: datetime.datetime) -> str:
        if self.status != Agreement.Status.AGREED:
            return self.status
        return agreed_phase(stored_windows(self.current_windows), now)


@dataclass(frozen=True)
class AgreementDetail(AgreementSummary):
    """One agreement as `AgreementOut` gives it."""

    status_reason: str
    created_at: datetime.datetime
    awaiting_consent_from: list[str]
    current_version: VersionDetail | None
    versions: list[VersionSummary]

    @property
    def warnings(self) -> list[dict]:
        version = self.current_version
        return area_warnings(version.areas) if version else []


def stored_windows(windows: list[dict]) -> list[timewin.Window]:
    """Stored windows expanded into UTC occurrences, from the cache of `version_windows`."""
    return list(_expansion(canonical(windows)))


_SUMMARY_COLUMNS = ("pk", "code", "kind", "title", "process_id", "round_id", "owner__slug",
                    "status", "purpose", "public", "updated_at")


@functools.lru_cache(maxsize=VISIBILITY_SQL_CACHED)
def _summary_read(
    vendor: str, party_pk: int, sees_all_settled: bool, by_status: bool
) -> CompiledRead:
    """The read of `agreement_summary_list` for one party, compiled once (`CompiledRead`): the
    visible agreements (of one status, with `by_status`) with their current version's number and
    windows, a row per bound party."""
    agreements = visible_agreement_pks_of(party_pk, sees_all_settled)
    if by_status:
        agreements = agreements.filter(status=TEXT_SLOT)
    current = AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    agreements = agreements.annotate(
        current_number=Subquery(current.values("number")[:1]),
        current_windows=Subquery(current.values("windows")[:1]),
    )
    return CompiledRead(
        agreements.order_by("code").values_list(*_SUMMARY_COLUMNS, "current_number",
                                                 "current_windows", "bound_parties__slug"),
        [TEXT_SLOT] if by_status else [],
    )


def agreement_summary_list(
    *, actor: Actor, phase: str | None = None, now: datetime.datetime | None = None
) -> list[AgreementSummary]:
    """`agreement_list` as the API gives it: the agreements with their owner, bound parties and
    current version's number and windows, in one query (no areas, no other version)."""
    key = reader_key(actor)
    if key is None or (phase is not None and phase not in PHASES):
        return []
    values = []
    if phase is not None:
        values = [Agreement.Status.AGREED.value if phase in AGREED_PHASES else phase]
    found: dict[int, list] = {}
    bound: dict[int, list[str]] = defaultdict(list)
    for *columns, slug in _summary_read(connection.vendor, *key, phase is not None).rows(*values):
        found.setdefault(columns[0], columns)
        if slug is not None:
            bound[columns[0]].append(slug)
    summaries = [
        AgreementSummary(
            code=code, kind=kind, title=title, process=process_id, round=round_id,
            owner=owner, status=status, purpose=purpose, bound_parties=sorted(bound[pk]),
            public=public, version=number, updated_at=updated_at,
            current_windows=windows if number is not None else [],
        )
        for pk, code, kind, title, process_id, round_id, owner, status, purpose, public,
        updated_at, number, windows in found.values()
    ]
    if phase in AGREED_PHASES:
        now = now or timezone.now()
        return [summary for summary in summaries if summary.phase_at(now) == phase]
    return summaries


# Between a bound party's kind and slug, and between bound parties, in `_detail_read`'s list
# (neither is in a kind or a slug).
_KIND_SLUG, _BOUND_SEPARATOR = ":", ","


# `_detail_read`'s agreement columns (then a version's and a consent's).
_DETAIL_COLUMNS = (*_SUMMARY_COLUMNS, "status_reason", "created_at", "bound")
_DETAIL_WIDTH = len(_DETAIL_COLUMNS)


# The columns only the current version's rows carry (NULL in an earlier version's rows).
_CURRENT_ONLY = (("areas", JSONField()), ("windows", JSONField()),
                 ("lead_time_h", PositiveIntegerField()), ("margin_min", PositiveIntegerField()),
                 ("who_may_move", TextField()))


@functools.lru_cache(maxsize=VISIBILITY_SQL_CACHED)
def _detail_read(vendor: str, party_pk: int, sees_all_settled: bool) -> CompiledRead:
    """The visible agreement of a code, its bound parties as one text ("kind:slug,..."), with
    a row per version and consent of that version: the version's number, author, time and
    note, the current version's (the highest number's) areas, windows and terms, and the
    consent's party, user and time. One read, compiled once per party (`CompiledRead`)."""
    Bound = Agreement.bound_parties.through  # noqa: N806 (a model)
    bound = (Bound.objects.filter(agreement_id=OuterRef("pk")).order_by()
             .values("agreement_id")
             .annotate(parties=StringAgg(Concat("party__kind", Value(_KIND_SLUG), "party__slug",
                                                output_field=TextField()),
                                         delimiter=Value(_BOUND_SEPARATOR)))
             .values("parties"))  # type: ignore[misc]  # an annotation the stubs miss
    agreement = CompiledRead(
        visible_agreement_pks_of(party_pk, sees_all_settled).filter(code=TEXT_SLOT)
        .annotate(bound=Subquery(bound, output_field=TextField())).order_by()
        .values_list(*_DETAIL_COLUMNS),
        [TEXT_SLOT],
    )
    latest = (AgreementVersion.objects.filter(agreement_id=OuterRef("agreement_id"))
              .order_by("-number").values("number")[:1])
    current_only = {
        f"current_{name}": Case(When(number=F("latest"), then=F(name)), default=None,
                                output_field=output)
        for name, output in _CURRENT_ONLY
    }
    # Read only through the join with a visible agreement: no visibility rule of its own.
    versions = CompiledRead(
        AgreementVersion.objects.filter(agreement__code=TEXT_SLOT)
        .annotate(latest=Subquery(latest), **current_only).order_by()
        .values_list("agreement_id", "pk", "number", "created_by__username", "created_at",
                     "note", *current_only, "consents__party_id", "consents__party__slug",
                     "consents__user__username", "consents__at", "consents__pk"),
        [TEXT_SLOT],
    )
    return agreement.left_join(versions, on=("pk", "agreement_id"),
                               order_by=("number", "consents__at", "consents__pk"))


def agreement_detail_get(*, actor: Actor, code: str) -> AgreementDetail:
    """`agreement_get` as the API gives it: the agreement with its owner and bound parties, its
    versions, and the current version with its consents: one query, compiled once."""
    key = reader_key(actor)
    if key is None or "\x00" in code:
        # No code holds a NUL, and PostgreSQL refuses to compare with it.
        raise NotFound(code)
    rows = _detail_read(connection.vendor, *key).rows(code)
    if not rows:
        raise NotFound(code)
    (pk, code, kind, title, process_id, round_id, owner, status, purpose, public, updated_at,
     status_reason, created_at, bound_text) = rows[0][:_DETAIL_WIDTH]
    # In the order of `agreement.bound_parties.all()` (the parties' own: kind, then slug).
    bound = sorted(((slug, party_kind) for party_kind, slug in (
        pair.split(_KIND_SLUG, 1) for pair in (bound_text or "").split(_BOUND_SEPARATOR) if pair
    )), key=lambda found: (found[1], found[0]))
    # A row per version and consent, by number (none for an agreement without a version).
    version_rows = [row[_DETAIL_WIDTH:] for row in rows if row[_DETAIL_WIDTH] is not None]
    versions = list({row[1]: row[1:6] for row in version_rows}.values())
    current = None
    if versions:
        current_pk, number, created_by, version_created_at, note = versions[-1]
        consent_rows = [row for row in version_rows if row[1] == current_pk]
        areas, windows, lead_time_h, margin_min, who_may_move = consent_rows[0][6:11]
        consents = [ConsentSummary(party=party, user=user, at=at)
                    for *_, party_id, party, user, at, _consent_pk in consent_rows
                    if party_id is not None]
        current = VersionDetail(
            number=number, areas=areas, windows=windows, lead_time_h=lead_time_h,
            margin_min=margin_min, who_may_move=who_may_move, note=note, created_by=created_by,
            created_at=version_created_at, consents=consents,
        )
    awaiting: list[str] = []
    if status in UNDER_NEGOTIATION:
        awaiting = awaiting_consent(
            bound, {consent.party for consent in current.consents} if current else set())
    return AgreementDetail(
        code=code, kind=kind, title=title, process=process_id, round=round_id, owner=owner,
        status=status, purpose=purpose, bound_parties=sorted(slug for slug, _ in bound),
        public=public, version=current.number if current else None, updated_at=updated_at,
        current_windows=current.windows if current else [], status_reason=status_reason,
        created_at=created_at, awaiting_consent_from=awaiting, current_version=current,
        versions=[VersionSummary(number=number, created_by=created_by, created_at=at, note=note)
                  for _pk, number, created_by, at, note in versions],
    )


def version_detail(version: AgreementVersion) -> VersionDetail:
    """A loaded version (its author and consents with their parties and users loaded) as the
    API gives it."""
    return VersionDetail(
        number=version.number, areas=version.areas, windows=version.windows,
        lead_time_h=version.lead_time_h, margin_min=version.margin_min,
        who_may_move=version.who_may_move, note=version.note,
        created_by=version.created_by.username, created_at=version.created_at,
        consents=[ConsentSummary(party=consent.party.slug, user=consent.user.username,
                                 at=consent.at) for consent in consents_of(version)],
    )


@functools.lru_cache(maxsize=VISIBILITY_SQL_CACHED)
def _areas_read(vendor: str, party_pk: int, sees_all_settled: bool) -> CompiledRead:
    """The current version of a visible agreement of a code, joined to the agreement, compiled
    once per party (`CompiledRead`)."""
    return CompiledRead(
        AgreementVersion.objects
        .filter(agreement__in=visible_agreement_pks_of(party_pk, sees_all_settled).values("pk"),
                agreement__code=TEXT_SLOT)
        .order_by("-number")
        .values_list("agreement__kind", "agreement__status", "areas", "windows", "lead_time_h",
                     "margin_min")[:1],
        [TEXT_SLOT],
    )


def agreement_areas_get(*, actor: Actor, code: str) -> dict:
    """`agreement_areas_geojson` of a visible agreement, read in one query (the current version
    joined to its agreement); NotFound when the actor may not see it."""
    key = reader_key(actor)
    if key is None or "\x00" in code:
        raise NotFound(code)
    rows = _areas_read(connection.vendor, *key).rows(code)
    if not rows:
        if not visible_agreement_pks(actor=actor).filter(code=code).exists():
            raise NotFound(code)
        return {"type": "FeatureCollection", "features": []}
    kind, status, areas, windows, lead_time_h, margin_min = rows[0]
    return feature_collection(areas=areas, code=code, kind=kind, windows=windows,
                              lead_time_h=lead_time_h, margin_min=margin_min, status=status)
