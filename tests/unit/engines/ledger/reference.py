"""An independent reference for the tests: RFC 6962 §2.1 transcribed as its recursive
definitions (MTH, PATH, SUBPROOF) over lists, and the tlog-tiles definition of a tile
(`MTH(D[(n*256+i) * 256**l : (n*256+i+1) * 256**l])`), written without looking at the engine."""

import hashlib


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(entries: list[bytes]) -> bytes:
    n = len(entries)
    if n == 0:
        return _h(b"")
    if n == 1:
        return _h(b"\x00" + entries[0])
    k = _k(n)
    return _h(b"\x01" + mth(entries[:k]) + mth(entries[k:]))


def path(m: int, entries: list[bytes]) -> list[bytes]:
    n = len(entries)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return path(m, entries[:k]) + [mth(entries[k:])]
    return path(m - k, entries[k:]) + [mth(entries[:k])]


def subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = _k(n)
    if m <= k:
        return subproof(m, entries[:k], complete) + [mth(entries[k:])]
    return subproof(m - k, entries[k:], False) + [mth(entries[:k])]


def proof(m: int, entries: list[bytes]) -> list[bytes]:
    return [] if m in (0, len(entries)) else subproof(m, entries, True)


def tile(entries: list[bytes], level: int, index: int, width: int) -> bytes:
    span = 256 ** level
    return b"".join(
        mth(entries[(index * 256 + i) * span:(index * 256 + i + 1) * span]) for i in range(width)
    )
