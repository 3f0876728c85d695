"""Identity fields encrypted at rest with Fernet; MultiFernet for key rotation.

The keys live outside the database: ``settings.IDENTITY_KEYS`` (from ``PARLEY_IDENTITY_KEYS``,
comma-separated) or, when that is empty, ``settings.IDENTITY_KEY_FILE``, one key a line. The
first key encrypts; every key decrypts. Rotation: put a new key first, run
``parley manage exchanges_rotate_keys``, then drop the old key.
"""

import functools
import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _configured_keys() -> tuple[str, ...]:
    if settings.IDENTITY_KEYS:
        return tuple(key.strip() for key in settings.IDENTITY_KEYS if key.strip())
    path = Path(settings.IDENTITY_KEY_FILE)
    if path.is_file():
        lines = path.read_text(encoding="ascii").splitlines()
        return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return ()


@functools.lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def cipher() -> MultiFernet:
    keys = _configured_keys()
    if not keys:
        raise ImproperlyConfigured(
            "No identity key: set PARLEY_IDENTITY_KEYS or create the key file "
            f"{settings.IDENTITY_KEY_FILE} (parley manage exchanges_create_key)."
        )
    return _cipher(keys)


def create_key_file(path: Path) -> bool:
    """Write a fresh key to `path` unless it exists; readable by its owner only."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(Fernet.generate_key().decode("ascii") + "\n", encoding="ascii")
    return True


def seal(values: dict) -> str:
    payload = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    return cipher().encrypt(payload).decode("ascii")


def unseal(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(cipher().decrypt(token.encode("ascii")))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An identity cannot be decrypted with the configured keys."
        ) from exc


def reseal(token: str) -> str:
    """The same values under the first key (MultiFernet.rotate)."""
    return cipher().rotate(token.encode("ascii")).decode("ascii") if token else token
