"""What the agreement services share: code prefixes and limits."""

import re

from parley.agreements.models import Agreement

# Keyed by the choices, which are str: a plain str finds its entry too.
CODE_PREFIX: dict[str, str] = {
    Agreement.Kind.PAUSE: "HP", Agreement.Kind.CEASEFIRE: "LC", Agreement.Kind.EXCHANGE: "EX",
}
CODE_ATTEMPTS = 5
_title_length = Agreement._meta.get_field("title").max_length
if not isinstance(_title_length, int):
    raise TypeError("Agreement.title must have a max_length")
TITLE_MAX_LENGTH: int = _title_length
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{1,29}")
# Stands in for invalid windows so that the areas are still checked and every problem of one
# submission is reported at once.
_PLACEHOLDER_WINDOW = {"start": "2000-01-01T00:00:00Z", "end": "2000-01-01T01:00:00Z"}
