"""The incident formats `parley monitor classify --format` reads (docs/formats.md §3)."""

from .acled import ACLED
from .firms import FIRMS
from .parley_csv import PARLEY
from .tabular import Feed

FEEDS: dict[str, Feed] = {feed.name: feed for feed in (PARLEY, ACLED, FIRMS)}
