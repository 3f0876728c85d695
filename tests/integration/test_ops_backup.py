"""The backup drill: load the demo, back up, wipe, restore, and the whole record is back.

Runs on SQLite (online backup API) and, with DATABASE_URL, on PostgreSQL (pg_dump/pg_restore).
"""

import io
import json

import pytest
from django.core.management import call_command

from parley import demo
from parley.access.models import Movement
from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.core import readcache
from parley.monitoring.models import Event
from parley.ops import backup
from parley.record.cli import export_command

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _record():
    return {
        "agreements": sorted(Agreement.objects.values_list("code", "status", "updated_at")),
        "movements": sorted(Movement.objects.values_list("pk", "status")),
        "events": sorted(Event.objects.values_list("pk", "status")),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "after")),
    }


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    (settings.VAR_DIR / "evidence" / "events").mkdir(parents=True)
    (settings.VAR_DIR / "evidence" / "events" / "crater.jpg").write_bytes(b"\xff\xd8photo")
    (settings.VAR_DIR / "keys").mkdir()
    (settings.VAR_DIR / "keys" / "record.ed25519").write_text("PRIVATE signing key")
    return settings.VAR_DIR


def test_the_drill_brings_back_every_agreement_movement_event_and_audit_entry(var_dir, tmp_path):
    demo.load(stdout=io.StringIO())
    before = _record()
    said = []

    made = backup.backup(tmp_path / "backup", say=said.append)
    call_command("flush", interactive=False, verbosity=0)
    (var_dir / "evidence" / "events" / "crater.jpg").unlink()
    assert Agreement.objects.count() == 0 and AuditEntry.objects.count() == 0
    epoch = readcache.generation().split(":")[0]
    restored = backup.restore(tmp_path / "backup", say=said.append)
    # No answer a running server kept can match the restored data's generation.
    assert readcache.generation().split(":")[0] != epoch

    assert _record() == before
    # Five pauses and ceasefires of the demo and its two prisoner exchanges.
    assert len(before["agreements"]) == 7 and len(before["audit"]) > 20
    assert before["movements"] and before["events"]
    assert restored.fingerprints == made.fingerprints
    assert made.fingerprints["audit.AuditEntry"]["rows"] == len(before["audit"])
    assert (var_dir / "evidence" / "events" / "crater.jpg").read_bytes() == b"\xff\xd8photo"
    # The restored record still verifies: a party's export (entries, tiles, the signed
    # checkpoint and its openings) passes the stand-alone verifier, whose run the export ends with.
    assert export_command(directory=tmp_path / "export", username="ua-head") == 0
    assert (tmp_path / "export" / "checkpoint").is_file()


def test_signing_keys_are_named_and_never_copied(var_dir, tmp_path):
    said = []

    backup.backup(tmp_path / "backup", say=said.append)

    copied = [path.name for path in (tmp_path / "backup").rglob("*")]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert "record.ed25519" not in copied
    assert "crater.jpg" in copied
    assert manifest["left_out"] == ["keys"]
    assert "Signing keys are not in this backup" in said[-1]
    assert str(var_dir / "keys") in manifest["signing_keys"]


def test_a_damaged_backup_is_refused_before_anything_is_replaced(var_dir, tmp_path):
    demo.load(stdout=io.StringIO())
    backup.backup(tmp_path / "backup", say=lambda _: None)
    (tmp_path / "backup" / "files" / "evidence" / "events" / "crater.jpg").write_bytes(b"edited")
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(backup.BackupError, match="crater.jpg does not match its checksum"):
        backup.restore(tmp_path / "backup", say=lambda _: None)

    assert Agreement.objects.count() == 0


def test_a_backup_goes_into_a_new_folder_only(var_dir, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")

    with pytest.raises(backup.BackupError, match="is not empty"):
        backup.backup(tmp_path / "used", say=lambda _: None)
