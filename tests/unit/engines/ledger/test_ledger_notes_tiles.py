"""Signed notes, checkpoints, cosignatures and tile paths, against the C2SP texts' examples and
the tlog-tiles definition of a tile."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engines.ledger import tiles
from parley.engines.ledger.merkle import Tree
from parley.engines.ledger.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    Checkpoint,
    NoteError,
    Signer,
    open_checkpoint,
    parse_note,
    parse_vkey,
)

from . import reference

pytestmark = pytest.mark.unit

# c2sp.org/signed-note, "Verifier keys", Example.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = ("This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1"
             "YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n").encode()


def test_the_signed_note_specifications_example_verifies():
    verifier = parse_vkey(SPEC_VKEY)
    assert verifier.name == "example.com/foo"
    assert verifier.key_id.hex() == "530d903a"
    assert verifier.vkey == SPEC_VKEY
    note = parse_note(SPEC_NOTE)
    assert note.text == b"This is an example message.\n"
    assert note.signed_by(verifier) == 0
    forged = SPEC_NOTE.replace(b"example message", b"example massage")
    with pytest.raises(NoteError):
        parse_note(forged).signed_by(verifier)


def test_a_checkpoint_signed_and_cosigned_round_trips():
    log = Signer.generate("parley.example.org/geneva-talks")
    witness = Signer.generate("parley.example.org/witness/ukraine", SIG_COSIGNATURE_V1)
    checkpoint = Checkpoint(log.name, 7, bytes(range(32)))
    assert checkpoint.text == (b"parley.example.org/geneva-talks\n7\n"
                               + base64.b64encode(bytes(range(32))) + b"\n")
    cosignature = witness.signature_line(checkpoint.text, 1_700_000_000)
    signed = log.sign(checkpoint.text) + cosignature.encode()
    opened, note = open_checkpoint(signed, log.verifier)
    assert opened == checkpoint
    assert note.signed_by(witness.verifier) == 1_700_000_000
    raw = base64.b64decode(signed.decode().splitlines()[-1].split(" ")[2])
    assert raw[:4] == witness.verifier.key_id
    assert int.from_bytes(raw[4:12], "big") == 1_700_000_000
    assert parse_vkey(witness.verifier.vkey) == witness.verifier
    assert parse_vkey(log.verifier.vkey).sig_type == SIG_ED25519
    other_log = Signer.generate("parley.example.org/geneva-talks")
    with pytest.raises(NoteError):
        open_checkpoint(other_log.sign(checkpoint.text), log.verifier)


def test_key_files_round_trip():
    signer = Signer.generate("parley.example.org/witness/russia", SIG_COSIGNATURE_V1)
    again = Signer.from_file_text(signer.to_file_text())
    assert again.verifier == signer.verifier
    with pytest.raises(NoteError):
        Signer.from_file_text("not a key")


@pytest.mark.parametrize(("index", "path"), [
    (0, "000"), (7, "007"), (999, "999"), (1000, "x001/000"), (1234067, "x001/x234/067"),
])
def test_tile_index_paths_are_the_specifications(index, path):
    assert tiles.index_path(index) == path
    assert tiles.parse_path(f"tile/2/{path}") == tiles.TileRef(2, index, 256)
    assert tiles.parse_path(f"tile/entries/{path}.p/17") == tiles.TileRef(-1, index, 17)


@pytest.mark.parametrize("bad", [
    "tile/0/1234", "tile/0/x1/000", "tile/0/001/002", "tile/0/x000/001", "tile/0/000.p/0",
    "tile/0/000.p/256", "tile/64/000", "tile/00/000", "tile/entries", "tiles/0/000",
])
def test_malformed_tile_paths_are_refused(bad):
    with pytest.raises(tiles.TileError):
        tiles.parse_path(bad)


def test_a_tree_of_70000_has_the_tiles_the_specification_lists():
    refs = [ref for ref in tiles.tiles_for(70_000) if not ref.is_entries]
    level0 = [r for r in refs if r.level == 0]
    assert len([r for r in level0 if r.width == 256]) == 273
    assert [r.width for r in level0 if r.width != 256] == [112]
    assert [(r.index, r.width) for r in refs if r.level == 1] == [(0, 256), (1, 17)]
    assert [(r.index, r.width) for r in refs if r.level == 2] == [(0, 1)]
    assert [(r.level, r.width) for r in tiles.tiles_for(256) if not r.is_entries] == [
        (0, 256), (1, 1)]


@settings(max_examples=15, deadline=None)
@given(size=st.integers(1, 600))
def test_tiles_are_the_references_and_bundles_round_trip(size):
    entries = [i.to_bytes(3, "big") * (i % 5) for i in range(size)]
    tree = Tree()
    for entry in entries:
        tree.append(entry)
    for ref in tiles.tiles_for(size):
        if ref.is_entries:
            start = ref.index * 256
            bundle = tiles.encode_bundle(entries[start:start + ref.width])
            assert tiles.decode_bundle(bundle) == entries[start:start + ref.width]
        else:
            expected = reference.tile(entries, ref.level, ref.index, ref.width)
            assert tiles.hash_tile(tree, ref, size) == expected


def test_a_bundle_prefixes_each_entry_with_its_big_endian_length():
    assert tiles.encode_bundle([b"ab", b"", b"c"]) == b"\x00\x02ab\x00\x00\x00\x01c"
    with pytest.raises(tiles.TileError):
        tiles.decode_bundle(b"\x00\x05ab")


@settings(max_examples=50, deadline=None)
@given(seq=st.integers(0, 2**53 - 1), digest=st.binary(min_size=32, max_size=32),
       micros=st.integers(0, 999_999))
def test_entries_are_the_rfc8785_canonical_json(seq, digest, micros):
    import rfc8785

    from parley.engines.ledger.entries import entry_bytes

    at = f"2026-12-02T03:04:05.{micros:06d}Z"
    assert entry_bytes(seq=seq, at=at, commitment_hex=digest.hex()) == rfc8785.dumps(
        {"seq": seq, "at": at, "commitment": digest.hex()})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_canonical_json_is_rfc8785s(value):
    import rfc8785

    from parley.engines.ledger.entries import canonical

    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        return
    assert canonical(value) == expected


def test_canonical_json_of_an_audit_entry_with_every_kind_of_string():
    import rfc8785

    from parley.engines.ledger.entries import canonical

    value = {"note": "Водоканал\u2028\x7f\x00\x1f\"\\/\t", "after": {"z": 1, "a": [True, None]},
             "id": 2**53 - 1, "before": None, "é": "non-ASCII key goes the general way"}
    assert canonical(value) == rfc8785.dumps(value)
