"""Every write to persons, lists, reconciliations and exchanges, re-exported by concern."""

from parley.exchanges.services.exchanges import (
    FORMULAS,
    SERIOUS,
    day_totals,
    exchange_counter,
    exchange_day_sign,
    exchange_handover_record,
    exchange_interview,
    exchange_propose,
    select_by_formula,
)
from parley.exchanges.services.lists import (
    IDENTITY_FIELDS,
    UploadReport,
    identities_reveal,
    identities_rotate,
    person_correct,
    person_list_upload,
)
from parley.exchanges.services.reconcile import (
    CERTAIN,
    pair_decide,
    reconciliation_run,
)

__all__ = [
    "CERTAIN", "FORMULAS", "IDENTITY_FIELDS", "SERIOUS", "UploadReport", "day_totals",
    "exchange_counter", "exchange_day_sign", "exchange_handover_record",
    "exchange_interview", "exchange_propose", "identities_reveal", "identities_rotate",
    "pair_decide", "person_correct", "person_list_upload",
    "reconciliation_run", "select_by_formula",
]
