from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "parley.exchanges"
    label = "exchanges"
    verbose_name = _("Prisoner exchanges")

    def ready(self):
        from parley.exchanges import history, panels

        panels.register()
        history.register()
