"""Reads of the record. Tiles and checkpoints reveal only commitments and go to every party
member; openings (what an entry says) only to those who may see the entry's object."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from parley.audit.models import AuditEntry, LogEntry
from parley.audit.services import audit_content
from parley.core.errors import NotFound
from parley.engines.ledger import tiles
from parley.engines.ledger.entries import Opening
from parley.engines.ledger.merkle import leaf_hash, node_hash
from parley.engines.ledger.witness import encode_request
from parley.record import rules
from parley.record.models import Checkpoint, Witness
from parley.record.tree import current_tree
from parley.record.visibility import openable, visible_audit_entries


def _require_member(actor: Any) -> None:
    if not rules.can_view_record(actor):
        raise NotFound("record")


def latest_checkpoint(*, actor: Any) -> Checkpoint:
    _require_member(actor)
    checkpoint = Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        raise NotFound("checkpoint")
    return checkpoint


def checkpoint_note(*, actor: Any) -> bytes:
    return latest_checkpoint(actor=actor).served_note()


def tile_bytes(*, actor: Any, path: str) -> bytes:
    """A hash tile or entry bundle of the latest checkpoint's tree (or of an earlier one)."""
    checkpoint = latest_checkpoint(actor=actor)
    try:
        ref = tiles.parse_path(path)
    except tiles.TileError as exc:
        raise NotFound(path) from exc
    level = 0 if ref.is_entries else ref.level
    if ref.index * tiles.TILE_WIDTH + ref.width > checkpoint.size >> (level * tiles.TILE_HEIGHT):
        raise NotFound(path)
    if ref.is_entries:
        start = ref.index * tiles.TILE_WIDTH
        rows = LogEntry.objects.filter(seq__gte=start, seq__lt=start + ref.width).order_by("seq")
        return tiles.encode_bundle([bytes(e) for e in rows.values_list("entry", flat=True)])
    return tiles.hash_tile(current_tree(checkpoint.size), ref, checkpoint.size)


def add_checkpoint_body(*, actor: Any, old_size: int) -> bytes:
    """The C2SP tlog-witness add-checkpoint request for a witness that last cosigned
    `old_size`: the consistency proof to the latest checkpoint, and that checkpoint."""
    _require_member(actor)
    return build_add_checkpoint_body(old_size=old_size)


def build_add_checkpoint_body(*, old_size: int) -> bytes:
    """The same, for the witnesses inside this process (they hold no account)."""
    checkpoint = Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        raise NotFound("checkpoint")
    proof = []
    if 0 < old_size <= checkpoint.size:
        proof = current_tree(checkpoint.size).consistency_proof(old_size, checkpoint.size)
    return encode_request(old_size, proof, checkpoint.note.encode())


def openings_for(*, actor: Any) -> Iterator[Opening]:
    """The openings of every logged audit entry the actor may see."""
    entries = (visible_audit_entries(actor=actor).filter(log_entry__isnull=False)
               .select_related("log_entry").order_by("log_entry__seq"))
    for entry in openable(actor=actor, entries=entries.iterator(chunk_size=2000)):
        yield Opening(entry.log_entry.seq, bytes(entry.log_entry.salt), audit_content(entry))


@dataclass(frozen=True)
class WitnessView:
    witness: Witness
    cosigned_at: datetime | None
    silent: bool


def record_overview(*, actor: Any) -> dict:
    _require_member(actor)
    checkpoint = Checkpoint.objects.order_by("-size").first()
    cosigned = {c.witness_id: c for c in checkpoint.cosignatures.all()} if checkpoint else {}
    limit = timezone.now() - timedelta(seconds=settings.RECORD_WITNESS_SILENCE_S)
    witnesses = [
        WitnessView(w, cosigned[w.pk].cosigned_at if w.pk in cosigned else None,
                    w.last_answer_at is None or w.last_answer_at < limit)
        for w in Witness.objects.select_related("party")
    ]
    return {"checkpoint": checkpoint, "witnesses": witnesses,
            "note": checkpoint.served_note().decode() if checkpoint else "",
            "log_size": LogEntry.objects.count()}


@dataclass(frozen=True)
class ProofStep:
    side: str  # "left" or "right": where the proof's hash goes
    sibling: bytes
    result: bytes


@dataclass(frozen=True)
class Verification:
    entry: AuditEntry
    seq: int
    content: bytes
    salt: bytes
    commitment: str
    log_entry: bytes
    leaf: bytes
    steps: list[ProofStep]
    checkpoint: Checkpoint | None
    computed_root: bytes | None

    @property
    def commitment_matches(self) -> bool:
        return f'"commitment":"{self.commitment}"'.encode() in self.log_entry

    @property
    def included(self) -> bool:
        return self.checkpoint is not None and self.computed_root == bytes(self.checkpoint.root)


def entry_verification(*, actor: Any, entry_id: int) -> Verification:
    """An audit entry the actor may see, checked against the log step by step: its opening
    against the entry's commitment, and the inclusion proof up to the latest checkpoint's
    root (RFC 9162 §2.1.3.2, each hash shown)."""
    entry = next(openable(actor=actor, entries=visible_audit_entries(actor=actor).filter(
        pk=entry_id, log_entry__isnull=False).select_related("log_entry")), None)
    if entry is None:
        raise NotFound("audit entry")
    log_entry = entry.log_entry
    content = audit_content(entry)
    opening = Opening(log_entry.seq, bytes(log_entry.salt), content)
    leaf = leaf_hash(bytes(log_entry.entry))
    checkpoint = Checkpoint.objects.filter(size__gt=log_entry.seq).order_by("-size").first()
    steps: list[ProofStep] = []
    root = None
    if checkpoint is not None:
        proof = current_tree(checkpoint.size).inclusion_proof(log_entry.seq, checkpoint.size)
        fn, sn, node = log_entry.seq, checkpoint.size - 1, leaf
        for sibling in proof:
            if fn & 1 or fn == sn:
                node = node_hash(sibling, node)
                steps.append(ProofStep("left", sibling, node))
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
            else:
                node = node_hash(node, sibling)
                steps.append(ProofStep("right", sibling, node))
            fn >>= 1
            sn >>= 1
        root = node
    return Verification(entry, log_entry.seq, content, bytes(log_entry.salt), opening.commitment,
                        bytes(log_entry.entry), leaf, steps, checkpoint, root)
