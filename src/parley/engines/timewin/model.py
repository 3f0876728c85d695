from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from parley.engines import bounds

from .errors import WindowError, gettext_noop

# Instants are compared as datetime64[ns], which spans 1677-09-21 to 2262-04-11.
EARLIEST = bounds.EARLIEST  # the supported span, declared in parley.engines.bounds
LATEST = bounds.LATEST
OUT_OF_RANGE = gettext_noop("is outside the years 1678 to 2261 that Parley supports")


def check_range(moment: datetime, field: str) -> datetime:
    """The aware `moment` in UTC, when it lies in the supported span. Checked before the
    conversion, which overflows at datetime's own ends (9999-12-31T23:00:00-01:00)."""
    if bounds.instant_problem(moment) is not None:
        raise WindowError(field, OUT_OF_RANGE)
    moment = moment.astimezone(UTC)
    if not EARLIEST <= moment < LATEST:
        raise WindowError(field, OUT_OF_RANGE)
    return moment


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open interval `[start, end)` between two instants, held in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise WindowError(name, gettext_noop("is a local time without a time zone"))
            object.__setattr__(self, name, check_range(value, name))
        if not self.start < self.end:
            raise WindowError("end", gettext_noop("must be later than start"))


@dataclass(frozen=True, slots=True)
class Recurrence:
    """An RFC 5545 RRULE expanded in the wall-clock time of `tz` from the local `dtstart`.

    Each occurrence lasts `duration` of elapsed time, whatever the clocks do meanwhile.
    """

    rrule: str
    dtstart: datetime
    tz: str
    duration: timedelta


@dataclass(frozen=True, slots=True)
class LocalWindow:
    """One window as read on the clocks of one zone."""

    zone: str
    start_local: datetime
    end_local: datetime
    utc_offset_start: str
    utc_offset_end: str
    abbrev: str
    abbrev_end: str
