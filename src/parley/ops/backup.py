"""`parley backup DIR` and `parley restore DIR`: the database and the files people uploaded.

PostgreSQL is dumped with its own `pg_dump` (custom format) and restored with `pg_restore`;
SQLite is copied with its online backup API, so neither needs the server stopped. The files are
the folders of `PARLEY_BACKUP_FOLDERS` under `VAR_DIR` (evidence, imports). `manifest.json`
holds a SHA-256 of every file and a fingerprint (row count and digest) of the record's tables,
which `restore` checks after it has put everything back.

Signing keys of the record are never copied: whoever holds a backup could otherwise sign in the
record's name. Both commands say where the keys are and that they are backed up on their own.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from parley.core import readcache

FORMAT = "parley-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
FILES = "files"
# The record whose return the drill checks, table by table.
FINGERPRINTED = (
    "core.Party", "core.User", "talks.Process", "agreements.Agreement",
    "agreements.AgreementVersion", "agreements.Consent", "access.Movement", "monitoring.Event",
    "monitoring.Incident", "audit.AuditEntry",
)
# What lies under VAR_DIR and is not data: a backup names it as left out and moves on.
NOT_DATA = {"static", "prometheus"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    directory: Path
    fingerprints: dict[str, dict]
    files: int
    left_out: list[str]
    key_reminder: str


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprints() -> dict[str, dict]:
    """Row count and a digest of every row of the record's tables, in primary-key order."""
    found = {}
    for label in FINGERPRINTED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*names).iterator():
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
            count += 1
        found[label] = {"rows": count, "sha256": digest.hexdigest()}
    return found


def key_reminder() -> str:
    keys = [str(path) for path in getattr(settings, "PARLEY_SIGNING_KEY_PATHS", [])]
    where = ", ".join(keys) if keys else f"{Path(settings.VAR_DIR) / 'keys'} (if the record signs)"
    return (
        f"Signing keys are not in this backup: {where}. Keep a copy of them apart from the "
        "backups, offline; restoring the record without its keys keeps it readable and "
        "verifiable, but nothing new can be signed."
    )


def _folders() -> list[str]:
    return list(getattr(settings, "PARLEY_BACKUP_FOLDERS", ["evidence", "imports"]))


def _database_names() -> set[str]:
    name = Path(str(connection.settings_dict["NAME"])).name
    return {name, f"{name}-wal", f"{name}-shm", f"{name}-journal"}


def _postgres_environment() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    environment = dict(os.environ)
    # The password travels in the environment, never on a command line that `ps` shows.
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    arguments = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    return environment, arguments


def _run(command: list[str], environment: dict) -> None:
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(directory: Path, *, say: Callable[[str], None] = print) -> Outcome:
    engine = _engine()
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; a backup goes into a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if engine == "sqlite":
        database = directory / SQLITE_FILE
        target = sqlite3.connect(database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        # The copy was taken in one step; the fingerprints are of the copy, not of a later state.
        snapshot = fingerprints()
    else:
        database = directory / POSTGRES_FILE
        environment, arguments = _postgres_environment()
        # pg_dump reads the snapshot of this transaction, so the fingerprints and the dump see
        # the same rows however busy the server is.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (exported,) = cursor.fetchone()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={exported}", "--file", str(database), *arguments], environment)
            snapshot = fingerprints()

    var_dir = Path(settings.VAR_DIR)
    copied = {}
    for folder in _folders():
        source = var_dir / folder
        if source.is_dir():
            shutil.copytree(source, directory / FILES / folder)
    for path in sorted((directory / FILES).rglob("*")) if (directory / FILES).exists() else []:
        if path.is_file():
            copied[str(path.relative_to(directory))] = _sha256(path)
    left_out = sorted(
        entry.name for entry in var_dir.iterdir()
        if entry.name not in set(_folders()) | NOT_DATA | _database_names()
    ) if var_dir.is_dir() else []
    reminder = key_reminder()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": {"file": database.name, "sha256": _sha256(database)},
        "files": copied,
        "fingerprints": snapshot,
        "left_out": left_out,
        "signing_keys": reminder,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    say(f"backup in {directory}: {engine} database, {len(copied)} files")
    for label, print_ in snapshot.items():
        say(f"  {label}: {print_['rows']} rows")
    if left_out:
        say(f"left out of {var_dir} (not Parley's data folders): {', '.join(left_out)}")
    say(reminder)
    return Outcome(directory, snapshot, len(copied), left_out, reminder)


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a Parley backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT}")
    return manifest


def _check_files(directory: Path, manifest: dict) -> None:
    database = directory / manifest["database"]["file"]
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"],
                **manifest["files"]}
    for name, digest in expected.items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup")
        if _sha256(path) != digest:
            raise BackupError(f"{path} does not match its checksum: the backup is damaged")
    if database.suffix not in (".sqlite3", ".pgdump"):
        raise BackupError(f"{database}: unknown database file")


def restore(directory: Path, *, say: Callable[[str], None] = print) -> Outcome:
    """Replace the database and the data folders with the backup's, then check the record."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database, this Parley uses {engine}"
        )
    _check_files(directory, manifest)
    database = directory / manifest["database"]["file"]
    connection.ensure_connection()
    if engine == "sqlite":
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        environment, arguments = _postgres_environment()
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *arguments, str(database)],
             environment)

    # The restored generation may repeat a number a running server has cached answers under.
    readcache.new_epoch()
    var_dir = Path(settings.VAR_DIR)
    for folder in _folders():
        target = var_dir / folder
        shutil.rmtree(target, ignore_errors=True)
        saved = directory / FILES / folder
        if saved.is_dir():
            shutil.copytree(saved, target)
    restored = fingerprints()
    differing = [label for label, print_ in manifest["fingerprints"].items()
                 if restored.get(label) != print_]
    if differing:
        raise BackupError(f"restored, but these tables differ from the backup: {differing}")
    say(f"restored {directory}: {engine} database, {len(manifest['files'])} files; "
        f"every fingerprinted table matches the backup")
    for label, print_ in restored.items():
        say(f"  {label}: {print_['rows']} rows")
    reminder = key_reminder()
    say(reminder)
    return Outcome(directory, restored, len(manifest["files"]), manifest["left_out"], reminder)
