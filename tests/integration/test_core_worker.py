"""The worker's rounds: periodic jobs from the registry, then queued tasks; and the worker
thread of `parley serve` and `parley demo`, which stops when told."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from parley.access.models import Notification
from parley.cli import build_parser
from parley.core import periodic, worker
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_failing_periodic_job_is_logged_and_the_others_still_run(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("no route to the feed")

    monkeypatch.setitem(periodic._jobs, "test.broken", broken)
    monkeypatch.setitem(periodic._jobs, "test.counts", lambda: ran.append(1) or len(ran))
    done = worker.run_round()
    assert done == worker.Round(
        jobs={"access.escalate": 0, "monitoring.reclassify": {"agreements": [], "sites": False},
              "monitoring.imports_interrupted": [],
              "record.publish": "no log key configured (PARLEY_RECORD_LOG_KEY)",
              "test.broken": "failed", "test.counts": 1}, tasks_run=0)
    assert [record.getMessage() for record in caplog.records
            if record.name == "parley.core.worker"] == ["periodic job test.broken failed"]


def test_the_worker_thread_runs_queued_tasks_and_stops_when_told(monkeypatch):
    c = access_cast()
    movement = notify(c)
    stop = threading.Event()
    # Told to stop during its first round, the thread finishes that round and ends. The test
    # touches the database only once it has: the in-memory test database's shared cache would
    # answer "table is locked" where a real SQLite file waits.
    monkeypatch.setitem(periodic._jobs, "test.stop", stop.set)
    thread = worker.start_thread(stop, interval=60)
    thread.join(timeout=30)
    assert thread.is_alive() is False
    assert Notification.objects.filter(movement=movement).count() == 7


def test_serve_and_demo_run_the_worker_unless_told_not_to():
    parser = build_parser()
    for command in ("serve", "demo"):
        default = parser.parse_args([command])
        assert (default.no_worker, default.worker_interval) == (False, 5)
        off = parser.parse_args([command, "--no-worker"])
        assert off.no_worker is True
    assert (parser.parse_args(["worker"]).interval, parser.parse_args(["worker"]).once) == (
        30, False)


def test_parley_worker_stops_cleanly_on_sigterm(tmp_path):
    # A process of its own on an empty SQLite file: its rounds fail (logged), the signal still
    # ends it after the round, with status 0 rather than killed by the signal.
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "parley.cli", "worker", "--interval", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**environment, "PARLEY_VAR_DIR": str(tmp_path)})
    try:
        assert process.stdout.readline() == (
            "parley worker: a round every 30 s; Ctrl-C or SIGTERM stops it\n")
        time.sleep(1)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()
        process.stdout.close()
