from datetime import datetime

from ninja import Schema


class CosignatureOut(Schema):
    party: str
    cosigned_at: datetime


class CheckpointOut(Schema):
    size: int
    root: str  # base64, as in the checkpoint
    signed_at: datetime
    note: str  # the C2SP signed note with every cosignature, as /record/log/checkpoint serves it
    cosignatures: list[CosignatureOut]


class EntryProofOut(Schema):
    seq: int
    entry: str  # the log entry (canonical JSON)
    salt: str  # hex; with `content`, the opening of the entry's commitment
    content: dict
    leaf_hash: str  # hex
    checkpoint_size: int | None
    inclusion_proof: list[str]  # hex, RFC 9162 order
    root: str | None  # base64: the root the proof leads to
    verified: bool
