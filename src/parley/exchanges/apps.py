from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "parley.exchanges"
    label = "exchanges"
    verbose_name = _("Prisoner exchanges")

    def ready(self):
        from parley.audit.wording import register_action_names
        from parley.exchanges import history, panels
        from parley.exchanges.wording import AUDIT_ACTIONS

        panels.register()
        history.register()
        register_action_names(AUDIT_ACTIONS)
