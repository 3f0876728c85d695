"""Template helpers of the pages: clocks, windows in every party's clock, phase badges."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from parley.core.selectors import party_list
from parley.web import presenters
from parley.web.wording import AUDIT_ACTIONS, PHASE_NAMES, zone_name

register = template.Library()


def clock_zones(user) -> list[str]:
    """UTC, then the belligerent parties' main clocks and the reader's own, west to east."""
    zones = {party.main_zone for party in party_list(actor=user).filter(kind="belligerent")}
    if getattr(user, "is_authenticated", False):
        zones.add(user.zone)
    zones.discard("UTC")
    now = timezone.now()
    return ["UTC", *sorted(zones, key=lambda zone: (now.astimezone(ZoneInfo(zone)).utcoffset(),
                                                   zone_name(zone)))]


@register.inclusion_tag("web/_clocks.html")
def clocks(user):
    now = timezone.now()
    return {
        "clocks": [
            {"zone": zone, "label": zone_name(zone),
             "time": f"{now.astimezone(ZoneInfo(zone)):%H:%M}"}
            for zone in clock_zones(user)
        ]
    }


@register.filter
def phase_name(phase: str) -> str:
    return str(PHASE_NAMES.get(phase, phase))


@register.filter
def describe_window(spec: dict) -> str:
    return presenters.describe_spec(spec)


@register.filter
def action_name(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))
