"""`/healthz` answers while the process serves; `/readyz` also needs the database and a worker
that ran a round recently. Neither needs a login, and neither says more than a load balancer or
an operator's monitoring needs (no versions, no counts, no error texts)."""

import logging
import socket

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parley.ops.models import WorkerBeat

logger = logging.getLogger(__name__)


def record_worker_round() -> None:
    """Called by the worker after each round: this host's worker is running its rounds."""
    WorkerBeat.objects.update_or_create(
        name=socket.gethostname(), defaults={"last_round_at": timezone.now()}
    )


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("readiness: the database does not answer")
        return False


@never_cache
@require_GET
def readyz(request):
    checks: dict[str, object] = {"database": "ok" if _database_ok() else "failing"}
    if checks["database"] == "ok":
        beat = WorkerBeat.objects.order_by("-last_round_at").first()
        if beat is None:
            checks["worker"] = "no round yet"
        else:
            age = (timezone.now() - beat.last_round_at).total_seconds()
            fresh = age <= settings.PARLEY_WORKER_STALE_AFTER_S
            checks["worker"] = "ok" if fresh else "stale"
            checks["worker_last_round_s_ago"] = round(age)
    ready = checks["database"] == "ok" and checks.get("worker") == "ok"
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks},
                        status=200 if ready else 503)
