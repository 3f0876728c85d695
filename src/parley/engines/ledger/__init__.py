"""The record as a transparency log: RFC 6962 Merkle tree, C2SP tiles, signed-note checkpoints,
cosignatures and witnesses, and salted commitments to the audit entries.

Pure Python on `cryptography` and `rfc8785`; no Django. `verify` is a separate, deliberately
small module that re-implements what a party needs to check an export, so that a party's
engineer can read it in an afternoon without reading the rest of this package.
"""
