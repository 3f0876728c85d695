"""What the base template needs on every page, computed only when a template asks for it."""

from django.conf import settings

from parley.core.selectors import clock_zones


def clocks(request) -> dict:
    return {"clock_zones": lambda: clock_zones(actor=request.user)}


def mfa_enforcement(request) -> dict:
    """Whether the banner saying that MFA is not enforced (demo, development) is shown."""
    return {"mfa_enforcement_off": not settings.PARLEY_REQUIRE_MFA}
