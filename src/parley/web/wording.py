"""Shared wording of the pages: names of clocks and of agreement phases, in one place."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ZONE_NAMES = {
    "UTC": "UTC",
    "Europe/Kyiv": _("Kyiv"),
    "Europe/Moscow": _("Moscow"),
    "Europe/Zurich": _("Zurich"),
    "Europe/Simferopol": _("Simferopol"),
    "Europe/Geneva": _("Geneva"),
}

PHASE_NAMES = {
    "draft": pgettext_lazy("phase", "Draft"),
    "proposed": pgettext_lazy("phase", "Proposed"),
    "countered": pgettext_lazy("phase", "Countered"),
    "agreed": pgettext_lazy("phase", "Agreed"),
    "in_force": pgettext_lazy("phase", "In force"),
    "active": pgettext_lazy("phase", "Active now"),
    "completed": pgettext_lazy("phase", "Completed"),
    "suspended": pgettext_lazy("phase", "Suspended"),
    "terminated": pgettext_lazy("phase", "Terminated"),
}

AUDIT_ACTIONS = {
    "agreement.create_draft": pgettext_lazy("audit", "drafted"),
    "agreement.update_draft": pgettext_lazy("audit", "edited the draft"),
    "agreement.propose": pgettext_lazy("audit", "proposed"),
    "agreement.counter": pgettext_lazy("audit", "counter-proposed"),
    "agreement.consent": pgettext_lazy("audit", "consented"),
    "agreement.suspend": pgettext_lazy("audit", "suspended"),
    "agreement.resume": pgettext_lazy("audit", "resumed"),
    "agreement.terminate": pgettext_lazy("audit", "terminated"),
}

# A zone list offered in the windows form: the parties' clocks come first, then these.
COMMON_ZONES = ["UTC", "Europe/Kyiv", "Europe/Moscow", "Europe/Zurich", "Europe/Simferopol"]


def zone_name(zone: str) -> str:
    """`Europe/Kyiv` → "Kyiv" in the reader's language; unknown zones by their city part."""
    return str(ZONE_NAMES.get(zone) or zone.rsplit("/", 1)[-1].replace("_", " "))
