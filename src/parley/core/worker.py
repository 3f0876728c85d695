"""The background worker: every round runs the periodic jobs, then every queued task that is
due. `parley worker` runs rounds in its own process; `parley serve` and `parley demo` run them
in a daemon thread, so that the embedded setup needs no second process.
"""

import logging
import signal
import threading
from dataclasses import dataclass

from django.db import connections
from django.dispatch import Signal
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from parley.core import periodic

logger = logging.getLogger(__name__)

# Sent after every round that got through (no arguments). The operations app records it for
# /readyz; core does not import the apps above it, so they listen instead of being called.
round_done = Signal()


class _BatchWorker(Worker):
    """django-tasks-db's worker in batch mode: every task that is due, then stop."""

    def __init__(self):
        super().__init__(
            queue_names=["*"], excluded_queue_names=[], interval=0, batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False, max_tasks=None,
            worker_id=get_random_string(32),
        )
        self.tasks_run = 0

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        self.tasks_run += 1


@dataclass(frozen=True)
class Round:
    jobs: dict[str, object]
    tasks_run: int


def run_queued_tasks() -> int:
    """Run the tasks that are due; how many ran. Other backends than the database's run their
    tasks themselves (the immediate one as they are enqueued)."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return 0
    worker = _BatchWorker()
    worker.run()
    return worker.tasks_run


def run_round() -> Round:
    """Each periodic job (one that fails is logged and does not stop the others), then the
    queued tasks, including those the jobs enqueued."""
    jobs = {}
    for name, job in periodic.registered().items():
        try:
            jobs[name] = job()
        except Exception:
            logger.exception("periodic job %s failed", name)
            jobs[name] = "failed"
    done = Round(jobs=jobs, tasks_run=run_queued_tasks())
    # /readyz reads it (parley.ops listens): a round that got this far is a worker that works.
    round_done.send(sender=Round)
    return done


def run_until(stop: threading.Event, *, interval: float) -> None:
    """A round every `interval` seconds until `stop` is set. The connections are closed after
    each round: a worker thread must not hold SQLite's write-ahead log open between rounds."""
    while not stop.is_set():
        try:
            run_round()
        except Exception:
            logger.exception("worker round failed")
        finally:
            connections.close_all()
        stop.wait(interval)


def start_thread(stop: threading.Event, *, interval: float) -> threading.Thread:
    thread = threading.Thread(target=run_until, args=(stop,), kwargs={"interval": interval},
                              name="parley-worker", daemon=True)
    thread.start()
    return thread


def run_until_signalled(*, interval: float) -> None:
    """Rounds in a thread until SIGINT or SIGTERM; the round under way finishes first (a webhook
    is not cut off mid-request), and a second signal ends the process at once."""
    signals = {signal.SIGINT, signal.SIGTERM}
    # Blocked here and so in the thread, the signals wait for `sigwait` in this thread.
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    stop = threading.Event()
    thread = start_thread(stop, interval=interval)
    signal.sigwait(signals)
    stop.set()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
    thread.join()
