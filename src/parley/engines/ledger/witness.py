"""A witness (C2SP tlog-witness): cosigns a checkpoint only if it extends the last one it saw.

The messages are tlog-witness's add-checkpoint: the request body is `old <size>`, the
consistency proof's hashes in base64 one a line, a blank line and the signed checkpoint; the
answer is the cosignature lines. The status codes are the specification's. A refusal that shows
the log presenting another history than the one this witness saw (a fork, a rewrite, a
rollback) is an *alarm*; one that only shows the log asked from a stale size is not.

The state (the last checkpoint cosigned) is a small JSON file written atomically, so that a
crash never loses it: losing it would let the log rewrite history past this witness.
"""

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from parley.engines.ledger.merkle import EMPTY_ROOT, HASH_SIZE, verify_consistency
from parley.engines.ledger.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    parse_checkpoint_text,
    parse_note,
)

MAX_PROOF_LINES = 63


class WitnessRefusal(Exception):
    def __init__(self, status: int, message: str, *, alarm: bool = False, body: str = ""):
        super().__init__(message)
        self.status = status
        self.alarm = alarm
        self.body = body


@dataclass(frozen=True)
class AddCheckpoint:
    old_size: int
    proof: list[bytes]
    checkpoint: bytes


def encode_request(old_size: int, proof: list[bytes], checkpoint: bytes) -> bytes:
    lines = [f"old {old_size}\n", *(base64.b64encode(p).decode() + "\n" for p in proof), "\n"]
    return "".join(lines).encode() + checkpoint


def parse_request(body: bytes) -> AddCheckpoint:
    head, separator, checkpoint = body.partition(b"\n\n")
    lines = head.decode(errors="replace").split("\n")
    if not separator or not lines[0].startswith("old "):
        raise WitnessRefusal(400, "the request is 'old <size>', proof lines, a blank line, "
                                  "and the checkpoint")
    size_text = lines[0][4:]
    if not size_text.isdigit() or size_text != str(int(size_text)):
        raise WitnessRefusal(400, "the old size is a decimal without leading zeroes")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise WitnessRefusal(400, f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            node = base64.b64decode(line, validate=True)
        except binascii.Error as exc:
            raise WitnessRefusal(400, "a proof line is not base64") from exc
        if len(node) != HASH_SIZE:
            raise WitnessRefusal(400, "a proof line is a 32-byte hash")
        proof.append(node)
    return AddCheckpoint(int(size_text), proof, checkpoint)


@dataclass(frozen=True)
class WitnessState:
    """The latest checkpoint this witness cosigned (the whole signed note, so that it can later
    be shown to anyone as evidence)."""

    size: int = 0
    root: bytes = EMPTY_ROOT
    checkpoint: bytes = b""

    def to_json(self) -> str:
        return json.dumps({"size": self.size, "root": base64.b64encode(self.root).decode(),
                           "checkpoint": self.checkpoint.decode()}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "WitnessState":
        data = json.loads(text)
        return cls(int(data["size"]), base64.b64decode(data["root"]),
                   data["checkpoint"].encode())


def load_state(path: Path) -> WitnessState:
    return WitnessState.from_json(path.read_text()) if path.exists() else WitnessState()


def save_state(path: Path, state: WitnessState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w") as handle:
        handle.write(state.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def add_checkpoint(
    *, state: WitnessState, body: bytes, log: Verifier, signer: Signer, now: int
) -> tuple[WitnessState, str]:
    """Check an add-checkpoint request against the saved state; the new state and the
    cosignature line, or WitnessRefusal with the specification's status."""
    request = parse_request(body)
    try:
        note = parse_note(request.checkpoint)
        checkpoint = parse_checkpoint_text(note.text)
    except NoteError as exc:
        raise WitnessRefusal(400, f"the checkpoint is malformed: {exc}") from exc
    if checkpoint.origin != log.name:
        raise WitnessRefusal(404, f"unknown log origin {checkpoint.origin!r}")
    try:
        signed = note.signed_by(log)
    except NoteError as exc:
        raise WitnessRefusal(403, str(exc), alarm=True) from exc
    if signed is None:
        raise WitnessRefusal(403, "the checkpoint carries no signature of the log key")
    if request.old_size > checkpoint.size:
        raise WitnessRefusal(
            400, f"the log's tree shrank from {request.old_size} to {checkpoint.size} entries",
            alarm=request.old_size == state.size,
        )
    if request.old_size != state.size:
        raise WitnessRefusal(409, f"this witness last cosigned size {state.size}",
                             body=f"{state.size}\n")
    _check_extends(state, checkpoint, request.proof)
    line = signer.signature_line(note.text, timestamp=now)
    signed_note = note.text + b"\n" + b"".join(s.line.encode() for s in note.signatures)
    return WitnessState(checkpoint.size, checkpoint.root, signed_note), line


def _check_extends(state: WitnessState, checkpoint: Checkpoint, proof: list[bytes]) -> None:
    if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
        raise WitnessRefusal(422, "an empty tree has the empty root", alarm=True)
    if state.size == checkpoint.size and state.root != checkpoint.root:
        raise WitnessRefusal(
            422, f"fork: the log shows another tree of size {state.size} than the one this "
                 "witness cosigned", alarm=True)
    if not verify_consistency(state.size, checkpoint.size, state.root, checkpoint.root, proof):
        raise WitnessRefusal(
            422, f"rewrite: the tree of size {checkpoint.size} does not extend the tree of size "
                 f"{state.size} this witness cosigned (the consistency proof fails)", alarm=True)
