"""Read endpoints of `parley serve` against a bare Django view, in the same server and run.

    .venv/bin/python bench/api.py [--database sqlite|postgres|both] [--duration 12]

Loads the demo into a fresh database (SQLite under a temporary folder; PostgreSQL in the
database `parley_bench`, dropped and created again), starts the production server (gunicorn
with the default workers and threads, no background worker), and drives each endpoint with wrk
(Debian's `wrk`; `make bench` installs it): 32 connections, a head of delegation's token. The
bare view (bench/bare/bare_urls.py) reads one agreement row through the same middleware; it and
each endpoint take turns (4 slices of 3 s each, `--slices`), so that both see the same load on a
shared machine, and the ratios compare the endpoint with the bare view's own turns. Goal: at
least 0.7 of the bare view's requests per second and a p99 within 1.5x.
`--no-read-cache` sets PARLEY_READ_CACHE=false: every answer computed, as right after a change.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PARLEY = ROOT / ".venv" / "bin" / "parley"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "parley_bench"
PORT = 8118
CODE = "HP-2026-001"
BARE = f"/bare/agreements/{CODE}"
ENDPOINTS = [
    f"/api/agreements/{CODE}",
    "/api/agreements",
    f"/api/agreements/{CODE}/areas.geojson",
    "/api/monitoring/events",
]
GOAL_RPS, GOAL_P99 = 0.7, 1.5
CREATE_READER = """
from parley.core.models import User
from parley.core.services import api_token_create
_, raw = api_token_create(actor=User.objects.get(username="ua-head"), name="bench")
print(raw)
"""


def _environment(var_dir: Path, database_url: str | None) -> dict:
    environment = dict(os.environ)
    environment.update({
        "PARLEY_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "bare_site",
        # config.settings needs a key when DEBUG is off (the production settings are measured).
        "SECRET_KEY": environment.get("SECRET_KEY") or "parley-bench-only-" + "k" * 40,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench" / "bare"), str(ROOT / "src"), str(ROOT)]),
    })
    environment.pop("DATABASE_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def _prepare(database: str, var_dir: Path) -> dict:
    url = None
    if database == "postgres":
        for statement in (f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)",
                          f"CREATE DATABASE {BENCH_DATABASE}"):
            subprocess.run(["psql", f"{POSTGRES_SERVER}/postgres", "-qc", statement],
                           check=True, capture_output=True)
        url = f"{POSTGRES_SERVER}/{BENCH_DATABASE}"
    environment = _environment(var_dir, url)
    subprocess.run([str(PARLEY), "demo", "--no-serve"], env=environment, check=True,
                   stdout=subprocess.DEVNULL)
    return environment


def _token(environment: dict) -> str:
    done = subprocess.run([str(PYTHON), "-c", "import django; django.setup()\n" + CREATE_READER],
                          env=environment, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 (http base)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start within 2 minutes")


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def _wrk(url: str, token: str, duration: float, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
         "--timeout", "10s",
         "-H", f"Authorization: Bearer {token}", url],
        check=True, capture_output=True, text=True,
    )
    out = done.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} responses were errors\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _seconds(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _seconds(re.search(r"\s99%\s+(\S+)", out).group(1)),
    }


def _combined(slices: list[dict]) -> dict:
    """Requests per second over all the slices; p50 and p99 the mean of the slices'."""
    return {"rps": sum(s["rps"] for s in slices) / len(slices),
            "p50": sum(s["p50"] for s in slices) / len(slices),
            "p99": sum(s["p99"] for s in slices) / len(slices)}


def _line(path: str, figures: dict, rps_ratio: float | None = None,
          p99_ratio: float | None = None, note: str = "") -> None:
    ratios = ("" if rps_ratio is None else
              f" {rps_ratio:9.2f} {p99_ratio:9.2f}{note}")
    print(f"{path:44} {figures['rps']:8.0f} {figures['p50'] * 1000:8.1f} "
          f"{figures['p99'] * 1000:8.1f}{ratios}")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def run(database: str, duration: int, connections: int, slices: int) -> bool:
    var_dir = Path(tempfile.mkdtemp(prefix=f"parley-bench-{database}-"))
    server = None
    try:
        environment = _prepare(database, var_dir)
        token = _token(environment)
        log = (var_dir / "server.log").open("w")
        server = subprocess.Popen(
            [str(PARLEY), "serve", "--no-worker", "--port", str(PORT)],
            env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{PORT}"
        _wait_until_up(base, server)
        # Every path driven for a second first, so that no web process pays its first
        # requests' costs (imports, compiled reads, prepared statements) in the count.
        for path in [BARE, *ENDPOINTS]:
            request = urllib.request.Request(  # noqa: S310 (an http URL built here)
                base + path, headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310 (http base)
                pass
            _wrk(base + path, token, 1, connections)
        cache = "on" if environment.get("PARLEY_READ_CACHE", "true") != "false" else "OFF"
        print(f"\n== {database}: parley serve (gunicorn), {connections} connections, "
              f"{duration} s per endpoint and as much for the bare view, in {slices} turns, "
              f"read cache {cache}; load average {_load()}")
        # The machine's load changes from second to second (other builds share it), so the bare
        # view and each endpoint take turns in short slices and each is summed over its slices:
        # both see the same load.
        print(f"{'endpoint':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'rps/bare':>9} {'p99/bare':>9}")
        met = True
        for path in ENDPOINTS:
            bare_slices, endpoint_slices = [], []
            for _ in range(slices):
                bare_slices.append(_wrk(base + BARE, token, duration / slices, connections))
                endpoint_slices.append(_wrk(base + path, token, duration / slices, connections))
            bare, figures = _combined(bare_slices), _combined(endpoint_slices)
            rps_ratio = figures["rps"] / bare["rps"]
            p99_ratio = figures["p99"] / bare["p99"]
            ok = rps_ratio >= GOAL_RPS and p99_ratio <= GOAL_P99
            met = met and ok
            _line("  bare, its turns", bare)
            _line(path, figures, rps_ratio, p99_ratio, "" if ok else "  below goal")
        print(f"load average after: {_load()}; goal: >= {GOAL_RPS} of the bare view's req/s, "
              f"p99 <= {GOAL_P99}x: {'met' if met else 'NOT met'}")
        return met
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--duration", type=int, default=12, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--slices", type=int, default=4,
                        help="turns of the bare view and the endpoint, duration/slices s each")
    parser.add_argument("--no-read-cache", action="store_true",
                        help="PARLEY_READ_CACHE=false: every answer computed (not the goal's "
                             "measure; what a read costs right after a change)")
    ns = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does)")
    databases = ["sqlite", "postgres"] if ns.database == "both" else [ns.database]
    if ns.no_read_cache:
        os.environ["PARLEY_READ_CACHE"] = "false"
    results = [run(database, ns.duration, ns.connections, ns.slices) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
