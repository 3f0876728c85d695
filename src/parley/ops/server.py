"""`parley serve`: gunicorn in front of Django, WhiteNoise for the static files, and the
background worker as a process of its own beside it.

gunicorn's arbiter forks the web processes; the worker is not a thread of the arbiter because a
forked child would inherit its database connection. Prometheus counters of all web processes
are added up through files in `VAR_DIR/prometheus` (prometheus_client's multiprocess mode).
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

PROMETHEUS_DIR = "prometheus"


def prepare_environment(var_dir: Path) -> None:
    """What must be decided before Django and prometheus_client are imported (the settings
    read `PARLEY_STATIC_HASHED` as they load, so the caller sets it before reading them)."""
    metrics_dir = var_dir / PROMETHEUS_DIR
    # Counters of a previous run would be added to this one's.
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)


def _child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _pre_fork(server, worker) -> None:
    # A database connection the server process opened (its migrations, the preloaded
    # application) must not be inherited: two processes on one socket read each other's
    # answers. Persistent connections (CONN_MAX_AGE) keep it open, so close it before each fork.
    from django.db import connections

    connections.close_all()


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Django's own middleware writes the access line (with the request id and without the
        # query string, where calendar feeds carry their secret).
        "accesslog": None,
        "errorlog": "-",
        "logconfig_dict": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"json": {"()": "parley.ops.logs.JsonFormatter"}},
            "filters": {"redact_secrets": {"()": "parley.ops.logs.RedactSecrets"}},
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr", "filters": ["redact_secrets"]},
            },
            "loggers": {
                "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
                # Off ("accesslog": None) but, if turned on, never with a secret.
                "gunicorn.access": {"handlers": ["console"], "level": "INFO",
                                    "propagate": False},
            },
        },
        "child_exit": _child_exit,
        "pre_fork": _pre_fork,
        "proc_name": "parley-web",
        # gunicorn's control socket sits in the home folder, shared by every server of the user.
        "control_socket_disable": True,
    }


class ParleyServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from config.wsgi import application

        return application


def start_worker_process(*, interval: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "parley.cli", "worker", "--interval", f"{interval:g}"]
    )


def stop_worker_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(*, host: str, port: int, workers: int, threads: int, worker_interval: float | None):
    """Serve until gunicorn stops (SIGTERM or SIGINT), then stop the worker process."""
    worker = None if worker_interval is None else start_worker_process(interval=worker_interval)
    try:
        ParleyServer(
            gunicorn_options(host=host, port=port, workers=workers, threads=threads)
        ).run()
    finally:
        stop_worker_process(worker)
