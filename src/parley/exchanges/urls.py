from django.urls import path

from parley.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.figures, name="figures"),
    path("lists/upload/", views.upload, name="upload"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("lists/<int:pk>.csv", views.list_csv, name="list_csv"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("reconciliations/<int:pk>/", views.run_detail, name="run"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="pair_decide"),
    path("new/", views.exchange_new, name="exchange_new"),
    path("<str:code>/", views.exchange_detail, name="exchange"),
    path("<str:code>/act/", views.exchange_act, name="exchange_act"),
    path("<str:code>/sign/", views.exchange_sign, name="exchange_sign"),
    path("<str:code>/report/", views.exchange_report, name="exchange_report"),
    path("<str:code>/persons/<int:person>/interview/", views.exchange_interview,
         name="exchange_interview"),
    path("<str:code>/persons/<int:person>/handover/", views.exchange_handover,
         name="exchange_handover"),
]
