from django.urls import path

from parley.ui import views

app_name = "ui"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
