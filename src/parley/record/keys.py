"""Where the record's keys live: files named in settings, never the database.

- the log key: `RECORD_LOG_KEY` (a signer key file, `PRIVATE+KEY+...`, mode 0600);
- each party's witness public key: `RECORD_WITNESS_KEYS/<party slug>.vkey`;
- witnesses run inside this server (the demo's): `RECORD_LOCAL_WITNESSES/<party slug>/` holding
  that witness's own `witness.key` and `state.json`.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from parley.engines.ledger.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    NoteError,
    Signer,
    Verifier,
    load_or_create_signer,
    parse_vkey,
)


class RecordNotConfigured(Exception):
    pass


def origin() -> str:
    return settings.RECORD_ORIGIN


def log_signer() -> Signer:
    path = Path(settings.RECORD_LOG_KEY)
    if not path.exists():
        raise RecordNotConfigured(f"no log key at {path} (PARLEY_RECORD_LOG_KEY)")
    signer = Signer.from_file_text(path.read_text())
    if signer.name != origin() or signer.sig_type != SIG_ED25519:
        raise RecordNotConfigured(
            f"the log key in {path} is named {signer.name!r}; the origin is {origin()!r}")
    return signer


def log_verifier() -> Verifier:
    return log_signer().verifier


def witness_verifiers() -> dict[str, Verifier]:
    directory = Path(settings.RECORD_WITNESS_KEYS)
    found = {}
    for path in sorted(directory.glob("*.vkey")) if directory.is_dir() else []:
        try:
            verifier = parse_vkey(path.read_text())
        except NoteError:
            continue
        if verifier.sig_type == SIG_COSIGNATURE_V1:
            found[path.stem] = verifier
    return found


@dataclass(frozen=True)
class LocalWitness:
    party_slug: str
    signer: Signer
    state_path: Path


def local_witnesses() -> list[LocalWitness]:
    directory = Path(settings.RECORD_LOCAL_WITNESSES)
    found = []
    for key in sorted(directory.glob("*/witness.key")) if directory.is_dir() else []:
        found.append(LocalWitness(key.parent.name, Signer.from_file_text(key.read_text()),
                                  key.parent / "state.json"))
    return found


def witness_key_name(party_slug: str) -> str:
    return f"{origin()}/witness/{party_slug}"


def ensure_demo_keys(witness_parties: list[str]) -> None:
    """The demo's keys, made where missing: the log key, and for each party a witness key run
    in this process, whose public key is registered as that party's witness."""
    load_or_create_signer(Path(settings.RECORD_LOG_KEY), origin(), SIG_ED25519)
    for slug in witness_parties:
        key_path = Path(settings.RECORD_LOCAL_WITNESSES) / slug / "witness.key"
        signer = load_or_create_signer(key_path, witness_key_name(slug), SIG_COSIGNATURE_V1)
        vkey_path = Path(settings.RECORD_WITNESS_KEYS) / f"{slug}.vkey"
        if not vkey_path.exists():
            vkey_path.parent.mkdir(parents=True, exist_ok=True)
            vkey_path.write_text(signer.verifier.vkey + "\n")
