from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "parley.talks"
    label = "talks"
    verbose_name = _("Talks")

    def ready(self):
        from parley.talks import history, panels

        panels.register()
        history.register()
