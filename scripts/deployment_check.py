"""The production setup of docs/deployment.md, end to end on the real PostgreSQL (CI runs it).

    .venv/bin/python scripts/deployment_check.py [--server postgres://postgres@127.0.0.1:5432]

In a database of its own (`parley_deploy_check`, created and dropped here) and a fresh
PARLEY_VAR_DIR: migrate, load the demo, start the web server (`parley serve --no-worker`) and
the worker (`parley worker`) as two processes, as the systemd units do; then sign in and open a
page, fetch a hashed static file, create an API token over the API and read with it, upload an
incident file that only the worker imports and wait for it, read /readyz and /metrics, back
the database up; check that the logs are JSON lines without the token; stop both processes.
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PARLEY = ROOT / ".venv" / "bin" / "parley"
DATABASE = "parley_deploy_check"
PORT = 8128
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "parley-demo"  # noqa: S105 (the demo accounts' published password)
INCIDENTS = ROOT / "tests" / "data" / "incidents.csv"


def step(text: str) -> None:
    print(f"-- {text}", flush=True)


def psql(server: str, statement: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True,
                   capture_output=True)


def wait_for(what: str, check, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"FAILED: {what} within {timeout:.0f} s")


def expect(condition: bool, text: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {text}")


def stop(process: subprocess.Popen, name: str) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise SystemExit(f"FAILED: {name} did not stop on SIGTERM within 60 s") from None


def burst() -> None:
    """Many clients at once on fresh web processes, each request reading the database (an
    unknown token's lookup): every answer a 401. A process that inherited the server's
    connection would share its socket with the others, and read their answers (500s)."""
    step("32 clients at once on the fresh web processes")

    def ask(_number: int) -> int:
        return requests.get(f"{BASE}/api/agreements", timeout=60,
                            headers={"Authorization": "Bearer prl_unknown"}).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(ask, range(600)))
    wrong = [status for status in statuses if status != 401]
    expect(not wrong, f"{len(wrong)} of 600 answers were not 401: {sorted(set(wrong))}")


def exercise(environment: dict, var_dir: Path) -> None:
    web = requests.Session()
    login = web.get(f"{BASE}/accounts/login/")
    expect(login.status_code == 200, f"login page: {login.status_code}")
    stylesheet = re.search(r'href="(/static/parley/app\.[0-9a-f]{12}\.css)"', login.text)
    expect(stylesheet is not None, "the page links a content-hashed stylesheet")
    served = web.get(BASE + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    expect(served.status_code == 200 and served.headers.get("Content-Encoding") == "gzip",
           "the hashed stylesheet is served compressed")
    expect("immutable" in served.headers.get("Cache-Control", ""),
           "hashed static files are cached for good")

    step("sign in as the monitor and open the dashboard")
    signed_in = web.post(f"{BASE}/accounts/login/", data={
        "login": "monitor", "password": PASSWORD,
        "csrfmiddlewaretoken": web.cookies["csrftoken"],
    }, headers={"Referer": f"{BASE}/accounts/login/"})
    expect(signed_in.status_code == 200 and signed_in.url.rstrip("/") == BASE,
           f"sign-in lands on the dashboard, not {signed_in.url} ({signed_in.status_code})")
    expect("Geneva Peace Talks" in signed_in.text or "HP-2026" in signed_in.text,
           "the dashboard shows the demo")

    step("create an API token over the API (session and CSRF), then read with it")
    created = web.post(f"{BASE}/api/tokens", json={"name": "deployment check", "scope": "write"},
                       headers={"X-CSRFToken": web.cookies["csrftoken"],
                                "Referer": f"{BASE}/"})
    expect(created.status_code == 201, f"token created: {created.status_code} {created.text}")
    token = created.json()["token"]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    agreements = api.get(f"{BASE}/api/agreements")
    expect(agreements.status_code == 200 and agreements.json()["count"] >= 2,
           f"agreements over the API: {agreements.status_code}")
    detail = api.get(f"{BASE}/api/agreements/HP-2026-001")
    expect(detail.status_code == 200 and detail.json()["code"] == "HP-2026-001",
           "an agreement over the API")
    expect(api.get(f"{BASE}/api/agreements?token={token}").status_code == 200,
           "a request with the token in its query string (it must not reach the log)")

    step("read from 16 clients at once: every web process answers with its own connection")
    paths = ["/api/agreements/HP-2026-001", "/api/agreements", "/api/monitoring/events",
             "/api/agreements/HP-2026-001/areas.geojson"]
    first = {path: api.get(BASE + path).content for path in paths}

    def read(number: int) -> tuple[str, int, bytes]:
        path = paths[number % len(paths)]
        answer = requests.get(BASE + path, headers=api.headers, timeout=60)
        return path, answer.status_code, answer.content

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(read, range(400)))
    wrong = [(path, status) for path, status, body in answers
             if status != 200 or body != first[path]]
    expect(not wrong, f"{len(wrong)} of 400 concurrent reads went wrong: {wrong[:5]}")

    step("upload an incident file; only the worker imports it")
    with INCIDENTS.open("rb") as upload:
        queued = api.post(f"{BASE}/api/monitoring/imports", data={"source": "parley"},
                          files={"file": ("incidents.csv", upload, "text/csv")})
    expect(queued.status_code == 202, f"import queued: {queued.status_code} {queued.text}")
    run = queued.json()["id"]

    def imported():
        status = api.get(f"{BASE}/api/monitoring/imports/{run}").json()["status"]
        expect(status != "rejected", "the worker rejected the demo's incident file")
        return status == "succeeded"

    wait_for("the worker imports the file", imported, timeout=180)

    step("readiness and metrics")
    ready = requests.get(f"{BASE}/readyz", timeout=30)
    expect(ready.status_code == 200 and ready.json()["worker"] == "ok", f"/readyz: {ready.text}")
    expect(requests.get(f"{BASE}/metrics", timeout=30).status_code == 404,
           "/metrics without the token")
    metrics = requests.get(f"{BASE}/metrics", timeout=30, headers={
        "Authorization": f"Bearer {environment['PARLEY_METRICS_TOKEN']}"})
    expect(metrics.status_code == 200 and "django_http_requests_total_by_view_transport_method"
           in metrics.text, "/metrics with the token")

    step("back up the running database")
    done = subprocess.run([str(PARLEY), "backup", str(var_dir.parent / "backup")],
                          env=environment, capture_output=True, text=True)
    expect(done.returncode == 0, f"parley backup: {done.stderr}")
    manifest = json.loads((var_dir.parent / "backup" / "manifest.json").read_text())
    expect(manifest["engine"] == "postgresql"
           and manifest["fingerprints"]["agreements.Agreement"]["rows"] >= 5,
           "the backup holds the demo")
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    ns = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="parley-deploy-check-"))
    var_dir = folder / "var"
    environment = {
        **os.environ,
        "DATABASE_URL": f"{ns.server}/{DATABASE}",
        "PARLEY_VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PARLEY_METRICS_TOKEN": secrets.token_urlsafe(24),
        # The default's process model (one thread a process) with fewer processes.
        "PARLEY_WEB_WORKERS": "3",
        "PARLEY_WEB_THREADS": "1",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    psql(ns.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(ns.server, f"CREATE DATABASE {DATABASE}")
    processes: list[tuple[subprocess.Popen, str]] = []
    web_log, worker_log = folder / "web.log", folder / "worker.log"
    try:
        step("migrate and load the demo")
        subprocess.run([str(PARLEY), "manage", "migrate", "--no-input", "-v0"],
                       env=environment, check=True)
        subprocess.run([str(PARLEY), "demo", "--no-serve"], env=environment, check=True,
                       stdout=subprocess.DEVNULL)
        step(f"start the web server on {BASE} and the worker, as the systemd units do")
        with web_log.open("w") as web_out, worker_log.open("w") as worker_out:
            processes.append((subprocess.Popen(
                [str(PARLEY), "serve", "--no-worker", "--host", "127.0.0.1",
                 "--port", str(PORT)],
                env=environment, stdout=web_out, stderr=subprocess.STDOUT,
                start_new_session=True), "parley serve"))
            processes.append((subprocess.Popen(
                [str(PARLEY), "worker", "--interval", "2"], env=environment,
                stdout=worker_out, stderr=subprocess.STDOUT, start_new_session=True),
                "parley worker"))
        wait_for("/healthz answers",
                 lambda: requests.get(f"{BASE}/healthz", timeout=30).ok, timeout=180)
        burst()
        wait_for("/readyz answers",
                 lambda: requests.get(f"{BASE}/readyz", timeout=30).ok, timeout=60)
        token = exercise(environment, var_dir)
        step("stop both processes with SIGTERM")
        for process, name in reversed(processes):
            stop(process, name)
        log = web_log.read_text()
        lines = [line for line in log.splitlines() if line.startswith("{")]
        expect(len(lines) >= 10, "the web server logs JSON lines")
        access = [json.loads(line) for line in lines if '"parley.http"' in line]
        expect(any(entry["path"] == "/api/agreements/HP-2026-001" for entry in access),
               "the access log names the API request")
        expect(all(len(entry["request_id"]) >= 8 for entry in access),
               "every access line has a request id")
        expect(token not in log and token not in worker_log.read_text(),
               "the token never reaches a log")
        print("deployment check passed", flush=True)
        return 0
    except BaseException:
        for path in (web_log, worker_log):
            if path.exists():
                print(f"== {path.name} (last 40 lines)\n" +
                      "\n".join(path.read_text().splitlines()[-40:]), file=sys.stderr)
        raise
    finally:
        for process, name in processes:
            if process.poll() is None:
                stop(process, name)
        psql(ns.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        subprocess.run(["rm", "-rf", str(folder)], check=False)


if __name__ == "__main__":
    sys.exit(main())
