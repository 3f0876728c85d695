from django.urls import path

from parley.access import views

app_name = "access"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("movements/", views.movement_list, name="movement_list"),
    path("movements/new/", views.movement_new, name="movement_new"),
    path("movements/acknowledge/", views.movements_acknowledge, name="movements_acknowledge"),
    path("movements/<str:reference>/", views.movement_detail, name="movement_detail"),
    path("movements/<str:reference>/amend/", views.movement_amend, name="movement_amend"),
    path("movements/<str:reference>/check-in/", views.movement_check_in,
         name="movement_check_in"),
    path("movements/<str:reference>/acknowledge/", views.movement_acknowledge,
         name="movement_acknowledge"),
    path("movements/<str:reference>/object/", views.movement_object, name="movement_object"),
    path("movements/<str:reference>/override/", views.movement_override,
         name="movement_override"),
    path("movements/<str:reference>/withdraw/", views.movement_withdraw,
         name="movement_withdraw"),
    path("movements/<str:reference>/complete/", views.movement_complete,
         name="movement_complete"),
    path("movements/<str:reference>/impede/", views.movement_impede, name="movement_impede"),
    path("movements/<str:reference>/deny/", views.movement_deny, name="movement_deny"),
    path("movements/<str:reference>/cancel/", views.movement_cancel, name="movement_cancel"),
    path("terms/<str:code>/", views.access_terms, name="access_terms"),
    path("hazards/new/", views.hazard_new, name="hazard_new"),
    path("hazards/<str:reference>/clear/", views.hazard_clear, name="hazard_clear"),
    path("sites/new/", views.site_new, name="site_new"),
    path("sites/<str:reference>/amend/", views.site_amend, name="site_amend"),
    path("sites/<str:reference>/withdraw/", views.site_withdraw, name="site_withdraw"),
]
