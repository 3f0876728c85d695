"""What the talks' templates show: times in every party's clock, charts as plain numbers for
server-rendered SVG, and the labels of states."""

from collections import Counter

from django.utils.translation import gettext_lazy as _

from parley.core.selectors import clock_zones as party_clock_zones
from parley.talks.models import Commitment
from parley.ui.clock import read_instant

CHART_WIDTH = 620
BAR_HEIGHT = 22
LABEL_WIDTH = 230
# Colours of commitment states in the charts (the same in the legend).
STATUS_COLOURS = {
    Commitment.Status.MET: "#2e7d32",
    Commitment.Status.PENDING: "#90a4ae",
    Commitment.Status.LATE: "#f9a825",
    Commitment.Status.DISPUTED: "#6a1b9a",
    Commitment.Status.BREACHED: "#c62828",
}
MOMENT_NAMES = {
    "round": _("Round"),
    "agreed": _("Item agreed"),
    "signed": _("Text signed"),
    "met": _("Commitment met"),
    "late": _("Commitment late"),
    "breached": _("Commitment breached"),
}


def clock_zones(user) -> list[str]:
    return party_clock_zones(actor=user)


def when(moment, user) -> str:
    return read_instant(moment, clock_zones(user))


def status_bars(rows: dict[str, Counter]) -> dict:
    """One stacked bar per row (a party, an agreement or a month), in status order."""
    top = max([sum(counts.values()) for counts in rows.values()] + [1])
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / top
    bars = []
    for index, (label, counts) in enumerate(rows.items()):
        x: float = LABEL_WIDTH
        segments = []
        for status, colour in STATUS_COLOURS.items():
            count = counts.get(status, 0)
            if count:
                width = round(count * scale, 1)
                segments.append({"x": x, "width": width, "colour": colour, "count": count,
                                 "status": status,
                                 "name": Commitment.Status(status).label})
                x = round(x + width, 1)
        bars.append({"label": label or _("All parties"), "y": index * (BAR_HEIGHT + 8) + 4,
                     "text_y": index * (BAR_HEIGHT + 8) + 4 + BAR_HEIGHT * 0.7,
                     "segments": segments, "total": sum(counts.values()), "end": x + 6})
    return {"width": CHART_WIDTH, "height": len(bars) * (BAR_HEIGHT + 8) + 8, "bars": bars,
            "bar_height": BAR_HEIGHT, "label_width": LABEL_WIDTH,
            "legend": [(Commitment.Status(s).label, c) for s, c in STATUS_COLOURS.items()]}


def monthly_rows(per_month) -> dict[str, Counter]:
    rows = {}
    for party, months in per_month.items():
        for month, counts in months.items():
            rows[f"{party} · {month:%Y-%m}"] = counts
    return rows


def timeline(moments, user) -> list[dict]:
    rows = []
    for moment in moments:
        shown = when(moment.at, user) if hasattr(moment.at, "hour") else moment.at.isoformat()
        rows.append({"when": shown, "kind": moment.kind,
                     "name": MOMENT_NAMES.get(moment.kind, moment.kind), "label": moment.label})
    return rows


def share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
