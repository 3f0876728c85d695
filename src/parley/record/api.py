"""The record over the JSON API: the latest checkpoint and an entry's inclusion proof. The log
itself (tiles, the witness exchange) is served in the C2SP formats by `views`."""

import base64
import json

from ninja import Router

from parley.core.auth import API_AUTH
from parley.core.types import ApiRequest
from parley.record import selectors
from parley.record.schemas import CheckpointOut, EntryProofOut

router = Router(tags=["record"], auth=API_AUTH)


@router.get("/record/checkpoint", response=CheckpointOut)
def checkpoint(request: ApiRequest):
    latest = selectors.latest_checkpoint(actor=request.auth)
    return {
        "size": latest.size,
        "root": base64.b64encode(bytes(latest.root)).decode(),
        "signed_at": latest.signed_at,
        "note": latest.served_note().decode(),
        "cosignatures": [{"party": c.witness.party.slug, "cosigned_at": c.cosigned_at}
                         for c in latest.cosignatures.select_related("witness__party")],
    }


@router.get("/record/entries/{entry_id}/proof", response=EntryProofOut)
def entry_proof(request: ApiRequest, entry_id: int):
    result = selectors.entry_verification(actor=request.auth, entry_id=entry_id)
    return {
        "seq": result.seq,
        "entry": result.log_entry.decode(),
        "salt": result.salt.hex(),
        "content": json.loads(result.content),
        "leaf_hash": result.leaf.hex(),
        "checkpoint_size": result.checkpoint.size if result.checkpoint else None,
        "inclusion_proof": [step.sibling.hex() for step in result.steps],
        "root": base64.b64encode(result.computed_root).decode() if result.computed_root else None,
        "verified": result.included and result.commitment_matches,
    }
