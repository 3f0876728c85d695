"""Template helpers every page shares: the clocks of the top bar, windows as entered."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from parley.ui.clock import date_text, describe_spec, west_to_east, zone_name
from parley.ui.words import duration_words, window_words

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


@register.filter(name="window_words")
def window_words_filter(spec: dict) -> str:
    return window_words(spec)


@register.filter(name="duration_words")
def duration_words_filter(value) -> str:
    return duration_words(value)


@register.filter(name="day")
def day_filter(value, fmt: str = "j M Y") -> str:
    """`|date` with the month abbreviation as the reader's language writes it (`date_text`):
    `{{ moment|day:"j M Y H:i" }}`. Aware values are shown in the current time zone, as `|date`
    shows them."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_text(value, fmt)
