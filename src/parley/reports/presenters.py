"""The daily report as the page and the PDF print it: times on the chosen clock and in UTC."""

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parley.exchanges.models import Outcome
from parley.ui.clock import read_instant, read_window, zone_name

ENDED_NAMES = {
    "completed": pgettext_lazy("movement", "completed"),
    "impeded": pgettext_lazy("movement", "impeded"),
    "denied": pgettext_lazy("movement", "denied"),
    "cancelled": pgettext_lazy("movement", "cancelled"),
}
OUTCOME_ORDER = ("handed_over", "received", "refused", "not_presented", "deceased", "")


def daily(report, *, now, reader) -> dict:
    zones = [report.zone]
    agreements = []
    for row in report.agreements:
        agreements.append(
            {
                "agreement": row.agreement,
                "status_name": row.agreement.get_status_display(),
                "windows": [read_window(window, zones).text for window in row.windows],
                "notified": [
                    {"movement": m, "starts": read_instant(m.current_version.starts_at, zones)}
                    for m in row.notified
                ],
                "ended": [{"movement": m, "how": ENDED_NAMES[how]} for m, how in row.ended],
                "incidents_in_window": row.incidents_in_window,
                "incidents_outside_window": row.incidents_outside_window,
                "candidates": [
                    {"event": e, "when": read_instant(e.time_start, zones)} for e in row.candidates
                ],
                "confirmed": [
                    {"event": e, "when": read_instant(e.time_start, zones)} for e in row.confirmed
                ],
                "quiet": row.quiet,
            }
        )
    outcome_names = dict(Outcome.choices)
    exchanges = [
        {
            "agreement": item.agreement,
            "planned": item.planned,
            "outcomes": [
                (outcome_names[key], item.outcomes[key])
                for key in OUTCOME_ORDER
                if item.outcomes.get(key)
            ],
        }
        for item in report.exchanges
    ]
    return {
        "report": report,
        "day_label": formats.date_format(report.day, "l j E Y"),
        "zone_label": zone_name(report.zone),
        "span": _("%(start)s to %(end)s")
        % {"start": read_instant(report.start, zones), "end": read_instant(report.end, zones)},
        "hours": round((report.end - report.start).total_seconds() / 3600),
        "generated": read_instant(now, zones),
        "reader": reader,
        "agreements": agreements,
        "exchanges": exchanges,
        "totals": {
            "pauses": len(report.pauses_active),
            "notified": report.total("notified"),
            "ended": report.total("ended"),
            "incidents": report.total("incidents_in_window")
            + report.total("incidents_outside_window"),
            "candidates": report.total("candidates"),
            "confirmed": report.total("confirmed"),
            "exchanges": len(exchanges),
        },
    }
