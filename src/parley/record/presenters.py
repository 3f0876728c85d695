"""Turns the record's selectors' results into what the templates show."""

import base64

from parley.ui.clock import read_instant


def _zones(actor) -> list[str]:
    return list(actor.party.time_zones) if getattr(actor, "party_id", None) else ["UTC"]


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode()


def record(overview: dict, *, actor) -> dict:
    zones = _zones(actor)
    checkpoint = overview["checkpoint"]
    witnesses = [{
        "party": view.witness.party,
        "cosigned": read_instant(view.cosigned_at, zones) if view.cosigned_at else None,
        "last_answer": (read_instant(view.witness.last_answer_at, zones)
                        if view.witness.last_answer_at else None),
        "silent": view.silent,
        "alarm": view.witness.alarm,
        "alarm_at": (read_instant(view.witness.alarm_at, zones)
                     if view.witness.alarm_at else None),
    } for view in overview["witnesses"]]
    return {
        "checkpoint": checkpoint,
        "signed_at": read_instant(checkpoint.signed_at, zones) if checkpoint else None,
        "root": _b64(checkpoint.root) if checkpoint else "",
        "note": overview["note"],
        "log_size": overview["log_size"],
        "witnesses": witnesses,
        "alarms": [w for w in witnesses if w["alarm"]],
        "silent": [w for w in witnesses if w["silent"]],
    }


def verification(result, *, actor) -> dict:
    zones = _zones(actor)
    return {
        "v": result,
        "when": read_instant(result.entry.at, zones),
        "content": result.content.decode(),
        "salt": result.salt.hex(),
        "log_entry": result.log_entry.decode(),
        "leaf": result.leaf.hex(),
        "steps": [{"number": i + 1, "side": s.side, "sibling": s.sibling.hex(),
                   "result": s.result.hex()} for i, s in enumerate(result.steps)],
        "computed_root": _b64(result.computed_root) if result.computed_root else "",
        "checkpoint_root": _b64(result.checkpoint.root) if result.checkpoint else "",
    }
