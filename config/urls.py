from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("access/", include("parley.access.urls")),
    path("monitoring/", include("parley.monitoring.urls")),
    path("talks/", include("parley.talks.urls")),
    path("record/", include("parley.record.urls")),
    path("exchanges/", include("parley.exchanges.urls")),
    path("party/", include("parley.core.urls")),
    path("reports/", include("parley.reports.urls")),
    path("", include("parley.ops.urls")),
    path("", include("parley.agreements.urls")),
    path("", include("parley.ui.urls")),
]
