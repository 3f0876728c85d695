"""RRULE expansion in local wall-clock time (docs/formats.md §1)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from .errors import WindowError, gettext_noop, sibling_field
from .model import EARLIEST, LATEST, OUT_OF_RANGE, Recurrence
from .zones import load_zone, localise

MAX_OCCURRENCES = 10_000

# dateutil compares UNTIL with naive local occurrences; a UTC UNTIL is therefore widened by more
# than any UTC offset and the exact comparison is made on the localised instants.
_UNTIL_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: rrule
    zone: ZoneInfo
    until_utc: datetime | None
    bounded: bool
    field: str

    def starts(self, *, before: datetime | None = None) -> Iterator[datetime]:
        """UTC starts of the occurrences, in the order of their local times.

        `before` (aware) stops an unbounded rule: occurrences starting at or after it are left out.
        """
        local_stop = None
        if before is not None:
            local_stop = before.astimezone(self.zone).replace(tzinfo=None) + _UNTIL_SLACK
        for local in self.rule:
            if not EARLIEST.year < local.year < LATEST.year:
                raise WindowError(self.field, OUT_OF_RANGE)
            if local_stop is not None and local > local_stop:
                return
            start = localise(local, self.zone)
            if self.until_utc is not None and start > self.until_utc:
                continue
            if before is not None and start >= before:
                continue
            yield start


def compile_rule(recurrence: Recurrence, *, field: str) -> CompiledRule:
    text = recurrence.rrule
    if not isinstance(text, str) or not text.strip():
        raise WindowError(field, gettext_noop("must be an RFC 5545 recurrence rule"))
    zone = load_zone(recurrence.tz, sibling_field(field, "tz"))
    if not isinstance(recurrence.dtstart, datetime) or recurrence.dtstart.tzinfo is not None:
        raise WindowError(
            sibling_field(field, "dtstart"),
            gettext_noop("must be a local time without offset: the zone is given by tz"),
        )
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if any(mark in body for mark in ("\n", "\r", ":")):
        raise WindowError(
            field, gettext_noop("must be a single RRULE without DTSTART or other lines"), text
        )
    parts = body.split(";")
    keys = {part.partition("=")[0].strip().upper() for part in parts}
    until_utc = None
    for index, part in enumerate(parts):
        key, _, value = part.partition("=")
        if key.strip().upper() == "UNTIL" and value.strip().upper().endswith("Z"):
            until_utc = _parse_utc_until(value.strip(), text, field)
            local_until = until_utc.astimezone(zone).replace(tzinfo=None) + _UNTIL_SLACK
            parts[index] = f"UNTIL={local_until:%Y%m%dT%H%M%S}"
    try:
        rule = rrulestr(";".join(parts), dtstart=recurrence.dtstart)
    except (ValueError, TypeError, OverflowError) as exc:
        raise WindowError(
            field, gettext_noop("is not a valid RFC 5545 recurrence rule"), f"{text}: {exc}"
        ) from exc
    return CompiledRule(rule, zone, until_utc, bool(keys & {"COUNT", "UNTIL"}), field)


def count_bounded(compiled: CompiledRule) -> None:
    """A rule with COUNT or UNTIL must open at least once and at most MAX_OCCURRENCES times."""
    if not compiled.bounded:
        return
    count = 0
    for _ in compiled.starts():
        count += 1
        if count > MAX_OCCURRENCES:
            raise WindowError(compiled.field, gettext_noop("produces more than 10 000 occurrences"))
    if count == 0:
        raise WindowError(compiled.field, gettext_noop("produces no occurrence"))


def expand_recurrence(
    recurrence: Recurrence, *, until: datetime | None, field: str
) -> list[tuple[datetime, datetime]]:
    compiled = compile_rule(recurrence, field=f"{field}.rrule")
    if compiled.bounded:
        before = None
    elif until is not None:
        before = until
    else:
        before = localise(recurrence.dtstart + timedelta(days=366), compiled.zone)
    occurrences: list[tuple[datetime, datetime]] = []
    for start in compiled.starts(before=before):
        if len(occurrences) == MAX_OCCURRENCES:
            raise WindowError(compiled.field, gettext_noop("produces more than 10 000 occurrences"))
        end = start + recurrence.duration
        if end >= LATEST:
            raise WindowError(compiled.field, OUT_OF_RANGE)
        occurrences.append((start, end))
    return occurrences


def _parse_utc_until(value: str, text: str, field: str) -> datetime:
    try:
        return datetime.strptime(value.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise WindowError(
            field, gettext_noop("is not a valid RFC 5545 recurrence rule"), text
        ) from exc
