"""The record's speed: appends per second through the service layer, and full verification of
an exported log of a million entries.

    .venv/bin/python bench/ledger.py [--appends 5000] [--entries 1000000]
        [--postgres postgres://postgres@127.0.0.1:5432/parley_bench_ledger]

Appends: each side is a whole process on a fresh database (SQLite under a temporary folder, or
the PostgreSQL database given, dropped and re-made), appending N audit entries, each in its own
transaction as a service does:
- Parley: `audit_append` (the audit row, the sequence number, the salted commitment, the leaf);
- baseline: the same audit row alone, as `audit_append` wrote it before the log existed.
Verification: writes an export of N entries (entries, tiles, a signed checkpoint, no openings)
with the engine, then times `python src/parley/engines/ledger/verify.py DIR` as its own process,
against a baseline process that only reads every bundle and SHA-256-hashes every entry once.
Aims (issue 11): at least 1 500 appends/s on SQLite; verification of 1 000 000 entries < 5 s.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APPEND_SCRIPT = r"""
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("SECRET_KEY", "parley-bench-only-" + "k" * 40)
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.db import transaction
from parley.audit.models import AuditEntry
from parley.audit.services import audit_append
from parley.core.models import Party, User
party = Party.objects.create(slug="bench", kind="mediator", name_en="Bench", time_zones=["UTC"])
actor = User.objects.create(username="bench", party=party, role="secretariat")
n, side = int(sys.argv[1]), sys.argv[2]
after = {"status": "proposed", "windows": [["2026-12-02T08:00:00Z", "2026-12-02T18:00:00Z"]]}
def baseline():
    with transaction.atomic():
        AuditEntry.objects.create(actor=actor, party=party, action="bench.append",
                                  object_type="core.party", object_id=str(party.pk),
                                  after=after)
def parley():
    with transaction.atomic():
        audit_append(actor=actor, action="bench.append", obj=party, after=after)
step = parley if side == "parley" else baseline
for _ in range(50):
    step()
start = time.perf_counter()
for _ in range(n):
    step()
elapsed = time.perf_counter() - start
print(f"{n / elapsed:.0f}")
"""

BASELINE_READ = r"""
import hashlib, sys
from pathlib import Path
directory = Path(sys.argv[1])
count = 0
for bundle in sorted((directory / "tile" / "entries").rglob("*")):
    if bundle.is_file():
        data = bundle.read_bytes()
        position = 0
        while position < len(data):
            length = int.from_bytes(data[position:position + 2], "big")
            hashlib.sha256(b"\x00" + data[position + 2:position + 2 + length]).digest()
            position += 2 + length
            count += 1
print(count)
"""


def run_appends(n: int, side: str, env: dict) -> float:
    out = subprocess.run([sys.executable, "-c", APPEND_SCRIPT, str(n), side], env=env,
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def fresh_env(database_url: str | None, var_dir: str) -> dict:
    env = dict(os.environ, PARLEY_VAR_DIR=var_dir)
    env.pop("DATABASE_URL", None)
    if database_url:
        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = database_url
    return env


def bench_appends(n: int, postgres: str | None) -> None:
    targets = [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else [])
    for label, url in targets:
        figures = {}
        for side in ("baseline", "parley"):
            with tempfile.TemporaryDirectory() as var_dir:
                figures[side] = run_appends(n, side, fresh_env(url, var_dir))
        print(f"appends, {label}, {n} each in its own transaction: Parley (audit row + log "
              f"leaf) {figures['parley']:.0f}/s; baseline (audit row alone) "
              f"{figures['baseline']:.0f}/s; ratio {figures['parley'] / figures['baseline']:.2f}; "
              f"load average {os.getloadavg()[0]:.1f}")


def write_big_export(directory: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from parley.engines.ledger.entries import entry_bytes
    from parley.engines.ledger.export import write_export
    from parley.engines.ledger.merkle import Tree
    from parley.engines.ledger.note import Checkpoint, Signer

    signer = Signer.generate("bench.parley.example/record")
    entries = [entry_bytes(seq=i, at="2026-12-02T03:04:05.123456Z",
                           commitment_hex=f"{i:064x}") for i in range(n)]
    tree = Tree()
    for entry in entries:
        tree.append(entry)
    note = signer.sign(Checkpoint(signer.name, n, tree.root()).text)
    write_export(directory, checkpoint=note, size=n, entries=entries, tree=tree,
                 log=signer.verifier, witnesses={}, openings=[])


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds (user + system: what the process itself cost, less
    dependent on what else the machine runs) and the output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{command} failed: {out.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, out.stdout


def bench_verify(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "export"
        start = time.perf_counter()
        write_big_export(directory, n)
        print(f"export of {n} entries written in {time.perf_counter() - start:.1f} s")
        verifier = str(ROOT / "src/parley/engines/ledger/verify.py")
        seconds, cpu, report = timed([sys.executable, verifier, str(directory)])
        baseline, baseline_cpu, _ = timed([sys.executable, "-c", BASELINE_READ, str(directory)])
        print(f"verify, {n} entries (whole process: signature, every tile, root): "
              f"{seconds:.2f} s wall, {cpu:.2f} s CPU; baseline (read every bundle, hash every "
              f"entry once) {baseline:.2f} s wall, {baseline_cpu:.2f} s CPU; ratio "
              f"{seconds / baseline:.2f}; load average {os.getloadavg()[0]:.1f}")
        print("  " + report.strip().replace("\n", "\n  "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be dropped")
    ns = parser.parse_args()
    if ns.appends:
        bench_appends(ns.appends, ns.postgres)
    if ns.entries:
        bench_verify(ns.entries)


if __name__ == "__main__":
    main()
