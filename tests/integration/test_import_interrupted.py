"""An import interrupted by a server or worker that stopped does not stay `running` forever:
the worker's periodic job ends a run whose heartbeat is older than the timeout, rejected with
a reason that says nothing was saved, audited, its stored upload removed (issue 8, crash
safety)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.audit.models import AuditEntry
from parley.core import periodic
from parley.monitoring.models import ImportRun
from parley.monitoring.services.common import source_for
from parley.monitoring.services.imports import imports_end_interrupted
from tests.factories import cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _run(user, *, beat_ago: timedelta | None, status=ImportRun.Status.RUNNING, upload=""):
    run = ImportRun.objects.create(
        source=source_for("parley", None), started_by=user, file_name="big.csv", sha256="ab",
        status=status, phase=ImportRun.Phase.SAVING, upload=upload,
        heartbeat_at=None if beat_ago is None else timezone.now() - beat_ago,
    )
    return run


def test_a_running_import_with_an_old_heartbeat_is_ended_and_a_fresh_one_is_not(
    settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.PARLEY_IMPORT_HEARTBEAT_TIMEOUT = 600
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "left.csv").write_text("id,lat,lon,time,precision_m\n")
    user = cast().monitor_user
    stale = _run(user, beat_ago=timedelta(minutes=11), upload="left.csv")
    fresh = _run(user, beat_ago=timedelta(minutes=9))
    queued = _run(user, beat_ago=timedelta(hours=2), status=ImportRun.Status.QUEUED)
    # A run from before heartbeats, started long ago.
    legacy = _run(user, beat_ago=None)
    ImportRun.objects.filter(pk=legacy.pk).update(started_at=timezone.now() - timedelta(hours=1))

    assert "monitoring.imports_interrupted" in periodic.registered()
    assert sorted(imports_end_interrupted()) == sorted([stale.pk, legacy.pk])
    assert imports_end_interrupted() == []  # once only

    stale.refresh_from_db()
    assert (stale.status, stale.phase, stale.rejected_total, stale.upload) == (
        "rejected", "", 1, "")
    assert stale.rejected_rows == [{
        "line": None, "field": None,
        "reason": "the import was interrupted (the server stopped); nothing was saved — run "
                  "it again",
    }]
    assert stale.finished_at is not None
    assert not (tmp_path / "imports" / "left.csv").exists()
    assert AuditEntry.objects.filter(action="monitoring.import_rejected",
                                     object_id=str(stale.pk)).count() == 1
    for run, status in ((fresh, "running"), (queued, "queued"), (legacy, "rejected")):
        run.refresh_from_db()
        assert run.status == status


def test_an_import_beats_while_it_reads_so_the_job_leaves_it_alone(settings, tmp_path):
    from parley.monitoring.services import incidents_import

    settings.VAR_DIR = tmp_path
    good = tmp_path / "good.csv"
    good.write_text("id,lat,lon,time,precision_m\n"
                    + "".join(f"g{i},47.6,35.2,2026-03-01T09:00:00Z,0\n" for i in range(30)))
    before = timezone.now()
    run = incidents_import(actor=cast().monitor_user, kind="parley", path=good, batch_rows=10)
    assert run.status == "succeeded"
    assert run.heartbeat_at is not None and run.heartbeat_at >= before
    assert imports_end_interrupted() == []
