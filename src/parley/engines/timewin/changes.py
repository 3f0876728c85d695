"""Clock changes: the instants at which a zone's offset from UTC changes (daylight saving time)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .zones import load_zone

STEP = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ClockChange:
    """The offset of `zone` changes at `at` (UTC): the clocks jump from `local_before` (the wall
    time that never comes, or comes twice) to `local_after`; the local day that holds the change
    lasts `day_length`."""

    zone: str
    at: datetime
    local_before: datetime
    local_after: datetime
    offset_before: timedelta
    offset_after: timedelta
    day_length: timedelta

    @property
    def forward(self) -> bool:
        return self.offset_after > self.offset_before


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def clock_changes(zone_name: str, start: datetime, end: datetime) -> list[ClockChange]:
    """Every change of `zone_name`'s offset in `[start, end)`, oldest first.

    Offsets are sampled hourly (zones change at most twice a year, never twice within an hour)
    and each change is then found to the second by bisection.
    """
    zone = load_zone(zone_name, "zone")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    changes = []
    # From a second before `start`, so that a change at `start` itself is found.
    moment = start - timedelta(seconds=1)
    offset = _offset(zone, moment)
    while moment < end:
        following = min(moment + STEP, end)
        after = _offset(zone, following)
        if after != offset:
            low, high = moment, following  # offset(low) == offset, offset(high) == after
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            if start <= high < end:
                changes.append(_change(zone_name, zone, high, offset, after))
            offset = after
        moment = following
    return changes


def _change(name: str, zone: ZoneInfo, at: datetime, before: timedelta,
            after: timedelta) -> ClockChange:
    local_after = at.astimezone(zone)
    local_before = (at + before).replace(tzinfo=None)
    day = local_after.date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    following = day + timedelta(days=1)
    next_midnight = datetime(following.year, following.month, following.day,
                             tzinfo=zone).astimezone(UTC)
    return ClockChange(
        zone=name, at=at, local_before=local_before,
        local_after=local_after.replace(tzinfo=None, fold=0),
        offset_before=before, offset_after=after, day_length=next_midnight - midnight,
    )
