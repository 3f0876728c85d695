"""The worker's periodic job (not a queued task): every audit entry into the log, a new
checkpoint when the log grew, and the in-process witnesses (the demo's) asked to cosign it."""

from parley.audit.services import log_backfill
from parley.record import keys, services, witnesses


def publish_and_witness() -> str:
    # Leaves need no key: entries written before the log existed are appended in any case.
    backfilled = log_backfill()
    try:
        keys.log_signer()
    except keys.RecordNotConfigured:
        return "no log key configured (PARLEY_RECORD_LOG_KEY)" + (
            f"; backfilled {backfilled}" if backfilled else "")
    services.witnesses_sync()
    checkpoint = services.checkpoint_publish()
    answers = witnesses.run_local_witnesses()
    size = checkpoint.size if checkpoint else "unchanged"
    return f"backfilled {backfilled}; checkpoint {size}; witnesses: {answers}"
