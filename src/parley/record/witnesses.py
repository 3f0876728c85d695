"""The witnesses that run inside this server (the demo's Ukraine and Russia). Each has its own
key file and state file and runs exactly the checks `parley witness` runs at a party; only the
transport differs (a function call instead of HTTP)."""

import time

from parley.core.models import Party
from parley.engines.ledger.witness import (
    WitnessRefusal,
    add_checkpoint,
    load_state,
    save_state,
)
from parley.record import keys, selectors, services
from parley.record.models import Checkpoint


def run_local_witnesses() -> dict[str, str]:
    if not Checkpoint.objects.exists():
        return {}
    log = keys.log_verifier()
    answers = {}
    for local in keys.local_witnesses():
        party = Party.objects.filter(slug=local.party_slug).first()
        if party is None or not hasattr(party, "witness"):
            continue
        if party.witness.alarm:
            # An alarmed witness cosigns nothing more until people have looked into it.
            answers[local.party_slug] = "stopped by its alarm"
            continue
        answers[local.party_slug] = run_witness(local, party, log)
    return answers


def run_witness(local: keys.LocalWitness, party: Party, log) -> str:
    state = load_state(local.state_path)
    body = selectors.build_add_checkpoint_body(old_size=state.size)
    try:
        new_state, line = add_checkpoint(state=state, body=body, log=log, signer=local.signer,
                                         now=int(time.time()))
    except WitnessRefusal as refusal:
        if refusal.alarm:
            services.witness_alarm_raise(actor=None, party=party, message=str(refusal))
            return f"ALARM: {refusal}"
        return f"refused ({refusal.status}): {refusal}"
    save_state(local.state_path, new_state)
    services.cosignature_add(actor=None, party=party, note=new_state.checkpoint + line.encode())
    # Cosigning the same checkpoint again is how a witness says it is still there (the page
    # shows a witness as silent after RECORD_WITNESS_SILENCE_S).
    return f"cosigned {new_state.size}"

