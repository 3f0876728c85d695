"""Parley's URLs plus a bare view: it reads one agreement row and returns it as JSON, the floor
that Parley's read endpoints are measured against in the same server and the same run."""

from django.http import Http404, JsonResponse
from django.urls import path

from config.urls import urlpatterns as parley_urlpatterns
from parley.agreements.models import Agreement


def bare_agreement(request, code):
    row = Agreement.objects.filter(code=code).values("code", "title", "status").first()
    if row is None:
        raise Http404
    return JsonResponse(row)


urlpatterns = [path("bare/agreements/<str:code>", bare_agreement), *parley_urlpatterns]
