"""What the base template needs on every page, computed only when a template asks for it."""

from parley.core.selectors import clock_zones


def clocks(request) -> dict:
    return {"clock_zones": lambda: clock_zones(actor=request.user)}
