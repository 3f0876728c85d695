from django.urls import path

from parley.agreements import views

app_name = "agreements"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/feeds/", views.calendar_feed_new, name="calendar_feed_new"),
    path("calendar/feeds/<int:feed_id>/revoke/", views.calendar_feed_revoke,
         name="calendar_feed_revoke"),
    path("map/", views.area_map, name="map"),
    path("map/contact-line/", views.contact_line, name="contact_line"),
    path("map/contact-line.geojson", views.contact_line_data, name="contact_line_data"),
    path("agreements/", views.agreement_index, name="agreement_list"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<str:code>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<str:code>/versions/<int:number>/", views.agreement_version,
         name="agreement_version"),
    path("agreements/<str:code>/counter/", views.agreement_counter, name="agreement_counter"),
    path("agreements/<str:code>/propose/", views.agreement_propose, name="agreement_propose"),
    path("agreements/<str:code>/consent/", views.agreement_consent, name="agreement_consent"),
    path("agreements/<str:code>/suspend/", views.agreement_suspend, name="agreement_suspend"),
    path("agreements/<str:code>/resume/", views.agreement_resume, name="agreement_resume"),
    path(
        "agreements/<str:code>/terminate/", views.agreement_terminate, name="agreement_terminate"
    ),
]
