from django.urls import path

from parley.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("events/", views.event_list, name="event_list"),
    path("events/bulk/", views.events_bulk, name="events_bulk"),
    path("events.geojson", views.events_geojson, name="events_geojson"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("events/<str:reference>/", views.event_detail, name="event_detail"),
    path("events/<str:reference>/verify/", views.event_verify, name="event_verify"),
    path("events/<str:reference>/account/", views.event_account, name="event_account"),
    path("settings/", views.settings_update, name="settings"),
    path("report/", views.report, name="report"),
    path("import/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
