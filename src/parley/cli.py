"""The `parley` command: demo, serve, worker, management, and the engines' batch jobs.

Engine sub-commands (``monitor classify``) run without Django so that they stay fast and usable
on a machine that has only the data files.
"""

import argparse
import os
import sys
import threading
from pathlib import Path

WORKER_INTERVAL_S = 30
# The worker beside serve and demo looks more often: a person waits there for the notices.
IN_PROCESS_WORKER_INTERVAL_S = 5


def _django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command(*args)


def _prepare_production(ns: argparse.Namespace) -> None:
    """Before Django starts: hashed static names and the metrics' shared folder."""
    if ns.dev:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PARLEY_STATIC_HASHED", "1")
    from django.conf import settings

    from parley.ops.server import prepare_environment

    prepare_environment(Path(settings.VAR_DIR))


def _serve(ns: argparse.Namespace) -> None:
    """The production server, or Django's development server with `--dev`."""
    if ns.dev:
        _runserver(ns)
        return
    from django.conf import settings
    from django.core.management import call_command

    from parley.ops.server import serve

    call_command("collectstatic", interactive=False, verbosity=0)
    serve(
        host=ns.host, port=ns.port,
        workers=ns.workers or settings.PARLEY_WEB_WORKERS,
        threads=ns.threads or settings.PARLEY_WEB_THREADS,
        worker_interval=None if ns.no_worker else ns.worker_interval,
    )


def _mark_demo() -> None:
    """A demonstration or development instance: without SECRET_KEY, a key generated into the
    var directory; MFA enforcement off unless PARLEY_REQUIRE_MFA says otherwise, with a banner
    on every page (config/settings.py)."""
    os.environ.setdefault("PARLEY_DEMO", "true")


def cmd_serve(ns: argparse.Namespace) -> int:
    if ns.dev:
        _mark_demo()
    _prepare_production(ns)
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    _serve(ns)
    return 0


def _runserver(ns: argparse.Namespace) -> None:
    from django.core.management import call_command

    from parley.core import worker

    if not ns.no_worker:
        worker.start_thread(threading.Event(), interval=ns.worker_interval)
    # insecure_serving: runserver serves the vendored static files itself (the map and
    # scripts), so the embedded setup needs no separate web server.
    call_command(
        "runserver", f"{ns.host}:{ns.port}", use_reloader=False, insecure_serving=True
    )


def cmd_demo(ns: argparse.Namespace) -> int:
    _mark_demo()
    _prepare_production(ns)
    _django_setup()
    from django.core.management import call_command

    from parley import demo

    call_command("migrate", verbosity=0, interactive=False)
    if ns.reset:
        demo.reset(stdout=sys.stdout)
    demo.load(stdout=sys.stdout)
    demo.print_welcome(host=ns.host, port=ns.port, stdout=sys.stdout)
    if ns.no_serve:
        return 0
    _serve(ns)
    return 0


def cmd_worker(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.core import worker

    if ns.once:
        done = worker.run_round()
        for name, result in done.jobs.items():
            print(f"{name}: {result}")
        print(f"tasks run: {done.tasks_run}")
        return 0
    print(f"parley worker: a round every {ns.interval:g} s; Ctrl-C or SIGTERM stops it",
          flush=True)
    worker.run_until_signalled(interval=ns.interval)
    return 0


def cmd_backup(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.ops.backup import BackupError, backup

    try:
        backup(Path(ns.directory))
    except BackupError as exc:
        print(f"parley backup: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    _django_setup()
    from django.contrib.auth import get_user_model

    from parley.ops.backup import BackupError, restore

    try:
        holds_data = get_user_model().objects.exists()
    except Exception:
        holds_data = False  # no tables yet: a new database, nothing to overwrite
    if holds_data and not ns.yes:
        print("parley restore: this database holds data, which the backup replaces; stop the "
              "web server and the worker, then run again with --yes", file=sys.stderr)
        return 1
    try:
        restore(Path(ns.directory))
    except BackupError as exc:
        print(f"parley restore: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_manage(ns: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parley", *ns.args])
    return 0


def cmd_monitor_classify(ns: argparse.Namespace) -> int:
    if ns.engine == "spark":
        from parley.engines.monitor.spark import spark_classify_command

        return spark_classify_command(areas=Path(ns.areas), incidents=[Path(ns.incidents)],
                                      out=Path(ns.output), format=ns.format)
    from parley.engines.monitor.cli import classify_command, keep_pandas_out

    if ns.whole_process:
        keep_pandas_out()
    return classify_command(
        areas=Path(ns.areas),
        incidents=Path(ns.incidents),
        out=Path(ns.output),
        format=ns.format,
        batch_rows=ns.batch_rows,
        progress=True if ns.progress else None,
        area_cache=not ns.no_cache,
    )


def cmd_monitor_backfill(ns: argparse.Namespace) -> int:
    from parley.engines.monitor.spark import spark_classify_command

    return spark_classify_command(areas=Path(ns.areas), incidents=[Path(p) for p in ns.incidents],
                                  out=Path(ns.output), format=ns.format, output_format="parquet")


def cmd_monitor_ingest(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.monitoring.cli import ingest_command

    return ingest_command(path=Path(ns.file), source=ns.source, username=ns.user, name=ns.name)


def _positive_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def cmd_deconflict_check(ns: argparse.Namespace) -> int:
    from parley.engines.deconflict.cli import check_command

    return check_command(
        areas=Path(ns.areas),
        movements=Path(ns.movements),
        out=Path(ns.output),
        hazards=Path(ns.hazards) if ns.hazards else None,
    )


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a probability from 0 to 1, not {text!r}")
    return value


def cmd_match(ns: argparse.Namespace) -> int:
    from parley.engines.match.cli import match_command

    return match_command(list_a=Path(ns.list_a), list_b=Path(ns.list_b), out=Path(ns.output),
                         threshold=ns.threshold)


def cmd_text_keygen(ns: argparse.Namespace) -> int:
    from parley.engines.textsign.cli import keygen_command

    return keygen_command(key=Path(ns.key))


def cmd_text_sign(ns: argparse.Namespace) -> int:
    from parley.engines.textsign.cli import sign_command

    return sign_command(key=Path(ns.key), export=Path(ns.export))


def cmd_text_verify(ns: argparse.Namespace) -> int:
    from parley.engines.textsign.cli import verify_command

    return verify_command(export=Path(ns.export))


def cmd_ledger_verify(ns: argparse.Namespace) -> int:
    from parley.engines.ledger.cli import verify_command

    return verify_command(directory=Path(ns.directory),
                          since=Path(ns.since) if ns.since else None)


def cmd_ledger_export(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.record.cli import export_command

    return export_command(directory=Path(ns.directory), username=ns.user)


def cmd_ledger_publish(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.record.cli import publish_command

    return publish_command()


def cmd_ledger_clear_alarm(ns: argparse.Namespace) -> int:
    _django_setup()
    from parley.record.cli import clear_alarm_command

    return clear_alarm_command(party_slug=ns.party, username=ns.user)


def cmd_witness_init(ns: argparse.Namespace) -> int:
    from parley.engines.ledger.cli import init_command

    return init_command(key=Path(ns.key), name=ns.name)


def cmd_witness_run(ns: argparse.Namespace) -> int:
    from parley.engines.ledger.cli import run_command

    return run_command(server=ns.server, key=Path(ns.key), state_path=Path(ns.state),
                       log_key=Path(ns.log_key))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="load the demo scenario into the database and serve it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="load the scenario and stop")
    demo.add_argument("--reset", action="store_true",
                      help="first empty the database and the scenario's files under the var "
                           "directory, so the starting scenario is restored")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve Parley on the configured database")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    for server in (demo, serve):
        server.add_argument(
            "--no-worker", action="store_true",
            help="no background worker in this process (run `parley worker` separately)")
        server.add_argument(
            "--worker-interval", type=float, default=IN_PROCESS_WORKER_INTERVAL_S, metavar="S",
            help="seconds between the in-process worker's rounds "
                 f"(default {IN_PROCESS_WORKER_INTERVAL_S})")
        server.add_argument(
            "--dev", action="store_true",
            help="Django's development server with the worker as a thread, for development")
        server.add_argument(
            "--workers", type=_positive_count, metavar="N",
            help="web server processes (default PARLEY_WEB_WORKERS, 2 x cores + 1)")
        server.add_argument(
            "--threads", type=_positive_count, metavar="N",
            help="threads per web server process (default PARLEY_WEB_THREADS, 1)")

    worker = sub.add_parser(
        "worker", help="run periodic jobs (escalations) and queued tasks (e-mail, webhooks)")
    worker.add_argument(
        "--interval", type=float, default=WORKER_INTERVAL_S, metavar="S",
        help=f"seconds between rounds (default {WORKER_INTERVAL_S})")
    worker.add_argument("--once", action="store_true",
                        help="run one round and exit (for cron and tests)")
    worker.set_defaults(func=cmd_worker)

    backup_ = sub.add_parser(
        "backup", help="copy the database and the uploaded files into a new folder")
    backup_.add_argument("directory", help="a folder that does not exist yet, or is empty")
    backup_.set_defaults(func=cmd_backup)

    restore_ = sub.add_parser(
        "restore", help="put a backup back: database, uploaded files; then check the record")
    restore_.add_argument("directory", help="a folder written by `parley backup`")
    restore_.add_argument("--yes", action="store_true",
                          help="replace a database that already holds data")
    restore_.set_defaults(func=cmd_restore)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    monitor = sub.add_parser("monitor", help="incident monitoring")
    msub = monitor.add_subparsers(dest="monitor_command", required=True)
    classify = msub.add_parser(
        "classify", help="classify incidents against agreement areas (docs/formats.md §4)"
    )
    classify.add_argument("areas", help="agreement areas, GeoJSON FeatureCollection")
    classify.add_argument("incidents", help="incidents: CSV, or Parquet when named *.parquet")
    classify.add_argument("-o", "--output", required=True, help="where to write the rows (CSV)")
    classify.add_argument(
        "--format", choices=("parley", "acled", "firms"), default="parley",
        help="the incident feed: Parley CSV, an ACLED export or NASA FIRMS (default parley)",
    )
    classify.add_argument(
        "--batch-rows", type=_positive_count, default=1_000_000, metavar="N",
        help="incidents read and classified at a time (bounds memory; default 1000000)",
    )
    classify.add_argument(
        "--progress", action="store_true",
        help="show the progress on stderr also when it is not a terminal",
    )
    classify.add_argument(
        "--engine", choices=("local", "spark"), default="local",
        help="local: this machine's cores; spark: Apache Spark (SPARK_MASTER or local[*]; "
        "OUT is then a folder of CSV parts)",
    )
    classify.add_argument("--no-cache", action="store_true",
                          help="prepare the areas afresh and do not keep them")
    classify.set_defaults(func=cmd_monitor_classify)

    backfill = msub.add_parser(
        "backfill", help="classify years of an incident archive on Apache Spark (Parquet out)"
    )
    backfill.add_argument("areas", help="agreement areas, GeoJSON FeatureCollection")
    backfill.add_argument("incidents", nargs="+",
                          help="archive files or folders: CSV, or Parquet when named *.parquet")
    backfill.add_argument("-o", "--output", required=True,
                          help="the folder of Parquet parts to write")
    backfill.add_argument("--format", choices=("parley", "acled", "firms"), default="firms",
                          help="the archive's feed (default firms)")
    backfill.set_defaults(func=cmd_monitor_backfill)

    ingest = msub.add_parser(
        "ingest", help="import an incident feed into the database, all or nothing"
    )
    ingest.add_argument("file", help="the feed file")
    ingest.add_argument("--source", required=True, choices=["parley", "acled", "firms"],
                        help="the file's format")
    ingest.add_argument("--user", help="the importing account (default: the first monitor)")
    ingest.add_argument("--name", help="the source's name, if not the format's own")
    ingest.set_defaults(func=cmd_monitor_ingest)

    deconflict = sub.add_parser("deconflict", help="humanitarian movement checks")
    dsub = deconflict.add_subparsers(dest="deconflict_command", required=True)
    check = dsub.add_parser(
        "check", help="check movements against agreement areas (docs/formats.md §5)")
    check.add_argument("areas", help="agreement areas, GeoJSON FeatureCollection")
    check.add_argument("movements", help="movements, GeoJSON FeatureCollection of routes")
    check.add_argument("-o", "--output", required=True, help="where to write the findings (CSV)")
    check.add_argument("--hazards", help="reported hazards, GeoJSON (optional)")
    check.set_defaults(func=cmd_deconflict_check)

    match = sub.add_parser(
        "match",
        help="link two person lists: the pairs judged to be one person (docs/formats.md §6)")
    match.add_argument("list_a", help="person list A: CSV (UTF-8) or XLSX")
    match.add_argument("list_b", help="person list B: CSV (UTF-8) or XLSX")
    match.add_argument("-o", "--output", required=True,
                       help="where to write the pairs (CSV record_id_a,record_id_b,probability)")
    match.add_argument("--threshold", type=_probability, default=0.5, metavar="P",
                       help="the least probability of a pair written (default 0.5)")
    match.set_defaults(func=cmd_match)

    text = sub.add_parser("text", help="negotiating texts: keys, signatures, offline checks")
    tsub = text.add_subparsers(dest="text_command", required=True)
    keygen = tsub.add_parser("keygen", help="make a delegation's Ed25519 signing key")
    keygen.add_argument("key", help="where to write the private key (PEM); KEY.pub gets the "
                        "public key")
    keygen.set_defaults(func=cmd_text_keygen)
    sign = tsub.add_parser("sign", help="sign a text export; prints the signature to upload")
    sign.add_argument("--key", required=True, help="the delegation's private key (PEM)")
    sign.add_argument("export", help="the text's export (JSON) downloaded from its page")
    sign.set_defaults(func=cmd_text_sign)
    verify = tsub.add_parser("verify", help="check a signed text export offline")
    verify.add_argument("export", help="the signed export (JSON)")
    verify.set_defaults(func=cmd_text_verify)

    ledger = sub.add_parser("ledger", help="the record as a transparency log (docs/formats.md §8)")
    lsub = ledger.add_subparsers(dest="ledger_command", required=True)
    export = lsub.add_parser("export", help="export the log with the openings USER may see")
    export.add_argument("directory")
    export.add_argument("--user", required=True, help="the exporting account")
    export.set_defaults(func=cmd_ledger_export)
    verify = lsub.add_parser("verify", help="verify an export; exit 0 only if all of it checks")
    verify.add_argument("directory")
    verify.add_argument("--since", metavar="OLD_CHECKPOINT",
                        help="a checkpoint saved earlier: the log must extend it")
    verify.set_defaults(func=cmd_ledger_verify)
    publish = lsub.add_parser("publish", help="log every audit entry, sign a checkpoint and "
                                              "ask the in-process witnesses to cosign it")
    publish.set_defaults(func=cmd_ledger_publish)
    clear = lsub.add_parser("clear-alarm", help="record that a witness's alarm was looked into")
    clear.add_argument("party", help="the witness's party (slug)")
    clear.add_argument("--user", required=True, help="a secretariat account")
    clear.set_defaults(func=cmd_ledger_clear_alarm)

    witness = sub.add_parser("witness", help="a party's witness of the record")
    wsub = witness.add_subparsers(dest="witness_command", required=True)
    winit = wsub.add_parser("init", help="make the witness key; prints its public key")
    winit.add_argument("--key", required=True, help="where to write the key file")
    winit.add_argument("--name", required=True, help="the key name, e.g. witness.example.org/ua")
    winit.set_defaults(func=cmd_witness_init)
    wrun = wsub.add_parser("run", help="cosign the server's latest checkpoint if it extends the "
                                       "last one cosigned; token in PARLEY_TOKEN")
    wrun.add_argument("--server", required=True, help="the Parley server's URL")
    wrun.add_argument("--key", required=True, help="this witness's key file")
    wrun.add_argument("--state", required=True, help="this witness's state file")
    wrun.add_argument("--log-key", required=True, help="the log's public key (log.vkey)")
    wrun.set_defaults(func=cmd_witness_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    # Run as the `parley` command itself, not called from another program (tests).
    ns.whole_process = argv is None
    return ns.func(ns)


if __name__ == "__main__":
    sys.exit(main())
