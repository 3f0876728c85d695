from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import WindowError, gettext_noop


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def load_zone(name: object, field: str = "tz") -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise WindowError(field, gettext_noop("must be an IANA time zone such as Europe/Kyiv"))
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise WindowError(field, gettext_noop("is not a known IANA time zone"), name) from exc


def localise(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant a naive wall-clock time of `zone` denotes.

    fold=0 is exactly docs/formats.md §1: in a DST gap zoneinfo applies the offset in force before
    the gap (RFC 5545 §3.3.5), and in a fold it picks the first of the two instants.
    """
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)
