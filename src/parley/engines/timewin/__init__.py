"""Time windows of agreements, exactly as docs/formats.md §1: half-open, in UTC, RRULEs in
local time."""

from .changes import ClockChange, clock_changes
from .display import format_local, format_offset, render
from .errors import WindowError
from .model import LocalWindow, Recurrence, Window
from .ops import (
    active_at,
    contains,
    expand,
    next_change,
    overlaps_any,
    union,
    union_bounds,
    windows_from_json,
)
from .parsing import (
    format_duration,
    parse_duration,
    parse_instant,
    parse_window_spec,
    spec_to_json,
)
from .rules import MAX_OCCURRENCES

__all__ = [
    "MAX_OCCURRENCES",
    "ClockChange",
    "LocalWindow",
    "Recurrence",
    "Window",
    "WindowError",
    "active_at",
    "clock_changes",
    "contains",
    "expand",
    "format_duration",
    "format_local",
    "format_offset",
    "next_change",
    "overlaps_any",
    "parse_duration",
    "parse_instant",
    "parse_window_spec",
    "render",
    "spec_to_json",
    "union",
    "union_bounds",
    "windows_from_json",
]
