"""iCalendar (RFC 5545) feeds of pause windows, written by hand: one VEVENT per occurrence.

Times are written in UTC (`...Z`), so no VTIMEZONE is needed and no client can misread them; each
event's description repeats the window on the clocks of the parties bound by the agreement.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext

from parley.agreements.models import Agreement
from parley.engines import timewin

PRODID = "-//Parley//Humanitarian pauses//EN"
STATUS: dict[str, str] = {
    Agreement.Status.PROPOSED: "TENTATIVE",
    Agreement.Status.COUNTERED: "TENTATIVE",
    Agreement.Status.AGREED: "CONFIRMED",
    Agreement.Status.SUSPENDED: "CANCELLED",
    Agreement.Status.TERMINATED: "CANCELLED",
}


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on lines that start with a space (§3.1).

    Counts UTF-8 octets and never splits a character: Cyrillic letters take two.
    """
    if len(line.encode()) <= 75:
        return line
    if line.isascii():
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    parts, current, size = list[str](), "", 0
    for char in line:
        width = len(char.encode())
        # A continuation line's leading space counts towards its 75 octets.
        limit = 75 if not parts else 74
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def party_zones(agreement: Agreement) -> list[str]:
    """The clocks of the bound parties, main zone first, each zone once."""
    zones: list[str] = []
    for party in agreement.bound_parties.all():
        for zone in party.time_zones:
            if zone not in zones:
                zones.append(zone)
    return zones


def event_uid(agreement: Agreement, window: timewin.Window) -> str:
    return f"{agreement.code}-{utc_stamp(window.start)}@parley"


@dataclass(frozen=True)
class _AgreementText:
    """What every event of one agreement repeats, worked out once per agreement."""

    heading: str
    zones: list[str]
    who_may_move: str
    stamp: str
    sequence: int
    status: str
    summary: str
    categories: str


def _agreement_text(agreement: Agreement) -> _AgreementText:
    version = agreement.current_version
    return _AgreementText(
        heading=f"{agreement.get_kind_display()}: {agreement.get_purpose_display()}",
        zones=["UTC", *party_zones(agreement)],
        who_may_move=(
            gettext("Who may move: %(who)s") % {"who": version.who_may_move}
            if version is not None and version.who_may_move
            else ""
        ),
        # The time the text last changed, not the time of the request: the feed stays the same
        # between requests until the agreement itself changes.
        stamp=utc_stamp(agreement.updated_at),
        sequence=version.number if version else 0,
        status=STATUS.get(agreement.status, "TENTATIVE"),
        summary=escape_text(f"{agreement.code} {agreement.title}"),
        categories=escape_text(agreement.get_kind_display()),
    )


def _description(text: _AgreementText, window: timewin.Window) -> str:
    lines = [text.heading]
    for zone in text.zones:
        lines.append(
            f"{zone}: {timewin.format_local(window.start, zone)} – "
            f"{timewin.format_local(window.end, zone)}"
        )
    if text.who_may_move:
        lines.append(text.who_may_move)
    return "\n".join(lines)


def _event(agreement: Agreement, text: _AgreementText, window: timewin.Window) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{event_uid(agreement, window)}",
        f"DTSTAMP:{text.stamp}",
        f"DTSTART:{utc_stamp(window.start)}",
        f"DTEND:{utc_stamp(window.end)}",
        f"SEQUENCE:{text.sequence}",
        f"STATUS:{text.status}",
        f"SUMMARY:{text.summary}",
        f"DESCRIPTION:{escape_text(_description(text, window))}",
        f"CATEGORIES:{text.categories}",
        "END:VEVENT",
    ]


def calendar(entries: Iterable[tuple[Agreement, timewin.Window]], *, name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    texts: dict[int, _AgreementText] = {}
    for agreement, window in entries:
        if agreement.pk not in texts:
            texts[agreement.pk] = _agreement_text(agreement)
        lines.extend(_event(agreement, texts[agreement.pk], window))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
