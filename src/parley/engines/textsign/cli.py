"""`parley text keygen KEY`, `parley text sign --key KEY EXPORT`, `parley text verify EXPORT`.

All three run without Django and without the server: a delegation signs and checks on its own
machine. Exit codes: 0 success, 1 the export does not verify, 2 unreadable input.
"""

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from .canonical import EXPORT_FORMAT, document_digest
from .keys import BadKey, generate_private_key_pem, key_id, load_private_key, public_key_b64
from .signing import sign_digest, verify_export

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_BAD_INPUT = 2


def _read_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def keygen_command(*, key: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if key.exists():
        sys.stderr.write(f"{key}: exists; refusing to overwrite a key" + "\n")
        return EXIT_BAD_INPUT
    pem = generate_private_key_pem()
    descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public = public_key_b64(load_private_key(pem))
    Path(f"{key}.pub").write_text(public + "\n", encoding="ascii")
    out.write(f"private key: {key} (keep it off the server)\n")
    out.write(f"public key:  {public}\n")
    out.write(f"key ID:      {key_id(public)}\n")
    return EXIT_OK


def sign_command(*, key: Path, export: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        private = load_private_key(key.read_bytes())
        data = _read_json(export)
    except (OSError, BadKey, ValueError) as exc:
        sys.stderr.write(f"cannot read the key or the export: {exc}" + "\n")
        return EXIT_BAD_INPUT
    document = data.get("document") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or \
            not isinstance(document, dict):
        sys.stderr.write(f"{export}: not a {EXPORT_FORMAT} export" + "\n")
        return EXIT_BAD_INPUT
    digest = document_digest(document)
    if digest != data.get("sha256"):
        sys.stderr.write(f"{export}: the document's SHA-256 is {digest}, the export states "
                         f"{data.get('sha256')}; refusing to sign a changed text\n")
        return EXIT_INVALID
    public = public_key_b64(private)
    sys.stderr.write(f"SHA-256 {digest}" + "\n")
    sys.stderr.write(f"key ID  {key_id(public)}" + "\n")
    out.write(sign_digest(private, digest) + "\n")
    return EXIT_OK


def verify_command(*, export: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        data = _read_json(export)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"cannot read {export}: {exc}" + "\n")
        return EXIT_BAD_INPUT
    report = verify_export(data)
    if report.digest:
        out.write(f"SHA-256 {report.digest}\n")
    for check in report.signatures:
        verdict = "valid" if check.valid else f"INVALID: {check.reason}"
        out.write(f"{check.party} ({check.signer}, key {check.key_id}): {verdict}\n")
    for problem in report.problems:
        out.write(f"problem: {problem}\n")
    out.write("verified\n" if report.ok else "NOT verified\n")
    return EXIT_OK if report.ok else EXIT_INVALID
