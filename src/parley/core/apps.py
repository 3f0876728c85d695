from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = _("Parties and people")

    def ready(self):
        from parley.core import panels

        panels.register()
