"""RFC 6962 / RFC 9162 §2.1 Merkle tree: hashing, tree heads, inclusion and consistency proofs."""

import hashlib

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    pass


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes: list[bytes]) -> bytes:
    """The tree head over leaf hashes, level by level: each level's odd last node is the perfect
    subtree of that height in the size's binary decomposition, folded in from the right."""
    if not hashes:
        return EMPTY_ROOT
    level = hashes
    right_edge: bytes | None = None
    while len(level) > 1:
        if len(level) % 2:
            last = level[-1]
            right_edge = last if right_edge is None else node_hash(last, right_edge)
            level = level[:-1]
        sha = hashlib.sha256
        level = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0] if right_edge is None else node_hash(level[0], right_edge)


class Tree:
    """An append-only tree keeping every complete node: `levels[h][i]` is the hash of the perfect
    subtree of 2**h leaves starting at leaf i * 2**h. Proofs for any earlier size come from it."""

    def __init__(self, leaf_hashes: list[bytes] | None = None):
        self.levels: list[list[bytes]] = [[]]
        for leaf in leaf_hashes or ():
            self.append_hash(leaf)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, entry: bytes) -> int:
        return self.append_hash(leaf_hash(entry))

    def append_hash(self, leaf: bytes) -> int:
        if len(leaf) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        index = self.size
        self.levels[0].append(leaf)
        height, position, node = 0, index, leaf
        while position % 2 == 1:
            node = node_hash(self.levels[height][position - 1], node)
            height += 1
            position //= 2
            if len(self.levels) == height:
                self.levels.append([])
            self.levels[height].append(node)
        return index

    def subtree_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range RFC 6962's recursion produces (its left parts are
        always perfect and aligned, so they are stored)."""
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            return self.levels[n.bit_length() - 1][start // n]
        k = _split(n)
        return node_hash(self.subtree_hash(start, start + k), self.subtree_hash(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        self._check_size(size)
        return self.subtree_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 6962 §2.1.1."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ProofError(f"leaf {index} is not in a tree of size {size}")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                proof.append(self.subtree_hash(start + k, end))
                end = start + k
            else:
                proof.append(self.subtree_hash(start, start + k))
                start += k
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:size]) of RFC 6962 §2.1.2 (empty when old_size is 0 or size)."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= old_size <= size:
            raise ProofError(f"no consistency proof from size {old_size} to size {size}")
        if old_size in (0, size):
            return []
        proof: list[bytes] = []
        start, end, complete = 0, size, True
        m = old_size
        while True:
            n = end - start
            if m == n:
                if not complete:
                    proof.append(self.subtree_hash(start, end))
                break
            k = _split(n)
            if m <= k:
                proof.append(self.subtree_hash(start + k, end))
                end = start + k
            else:
                proof.append(self.subtree_hash(start, start + k))
                start += k
                m -= k
                complete = False
        proof.reverse()
        return proof

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ProofError(f"the tree has {self.size} leaves, not {size}")


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    return root_from_inclusion(leaf, index, size, proof) == root


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes]) -> bytes | None:
    """The root the proof leads to, or None when the proof has the wrong shape."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return None
    fn, sn, node = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            node = node_hash(node, sibling)
        fn >>= 1
        sn >>= 1
    return node if sn == 0 else None


def verify_consistency(
    old_size: int, size: int, old_root: bytes, root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, with tlog-witness's rule that from size 0 the proof is empty."""
    if not 0 <= old_size <= size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    if old_size & (old_size - 1) == 0:
        proof = [old_root, *proof]
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = proof[0]
    for node in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first = node_hash(node, first)
            second = node_hash(node, second)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second = node_hash(second, node)
        fn >>= 1
        sn >>= 1
    return first == old_root and second == root and sn == 0
