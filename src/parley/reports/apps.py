from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports that read across the apps (the daily situation report); no model of its own."""

    name = "parley.reports"
    label = "reports"
    verbose_name = _("Reports")
