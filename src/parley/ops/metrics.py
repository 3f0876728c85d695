"""Prometheus metrics (django-prometheus) behind a bearer token.

`/metrics` answers 404 unless `PARLEY_METRICS_TOKEN` is set, and then only to
`Authorization: Bearer <token>`: request counts and latencies are not for everyone, and the
reverse proxy in front of Parley forwards the whole site.
"""

import hmac

from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView


@never_cache
def metrics(request):
    expected = settings.PARLEY_METRICS_TOKEN
    if not expected:
        raise Http404
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
        raise Http404
    return ExportToDjangoView(request)
