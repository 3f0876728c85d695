"""Every write to agreements: one function per transition of the lifecycle.

draft -> proposed -> countered* -> agreed (consent of every bound belligerent party to the same
version) -> suspended <-> agreed, and terminated from any state after the draft. Each function
checks visibility (404) and its named predicate (403), validates, locks the agreement row, saves
in one transaction and appends exactly one audit entry with the state before and after.

Split by concern; callers import `parley.agreements.services` and find every public name here."""

from parley.agreements.services.common import (
    CODE_ATTEMPTS,
    CODE_PATTERN,
    CODE_PREFIX,
    TITLE_MAX_LENGTH,
)
from parley.agreements.services.contact_line import contact_line_import, parse_contact_line
from parley.agreements.services.drafts import (
    agreement_create_draft,
    agreement_update_draft,
)
from parley.agreements.services.feeds import (
    calendar_feed_authenticate,
    calendar_feed_create,
    calendar_feed_revoke,
)
from parley.agreements.services.negotiation import (
    agreement_consent,
    agreement_counter,
    agreement_propose,
)
from parley.agreements.services.status import (
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
)
from parley.agreements.services.validation import (
    CONDITION_LIMITS,
)

__all__ = [
    "CODE_ATTEMPTS",
    "CODE_PATTERN",
    "CODE_PREFIX",
    "CONDITION_LIMITS",
    "TITLE_MAX_LENGTH",
    "agreement_consent",
    "agreement_counter",
    "agreement_create_draft",
    "agreement_propose",
    "agreement_resume",
    "agreement_suspend",
    "agreement_terminate",
    "agreement_update_draft",
    "calendar_feed_authenticate",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "contact_line_import",
    "parse_contact_line",
]
