"""What the access services share: limits of check-ins and sites."""

from datetime import timedelta

from parley.core.validation import RANGES

CHECK_IN_CLOCK_SLACK = timedelta(minutes=5)
MAX_SITE_RADIUS_M = int(RANGES["radius_m"].high)
