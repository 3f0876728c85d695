"""Template helpers every page shares: the clocks of the top bar, windows as entered."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from parley.ui.clock import describe_spec, west_to_east, zone_name

register = template.Library()


@register.inclusion_tag("ui/_clocks.html")
def clocks(zones):
    """The clocks of the top bar; `zones` comes from the `clock_zones` context processor."""
    now = timezone.now()
    return {
        "clocks": [
            {"zone": zone, "label": zone_name(zone),
             "time": f"{now.astimezone(ZoneInfo(zone)):%H:%M}"}
            for zone in west_to_east(zones() if callable(zones) else (zones or []), now)
        ]
    }


@register.filter
def describe_window(spec: dict) -> str:
    return describe_spec(spec)
