"""Signatures over a text's hash, and the offline check of a signed export.

A signature is Ed25519 over the 32 bytes of the SHA-256 digest (not over its hex spelling),
given as base64. A signed export is the JSON object
``{"format": "parley-signed-text/1", "document": {...}, "sha256": hex,
"signatures": [{"party", "signer", "kind": "signature", "key_id", "public_key", "signature",
"signed_at"}, ...]}``.
"""

import base64
import binascii
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .canonical import DOCUMENT_FORMAT, EXPORT_FORMAT, document_digest
from .keys import BadKey, key_id, public_key_from_b64


def sign_digest(private: Ed25519PrivateKey, digest_hex: str) -> str:
    return base64.b64encode(private.sign(bytes.fromhex(digest_hex))).decode()


def verify_signature(public_b64: str, digest_hex: str, signature_b64: str) -> bool:
    try:
        public = public_key_from_b64(public_b64)
        signature = base64.b64decode(signature_b64.strip(), validate=True)
        public.verify(signature, bytes.fromhex(digest_hex))
    except (BadKey, InvalidSignature, binascii.Error, ValueError):
        return False
    return True


@dataclass
class SignatureCheck:
    party: str
    signer: str
    key_id: str
    valid: bool
    reason: str = ""


@dataclass
class VerifyReport:
    digest: str = ""
    stated_digest: str = ""
    problems: list[str] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.signatures) and all(
            check.valid for check in self.signatures)


def verify_export(export: object) -> VerifyReport:
    """Every check a reader of the export needs: the format, the hash of the canonical document,
    and each signature against the public key it names."""
    report = VerifyReport()
    if not isinstance(export, dict) or export.get("format") != EXPORT_FORMAT:
        report.problems.append(f"not a {EXPORT_FORMAT} export")
        return report
    document = export.get("document")
    if not isinstance(document, dict) or document.get("format") != DOCUMENT_FORMAT:
        report.problems.append(f"the document is not {DOCUMENT_FORMAT}")
        return report
    report.digest = document_digest(document)
    report.stated_digest = str(export.get("sha256", ""))
    if report.digest != report.stated_digest:
        report.problems.append(
            f"the document's SHA-256 is {report.digest}, the export states "
            f"{report.stated_digest or 'none'}: the text was changed")
    signatures = export.get("signatures")
    if not isinstance(signatures, list) or not signatures:
        report.problems.append("the export carries no signature")
        return report
    for index, entry in enumerate(signatures):
        if not isinstance(entry, dict):
            report.problems.append(f"signature {index + 1} is not an object")
            continue
        public = str(entry.get("public_key", ""))
        check = SignatureCheck(party=str(entry.get("party", "?")),
                               signer=str(entry.get("signer", "?")),
                               key_id=str(entry.get("key_id", "")), valid=False)
        try:
            actual_id = key_id(public)
        except BadKey as exc:
            check.reason = str(exc)
        else:
            if check.key_id and check.key_id != actual_id:
                check.reason = f"the key ID {check.key_id} is not the public key's ({actual_id})"
            elif not verify_signature(public, report.digest, str(entry.get("signature", ""))):
                check.reason = "the signature does not match the text"
            else:
                check.key_id = actual_id
                check.valid = True
        report.signatures.append(check)
    return report
