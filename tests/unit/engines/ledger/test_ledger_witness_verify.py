"""The witness's add-checkpoint checks and the stand-alone verifier, on logs built in memory:
every rejection case of the issue (a changed byte, a deleted entry, two entries swapped, the
last entries dropped, an entry replaced by one of the same length, a rewrite that a witness's
saved checkpoint exposes)."""

import shutil
from pathlib import Path

import pytest

from parley.engines.ledger import verify as verifier
from parley.engines.ledger.entries import Opening, canonical, commitment, entry_bytes, new_salt
from parley.engines.ledger.export import write_export
from parley.engines.ledger.merkle import Tree
from parley.engines.ledger.note import SIG_COSIGNATURE_V1, Checkpoint, Signer
from parley.engines.ledger.tiles import decode_bundle, encode_bundle
from parley.engines.ledger.witness import (
    WitnessRefusal,
    WitnessState,
    add_checkpoint,
    encode_request,
)

pytestmark = pytest.mark.unit

ORIGIN = "parley.example.org/test-talks"


class Log:
    """A log as the server keeps it, in memory."""

    def __init__(self, size: int, *, tag: str = ""):
        self.signer = Signer.generate(ORIGIN)
        self.entries: list[bytes] = []
        self.openings: list[Opening] = []
        for _ in range(size):
            self.append(tag)

    def append(self, tag: str = "") -> None:
        seq = len(self.entries)
        content = canonical({"id": seq, "action": f"thing.do{tag}", "note": "é"})
        salt = new_salt()
        self.entries.append(entry_bytes(seq=seq, at=f"2026-12-02T03:00:{seq % 60:02d}.000000Z",
                                        commitment_hex=commitment(salt, content)))
        self.openings.append(Opening(seq, salt, content))

    @property
    def tree(self) -> Tree:
        tree = Tree()
        for entry in self.entries:
            tree.append(entry)
        return tree

    def checkpoint(self, size: int | None = None) -> bytes:
        size = len(self.entries) if size is None else size
        return self.signer.sign(Checkpoint(ORIGIN, size, self.tree.root(size)).text)

    def export(self, directory: Path, witnesses=None, cosign=()) -> Path:
        note = self.checkpoint()
        for witness in cosign:
            note += witness.signature_line(note.split(b"\n\n")[0] + b"\n", 1_765_000_000).encode()
        write_export(directory, checkpoint=note, size=len(self.entries), entries=self.entries,
                     tree=self.tree, log=self.signer.verifier,
                     witnesses={k: w.verifier for k, w in (witnesses or {}).items()},
                     openings=self.openings)
        return directory


def rejected(directory: Path, since: Path | None = None) -> str:
    with pytest.raises(verifier.Invalid) as caught:
        verifier.verify(directory, since)
    return str(caught.value)


def rewrite_bundle(directory: Path, change) -> None:
    path = directory / "tile/entries/000.p/" / "5"
    entries = decode_bundle(path.read_bytes())
    path.write_bytes(encode_bundle(change(entries)))


@pytest.fixture
def log():
    return Log(5)


def test_an_untouched_export_verifies_with_its_cosigners(tmp_path, log):
    ukraine = Signer.generate("parley.example.org/witness/ukraine", SIG_COSIGNATURE_V1)
    russia = Signer.generate("parley.example.org/witness/russia", SIG_COSIGNATURE_V1)
    directory = log.export(tmp_path / "export", {"ukraine": ukraine, "russia": russia}, [ukraine])
    report = verifier.verify(directory)
    assert report == [
        f"checkpoint: {ORIGIN}, 5 entries, signed by the log key",
        "not cosigned by russia",
        "cosigned by ukraine at 1765000000 (Unix time)",
        "tiles and root hash: all 5 entries check",
        "openings: all 5 check",
    ]
    assert verifier.main([str(directory)]) == 0


def test_a_large_export_checks_every_level_of_tiles(tmp_path):
    big = Log(256 * 3 + 7)
    directory = big.export(tmp_path / "big")
    assert "tiles and root hash: all 775 entries check" in verifier.verify(directory)
    assert (directory / "tile/1/000.p/3").is_file()
    (directory / "tile/1/000.p/3").write_bytes(bytes(96))
    assert rejected(directory) == "tile/1/000.p/3 does not hold the hashes of the entries"


@pytest.mark.parametrize(("case", "change"), [
    ("a changed byte", lambda e: [e[0], e[1].replace(b'"at":"2026', b'"at":"2027'), *e[2:]]),
    ("a deleted entry", lambda e: [e[0], *e[2:]]),
    ("two entries swapped", lambda e: [e[1], e[0], *e[2:]]),
    ("the last entries dropped", lambda e: e[:3]),
])
def test_a_tampered_bundle_is_rejected(tmp_path, log, case, change):
    directory = log.export(tmp_path / "export")
    rewrite_bundle(directory, change)
    assert verifier.main([str(directory)]) == 1, case


def test_an_entry_replaced_by_another_of_the_same_length_with_tiles_recomputed(tmp_path, log):
    directory = log.export(tmp_path / "export")
    other = Log(5)
    replaced = list(log.entries)
    replaced[2] = other.entries[2]
    assert len(replaced[2]) == len(log.entries[2])
    # The forger also rewrites the hash tile: only the signed root can catch it.
    log.entries = replaced
    write_export(directory, checkpoint=(directory / "checkpoint").read_bytes(), size=5,
                 entries=replaced, tree=log.tree, log=log.signer.verifier, witnesses={},
                 openings=[])
    assert rejected(directory) == "the root hash of the entries is not the checkpoint's"


def test_dropping_the_last_entries_with_a_checkpoint_signed_again_fails_since(tmp_path, log):
    old = tmp_path / "old-checkpoint"
    old.write_bytes(log.checkpoint())
    log.entries = log.entries[:3]
    log.openings = log.openings[:3]
    directory = log.export(tmp_path / "export")
    assert verifier.verify(directory)[0].endswith("3 entries, signed by the log key")
    assert rejected(directory, old) == f"the log shrank: {old} has 5 entries, this one 3"


def test_an_opening_that_does_not_match_is_rejected(tmp_path, log):
    directory = log.export(tmp_path / "export")
    path = directory / "openings" / "3"
    path.write_bytes(path.read_bytes().replace(b"thing.do", b"thing.undo"))
    assert rejected(directory) == "openings/3 does not open entry 3"
    shutil.copy(directory / "openings" / "2", directory / "openings" / "3")
    assert rejected(directory) == "openings/3 does not open entry 3"


def test_a_witness_cosigns_only_a_tree_that_extends_what_it_saw(tmp_path, log):
    witness = Signer.generate("parley.example.org/witness/ukraine", SIG_COSIGNATURE_V1)
    state = WitnessState()
    state, line = add_checkpoint(state=state, body=encode_request(0, [], log.checkpoint()),
                                 log=log.signer.verifier, signer=witness, now=1_765_000_000)
    assert state.size == 5
    assert line.startswith("\u2014 parley.example.org/witness/ukraine ")
    saved = tmp_path / "ukraine-saw"
    saved.write_bytes(state.checkpoint)

    for _ in range(3):
        log.append()
    proof = log.tree.consistency_proof(5)
    state, _ = add_checkpoint(state=state, body=encode_request(5, proof, log.checkpoint()),
                              log=log.signer.verifier, signer=witness, now=1_765_000_060)
    assert state.size == 8

    with pytest.raises(WitnessRefusal) as stale:
        add_checkpoint(state=state, body=encode_request(5, proof, log.checkpoint()),
                       log=log.signer.verifier, signer=witness, now=1_765_000_090)
    assert (stale.value.status, stale.value.alarm, stale.value.body) == (409, False, "8\n")

    # The host rewrites entry 1 and signs a new, valid checkpoint over the rewritten history.
    forged = Log(0)
    forged.signer = log.signer
    forged.entries = list(log.entries)
    forged.openings = list(log.openings)
    replacement = Log(2, tag="x")
    forged.entries[1] = replacement.entries[1]
    forged.openings[1] = replacement.openings[1]
    forged.append()
    body = encode_request(8, forged.tree.consistency_proof(8), forged.checkpoint())
    with pytest.raises(WitnessRefusal) as rewrite:
        add_checkpoint(state=state, body=body, log=log.signer.verifier, signer=witness,
                       now=1_765_000_120)
    assert (rewrite.value.status, rewrite.value.alarm) == (422, True)
    assert str(rewrite.value).startswith("rewrite:")

    # The rewritten export verifies on its own, but not against what the witness saw.
    directory = forged.export(tmp_path / "forged")
    assert verifier.main([str(directory)]) == 0
    assert rejected(directory, saved) == (
        f"the log was rewritten: its first 5 entries are not those of {saved}")
    assert verifier.main([str(directory), "--since", str(saved)]) == 1


def test_a_fork_at_the_same_size_and_a_rollback_raise_the_alarm(log):
    witness = Signer.generate("parley.example.org/witness/russia", SIG_COSIGNATURE_V1)
    state, _ = add_checkpoint(state=WitnessState(), body=encode_request(0, [], log.checkpoint()),
                              log=log.signer.verifier, signer=witness, now=1)
    fork = Log(5)
    fork.signer = log.signer
    with pytest.raises(WitnessRefusal) as forked:
        add_checkpoint(state=state, body=encode_request(5, [], fork.checkpoint()),
                       log=log.signer.verifier, signer=witness, now=2)
    assert (forked.value.status, forked.value.alarm) == (422, True)
    assert str(forked.value).startswith("fork:")
    with pytest.raises(WitnessRefusal) as rolled_back:
        add_checkpoint(state=state, body=encode_request(5, [], log.checkpoint(3)),
                       log=log.signer.verifier, signer=witness, now=3)
    assert (rolled_back.value.status, rolled_back.value.alarm) == (400, True)
    stranger = Signer.generate(ORIGIN)
    with pytest.raises(WitnessRefusal) as unsigned:
        add_checkpoint(state=state, body=encode_request(5, [], stranger.sign(b"x\n")),
                       log=log.signer.verifier, signer=witness, now=4)
    assert unsigned.value.status in (400, 403)
