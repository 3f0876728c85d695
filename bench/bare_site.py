"""The settings of `bench/api.py`: Parley's own, plus a bare view under the same middleware.

The bare view reads one agreement row and returns it as JSON: the floor that Parley's read
endpoints are measured against in the same server and the same run.
"""

from django.http import Http404, JsonResponse
from django.urls import path

from config.settings import *  # noqa: F403
from config.urls import urlpatterns as parley_urlpatterns

ROOT_URLCONF = "bare_site"


def bare_agreement(request, code):
    from parley.agreements.models import Agreement

    row = Agreement.objects.filter(code=code).values("code", "title", "status").first()
    if row is None:
        raise Http404
    return JsonResponse(row)


urlpatterns = [path("bare/agreements/<str:code>", bare_agreement), *parley_urlpatterns]
