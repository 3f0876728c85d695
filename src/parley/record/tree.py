"""The Merkle tree of the stored leaves, kept in memory per process and extended as the log
grows; rebuilt when the stored leaves no longer match it (a test database rolled back)."""

import threading

from parley.audit.models import LogEntry
from parley.engines.ledger.merkle import Tree

_lock = threading.Lock()
_tree = Tree()


def current_tree(size: int) -> Tree:
    """A tree holding at least the first `size` stored leaves."""
    global _tree
    with _lock:
        tree = _tree
        if tree.size:
            last = tree.size - 1
            stored = LogEntry.objects.filter(seq=last).values_list("leaf_hash", flat=True).first()
            if stored is None or bytes(stored) != tree.levels[0][last]:
                tree = Tree()
        if tree.size < size:
            leaves = LogEntry.objects.filter(seq__gte=tree.size, seq__lt=size).order_by("seq")
            for seq, leaf in leaves.values_list("seq", "leaf_hash").iterator(chunk_size=5000):
                if seq != tree.size:
                    raise RuntimeError(f"log entry {tree.size} is missing")
                tree.append_hash(bytes(leaf))
        _tree = tree
        return tree


def forget() -> None:
    """Drop the cached tree; the next use rebuilds it from the stored leaves (as a restarted
    server would)."""
    global _tree
    with _lock:
        _tree = Tree()
