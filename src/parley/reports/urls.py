from django.urls import path

from parley.reports import views

app_name = "reports"

urlpatterns = [
    path("daily/", views.daily, name="daily"),
    path("daily.pdf", views.daily_pdf, name="daily_pdf"),
]
