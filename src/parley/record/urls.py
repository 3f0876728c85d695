from django.urls import path

from parley.record import views

app_name = "record"

urlpatterns = [
    path("", views.record_page, name="record"),
    path("entries/<int:entry_id>/", views.entry_verify, name="verify"),
    path("log/checkpoint", views.checkpoint, name="checkpoint"),
    path("log/tile/<path:path>", views.tile, name="tile"),
    path("witness/add-checkpoint", views.add_checkpoint, name="add_checkpoint"),
    path("witness/cosignature", views.cosignature, name="cosignature"),
    path("witness/alarm", views.alarm, name="alarm"),
]
