"""Crash safety: the real server, killed with SIGKILL in the middle of a large import, loses
nothing it had committed and leaves nothing half-written; and the worker, killed while it saves
a queued file import, leaves a run that its next round ends (rejected, nothing saved, the
stored upload removed) once the heartbeat is older than PARLEY_IMPORT_HEARTBEAT_TIMEOUT.

The server (`manage.py runserver --noreload`, one process) runs on a free port over a database
of its own: a temporary SQLite file (WAL), or, when `DATABASE_URL` names PostgreSQL, a database
`<name>_crash` created for the test and dropped after it. A monitor's bearer token ingests a
small batch (committed), then 10 000 incidents in one request (`POST /api/monitoring/incidents`,
all or nothing); the process is killed while that request is being served, before it answers.
After a restart, the first batch and everything else committed is there, and of the killed
import there is no run and not one incident.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from parley.ops.server import stop_worker_process

pytestmark = [pytest.mark.system]

ROOT = Path(__file__).resolve().parents[2]
BIG = 10_000

SETUP = """
from parley.core.models import Party, User
from parley.core.services import api_token_create
party = Party.objects.create(slug="monitors", kind="monitor", name_en="Monitors",
                             time_zones=["Europe/Vienna"])
user = User.objects.create_user(username="monitor", password="x", party=party, role="monitor")
print("TOKEN=" + api_token_create(actor=user, name="crash test", scope="write")[1])
"""

COUNT = """
import json
from parley.monitoring.models import ImportRun, Incident, Source
print("COUNTS=" + json.dumps({
    source.name: {"runs": ImportRun.objects.filter(source=source).count(),
                  "statuses": sorted(ImportRun.objects.filter(source=source)
                                     .values_list("status", flat=True)),
                  "incidents": Incident.objects.filter(source=source).count()}
    for source in Source.objects.all()}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    base, _slash, name = url.rpartition("/")
    crash = f"{name.split('?')[0]}_crash"
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{crash}"')
        connection.execute(f'CREATE DATABASE "{crash}"')
    yield f"{base}/{crash}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{crash}" WITH (FORCE)')


def _environment(database: str, var: Path) -> dict[str, str]:
    var.mkdir()
    return {
        **os.environ,
        "DATABASE_URL": database,
        "PARLEY_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
        ),
        "DEBUG": "false",
    }


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An SQLite file migrated once for the module (a process of its own, as in the tests);
    each test starts from a copy of it rather than migrating again."""
    directory = tmp_path_factory.mktemp("crash-template")
    template = directory / "template.sqlite3"
    _manage(_environment(f"sqlite:///{template}", directory / "var"),
            "migrate", "--noinput", "-v", "0")
    with contextlib.closing(sqlite3.connect(template)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file
    return template


@pytest.fixture
def environment(tmp_path, database, request):
    """The server's environment over a migrated database of the test's own."""
    env = _environment(database, tmp_path / "var")
    if database.startswith("sqlite:///"):
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"),
                        database.removeprefix("sqlite:///"))
    else:
        _manage(env, "migrate", "--noinput", "-v", "0")
    return env


def _manage(env, *args, code: str | None = None) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if code is not None:
        command += ["-c", code]
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _start(env, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            "--nothreading",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.kill()
    raise AssertionError("the server did not start within two minutes")


def _ingest(port: int, token: str, source: str, count: int, start: int = 0):
    items = [
        {
            "id": f"{source}-{n}",
            "lat": 47.5 + (n % 1000) / 10_000,
            "lon": 35.2 + (n // 1000) / 1000,
            "time": "2026-03-01T09:00:00Z",
            "precision_m": 100,
            "type": "shelling",
        }
        for n in range(start, start + count)
    ]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/monitoring/incidents",
        method="POST",
        data=json.dumps({"source": source, "incidents": items}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - http://127.0.0.1
        return response.status, json.loads(response.read())


def _wait_until_busy(database: str) -> None:
    """Until the server is inside the big import's transaction. On PostgreSQL: a transaction of
    the server's that has written and has been open for 0.1 s (the import's; the run's own row
    and a token's use are written in short transactions of their own), asked of
    pg_stat_activity. On SQLite, which shows no transaction from outside, a fixed delay
    (`PARLEY_CRASH_DELAY`, 1.5 s) after the request is sent."""
    if not database.startswith(("postgres://", "postgresql://")):
        time.sleep(float(os.environ.get("PARLEY_CRASH_DELAY", "1.5")))
        return
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
                "AND now() - xact_start > interval '100 milliseconds'").fetchone()
            if busy and busy[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the server never began writing the big import")


def _counts(env) -> dict:
    out = _manage(env, "shell", code=COUNT)
    return json.loads(out.split("COUNTS=", 1)[1])


def test_a_server_killed_mid_import_keeps_what_was_committed_and_nothing_half_written(environment):
    token = _manage(environment, "shell", code=SETUP).split("TOKEN=", 1)[1].strip()
    port = _free_port()
    server = _start(environment, port)
    try:
        status, committed = _ingest(port, token, "first", 200)
        assert (status, committed["created"]) == (201, 200)

        answer: dict = {}

        def big():
            try:
                answer["response"] = _ingest(port, token, "killed", BIG)
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                answer["error"] = error

        thread = threading.Thread(target=big)
        thread.start()
        # The request is read and then served for a second or more (parsing, checking,
        # inserting and classifying 10 000 rows in one transaction); kill while it is at it.
        _wait_until_busy(environment["DATABASE_URL"])
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        thread.join(timeout=60)
        assert "response" not in answer, (
            "the import finished before the kill; raise BIG (or, on SQLite, lower "
            "PARLEY_CRASH_DELAY)"
        )
        assert "error" in answer
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    server = _start(environment, port)
    try:
        counts = _counts(environment)
        assert counts["first"] == {"runs": 1, "statuses": ["succeeded"], "incidents": 200}
        killed = counts.get("killed", {"runs": 0, "statuses": [], "incidents": 0})
        assert killed["incidents"] == 0
        assert set(killed["statuses"]) <= {"failed", "rejected"}
        # The server answers again, and the same import now goes through whole.
        status, again = _ingest(port, token, "killed", BIG)
        assert (status, again["created"]) == (201, BIG)
    finally:
        stop_worker_process(server)  # SIGTERM, then SIGKILL after 30 s: any child of ours


# A queued file import, read by the worker process, killed while it saves ----------------------

QUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from parley.core.models import User
from parley.monitoring.services import import_queue
rows = "".join(f"q-{n},{47.5 + (n % 1000) / 10_000},{35.2 + (n // 1000) / 1000},"
               "2026-03-01T09:00:00Z,100\\n" for n in range(ROWS))
upload = SimpleUploadedFile("queued.csv", ("id,lat,lon,time,precision_m\\n" + rows).encode())
run = import_queue(actor=User.objects.get(username="monitor"), kind="parley", upload=upload)
print("RUN=" + str(run.pk))
"""

QUEUED_ROWS = 40_000


def _query(database: str, sql: str, *params: object) -> list[tuple]:
    """Read the test's database directly (no Django process to start for each look); `sql`
    takes its parameters as %s."""
    if database.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database.removeprefix("sqlite:///"), timeout=30) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(database) as connection:
        return connection.execute(sql, params).fetchall()


def test_a_worker_killed_while_saving_a_queued_file_import_leaves_it_ended_and_nothing_saved(
    environment, database
):
    env = {**environment, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    _manage(env, "shell", code=SETUP)
    run = int(_manage(env, "shell", code=QUEUE.replace("ROWS", str(QUEUED_ROWS)))
              .split("RUN=", 1)[1].strip())
    stored = Path(env["PARLEY_VAR_DIR"]) / "imports"
    assert len(list(stored.iterdir())) == 1
    worker = subprocess.Popen(
        [sys.executable, "-m", "parley.cli", "worker", "--interval", "0.2"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        state: list[tuple] = []
        while time.monotonic() < deadline and worker.poll() is None:
            state = _query(database, "SELECT status, phase FROM monitoring_importrun "
                                     "WHERE id = %s", run)
            if state and state[0][1] == "saving":
                break
            time.sleep(0.1)
        assert state == [("running", "saving")], state
        # Inside the saving transaction: some incidents are inserted, none committed.
        time.sleep(float(os.environ.get("PARLEY_CRASH_DELAY", "1.0")))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    # Killed: the run stays `running`, with nothing saved.
    assert _query(database, "SELECT status FROM monitoring_importrun WHERE id = %s", run) == [
        ("running",)]
    assert _query(database, "SELECT count(*) FROM monitoring_incident") == [(0,)]
    # As if the timeout had passed without a heartbeat, the restarted worker's round ends it.
    _manage(env, "shell", code=(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from parley.monitoring.models import ImportRun\n"
        f"ImportRun.objects.filter(pk={run}).update(\n"
        "    heartbeat_at=timezone.now() - timedelta(hours=1))\n"))
    done = subprocess.run(
        [sys.executable, "-m", "parley.cli", "worker", "--once"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"monitoring.imports_interrupted: [{run}]" in done.stdout
    status, rows = _query(database, "SELECT status, rejected_rows FROM monitoring_importrun "
                                    "WHERE id = %s", run)[0]
    assert status == "rejected"
    assert "the import was interrupted" in (rows if isinstance(rows, str) else json.dumps(rows))
    assert _query(database, "SELECT count(*) FROM monitoring_incident") == [(0,)]
    assert list(stored.iterdir()) == []
