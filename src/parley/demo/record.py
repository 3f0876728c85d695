"""The demo's record: keys made under the var directory where missing, Ukraine's and Russia's
witnesses run in this process, and the scenario's whole audit trail logged, checkpointed and
cosigned before the server starts."""

from parley.record import jobs, keys

DEMO_WITNESSES = ["ukraine", "russia"]


def load_record_demo(*, say) -> None:
    keys.ensure_demo_keys(DEMO_WITNESSES)
    say(f"Record: {jobs.publish_and_witness()}")
