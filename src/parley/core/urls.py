from django.urls import path

from parley.core import views

app_name = "core"

urlpatterns = [
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("accounts/<int:pk>/active/", views.account_active, name="account_active"),
]
