"""C2SP signed-note, tlog-checkpoint and tlog-cosignature (Ed25519).

A note is text ending in a newline, a blank line, then lines `— <name> <base64(key ID || sig)>`.
The log signs checkpoints with signature type 0x01; a witness cosigns with type 0x04 over
`cosignature/v1\\ntime <t>\\n` followed by the checkpoint text.
"""

import base64
import binascii
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 16


class NoteError(ValueError):
    pass


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name is not empty and has no spaces or '+': {name!r}")


@dataclass(frozen=True)
class Verifier:
    name: str
    sig_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    @property
    def vkey(self) -> str:
        material = base64.b64encode(bytes([self.sig_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    def verify(self, text: bytes, signature: bytes) -> int | None:
        """For a log key: 0 when the signature is good. For a cosigner: its timestamp.
        None when it does not verify."""
        public = Ed25519PublicKey.from_public_bytes(self.public_key)
        try:
            if self.sig_type == SIG_ED25519:
                public.verify(signature, text)
                return 0
            if len(signature) != 8 + 64:
                return None
            timestamp = int.from_bytes(signature[:8], "big")
            public.verify(signature[8:], cosigned_message(text, timestamp))
            return timestamp
        except InvalidSignature:
            return None


def parse_vkey(text: str) -> Verifier:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key is <name>+<key ID>+<key>")
    name, hex_id, material_b64 = parts
    _check_name(name)
    try:
        material = base64.b64decode(material_b64, validate=True)
    except binascii.Error as exc:
        raise NoteError("the verifier key's key is not base64") from exc
    if len(material) != 33 or material[0] not in (SIG_ED25519, SIG_COSIGNATURE_V1):
        raise NoteError("only Ed25519 (type 0x01) and cosignature/v1 (0x04) keys are known")
    verifier = Verifier(name, material[0], material[1:])
    if verifier.key_id.hex() != hex_id.lower() or len(hex_id) != 8:
        raise NoteError("the verifier key's key ID does not match its name and key")
    return verifier


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + text


@dataclass(frozen=True)
class Signer:
    name: str
    sig_type: int
    private_key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, name: str, sig_type: int = SIG_ED25519) -> "Signer":
        _check_name(name)
        return cls(name, sig_type, Ed25519PrivateKey.generate())

    @property
    def verifier(self) -> Verifier:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return Verifier(self.name, self.sig_type, raw)

    def signature_line(self, text: bytes, timestamp: int | None = None) -> str:
        if self.sig_type == SIG_ED25519:
            signature = self.private_key.sign(text)
        else:
            timestamp = int(time.time()) if timestamp is None else timestamp
            signature = timestamp.to_bytes(8, "big") + self.private_key.sign(
                cosigned_message(text, timestamp)
            )
        encoded = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{DASH} {self.name} {encoded}\n"

    def sign(self, text: bytes) -> bytes:
        return text + b"\n" + self.signature_line(text).encode()

    def to_file_text(self) -> str:
        """`PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>` (golang.org/x/mod/sumdb/note's
        signer key format), one line; keep the file private."""
        seed = self.private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        material = base64.b64encode(bytes([self.sig_type]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{material}\n"

    @classmethod
    def from_file_text(cls, text: str) -> "Signer":
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signer key file (PRIVATE+KEY+<name>+<key ID>+<key>)")
        try:
            material = base64.b64decode(parts[4], validate=True)
        except binascii.Error as exc:
            raise NoteError("the key file's key is not base64") from exc
        if len(material) != 33 or material[0] not in (SIG_ED25519, SIG_COSIGNATURE_V1):
            raise NoteError("the key file holds no Ed25519 key")
        _check_name(parts[2])
        signer = cls(parts[2], material[0], Ed25519PrivateKey.from_private_bytes(material[1:]))
        if signer.verifier.key_id.hex() != parts[3]:
            raise NoteError("the key file's key ID does not match its name and key")
        return signer


def load_or_create_signer(path: Path, name: str, sig_type: int) -> Signer:
    """The key in `path`; a new one written there (mode 0600) when the file does not exist."""
    if path.exists():
        return Signer.from_file_text(path.read_text())
    signer = Signer.generate(name, sig_type)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(signer.to_file_text())
    return signer


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


@dataclass(frozen=True)
class Note:
    text: bytes
    signatures: tuple[SignatureLine, ...]

    def encode(self) -> bytes:
        return self.text + b"\n" + "".join(s.line for s in self.signatures).encode()

    def signed_by(self, verifier: Verifier) -> int | None:
        """The verification result of this key's line (see `Verifier.verify`); None when it has
        no line. NoteError when it has a line that does not verify: the note is forged."""
        for sig in self.signatures:
            if sig.name == verifier.name and sig.key_id == verifier.key_id:
                result = verifier.verify(self.text, sig.signature)
                if result is None:
                    raise NoteError(f"the signature of {verifier.name} does not verify")
                return result
        return None


def parse_signature_lines(text: str) -> list[SignatureLine]:
    lines = []
    for line in text.splitlines():
        prefix = DASH + " "
        if not line.startswith(prefix):
            raise NoteError("a signature line starts with an em dash and a space")
        parts = line[len(prefix):].split(" ")
        if len(parts) != 2:
            raise NoteError("a signature line is '— <name> <signature>'")
        _check_name(parts[0])
        try:
            raw = base64.b64decode(parts[1], validate=True)
        except binascii.Error as exc:
            raise NoteError("a signature is not base64") from exc
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        lines.append(SignatureLine(parts[0], raw[:4], raw[4:]))
    return lines


def parse_note(data: bytes) -> Note:
    try:
        decoded = data.decode()
    except UnicodeDecodeError as exc:
        raise NoteError("a note is UTF-8") from exc
    if any(ord(c) < 0x20 and c != "\n" for c in decoded):
        raise NoteError("a note has no control characters but newlines")
    split = decoded.rfind("\n\n")
    if split < 0 or not decoded.endswith("\n"):
        raise NoteError("a note is text, a blank line and signature lines")
    text = decoded[:split + 1]
    signatures = parse_signature_lines(decoded[split + 2:])
    if not signatures:
        raise NoteError("a note has at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return Note(text.encode(), tuple(signatures))


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> bytes:
        root = base64.b64encode(self.root).decode()
        lines = [self.origin, str(self.size), root, *self.extensions]
        return ("\n".join(lines) + "\n").encode()


def parse_checkpoint_text(text: bytes) -> Checkpoint:
    lines = text.decode().split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint is origin, size and root hash, one a line")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("a checkpoint's origin line is not empty")
    if not size_text.isdigit() or size_text != str(int(size_text)):
        raise NoteError("a checkpoint's size is a decimal without leading zeroes")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise NoteError("a checkpoint's root hash is base64") from exc
    if len(root) != 32:
        raise NoteError("a checkpoint's root hash is 32 bytes")
    return Checkpoint(origin, int(size_text), root, tuple(lines[3:-1]))


def open_checkpoint(data: bytes, log: Verifier) -> tuple[Checkpoint, Note]:
    """The checkpoint in a signed note, after checking the log's signature on it."""
    note = parse_note(data)
    if note.signed_by(log) is None:
        raise NoteError(f"the checkpoint is not signed by the log key {log.name}")
    checkpoint = parse_checkpoint_text(note.text)
    if checkpoint.origin != log.name:
        raise NoteError(f"the checkpoint's origin is {checkpoint.origin!r}, not {log.name!r}")
    return checkpoint, note
