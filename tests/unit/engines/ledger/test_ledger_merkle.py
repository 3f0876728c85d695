"""The Merkle tree against the Certificate Transparency test vectors and against the recursive
reference transcribed from RFC 6962."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engines.ledger.merkle import (
    EMPTY_ROOT,
    Tree,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

from . import reference

pytestmark = pytest.mark.unit

# The leaves and roots of certificate-transparency's merkle tests (the ones every RFC 6962
# implementation checks itself against).
CT_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = {
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}
CT_CONSISTENCY = {
    (2, 8): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}


def ct_tree() -> Tree:
    tree = Tree()
    for leaf in CT_LEAVES:
        tree.append(leaf)
    return tree


def test_roots_are_the_published_ones_for_every_size():
    tree = ct_tree()
    assert [tree.root(size).hex() for size in range(9)] == CT_ROOTS
    assert [root_of([leaf_hash(x) for x in CT_LEAVES[:n]]).hex() for n in range(9)] == CT_ROOTS
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]


@pytest.mark.parametrize(("index", "size"), list(CT_INCLUSION))
def test_inclusion_proofs_are_the_published_ones(index, size):
    tree = ct_tree()
    proof = tree.inclusion_proof(index, size)
    assert [p.hex() for p in proof] == CT_INCLUSION[(index, size)]
    root = bytes.fromhex(CT_ROOTS[size])
    assert verify_inclusion(leaf_hash(CT_LEAVES[index]), index, size, proof, root) is True


@pytest.mark.parametrize(("old", "new"), list(CT_CONSISTENCY))
def test_consistency_proofs_are_the_published_ones(old, new):
    proof = ct_tree().consistency_proof(old, new)
    assert [p.hex() for p in proof] == CT_CONSISTENCY[(old, new)]
    old_root, new_root = bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new])
    assert verify_consistency(old, new, old_root, new_root, proof) is True
    assert verify_consistency(old, new, new_root, old_root, proof) is False


entry_lists = st.lists(st.binary(max_size=12), min_size=1, max_size=70)


@settings(max_examples=60, deadline=None)
@given(entries=entry_lists, data=st.data())
def test_proofs_are_the_references_and_verify(entries, data):
    tree = Tree()
    for entry in entries:
        tree.append(entry)
    size = data.draw(st.integers(1, len(entries)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(0, size), label="old")
    prefix = entries[:size]
    root = reference.mth(prefix)
    assert tree.root(size) == root
    assert root_of([leaf_hash(e) for e in prefix]) == root
    inclusion = tree.inclusion_proof(index, size)
    assert inclusion == reference.path(index, prefix)
    assert verify_inclusion(leaf_hash(entries[index]), index, size, inclusion, root) is True
    consistency = tree.consistency_proof(old, size)
    assert consistency == reference.proof(old, prefix)
    old_root = reference.mth(entries[:old])
    assert verify_consistency(old, size, old_root, root, consistency) is True


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(st.binary(max_size=8), min_size=2, max_size=40, unique=True),
       data=st.data())
def test_a_changed_proof_or_leaf_never_verifies(entries, data):
    tree = Tree()
    for entry in entries:
        tree.append(entry)
    size = len(entries)
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index)
    root = tree.root()
    other = (index + 1) % size
    assert verify_inclusion(leaf_hash(entries[other]), index, size, proof, root) is False
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        flipped = list(proof)
        flipped[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
        assert verify_inclusion(leaf_hash(entries[index]), index, size, flipped, root) is False
        assert verify_inclusion(leaf_hash(entries[index]), index, size, proof[:-1], root) is False
    old = data.draw(st.integers(1, size - 1))
    consistency = tree.consistency_proof(old)
    rewritten = list(entries)
    rewritten[data.draw(st.integers(0, old - 1))] += b"!"
    forged_old_root = reference.mth(rewritten[:old])
    assert verify_consistency(old, size, forged_old_root, root, consistency) is False


def test_proofs_for_sizes_outside_the_tree_are_refused():
    from parley.engines.ledger.merkle import ProofError

    tree = ct_tree()
    with pytest.raises(ProofError):
        tree.inclusion_proof(8, 8)
    with pytest.raises(ProofError):
        tree.consistency_proof(5, 3)
    with pytest.raises(ProofError):
        tree.root(9)
    assert verify_inclusion(leaf_hash(b""), 8, 8, [], bytes(32)) is False
    assert verify_consistency(4, 4, bytes(32), bytes(32), [bytes(32)]) is False
    assert verify_consistency(0, 8, EMPTY_ROOT, bytes(32), []) is True
