"""Crash safety: the real server, killed with SIGKILL in the middle of a large import, loses
nothing it had committed and leaves nothing half-written.

The server (`manage.py runserver --noreload`, one process) runs on a free port over a database
of its own: a temporary SQLite file (WAL), or, when `DATABASE_URL` names PostgreSQL, a database
`<name>_crash` created for the test and dropped after it. A monitor's bearer token ingests a
small batch (committed), then 10 000 incidents in one request (`POST /api/monitoring/incidents`,
all or nothing); the process is killed while that request is being served, before it answers.
After a restart, the first batch and everything else committed is there, and of the killed
import there is no run and not one incident.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration]

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


@pytest.fixture
def environment(tmp_path, database):
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PARLEY_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
        ),
        "DEBUG": "false",
    }
    (tmp_path / "var").mkdir()
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


def _counts(env) -> dict:
    out = _manage(env, "shell", code=COUNT)
    return json.loads(out.split("COUNTS=", 1)[1])


def test_a_server_killed_mid_import_keeps_what_was_committed_and_nothing_half_written(environment):
    _manage(environment, "migrate", "--noinput", "-v", "0")
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
        # The request is read and then served for seconds (parsing, checking, inserting and
        # classifying 10 000 rows in one transaction); kill once the server is busy with it.
        time.sleep(float(os.environ.get("PARLEY_CRASH_DELAY", "1.5")))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        thread.join(timeout=60)
        assert "response" not in answer, (
            "the import finished before the kill; raise BIG or lower PARLEY_CRASH_DELAY"
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
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
