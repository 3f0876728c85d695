"""Jobs the background worker runs every round, before the queued tasks.

An app adds its own in `AppConfig.ready()`: `periodic.register("access.escalate", job)`. A job
takes no argument, must be cheap when there is nothing to do and safe to run again, and returns
what it did (shown by `parley worker --once`).
"""

from collections.abc import Callable

_jobs: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _jobs[name] = job


def registered() -> dict[str, Callable[[], object]]:
    return dict(_jobs)
