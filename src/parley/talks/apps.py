from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "parley.talks"
    label = "talks"
    verbose_name = _("Talks")

    def ready(self):
        from parley.audit.wording import register_action_names
        from parley.talks import history, panels
        from parley.talks.wording import AUDIT_ACTIONS

        panels.register()
        history.register()
        register_action_names(AUDIT_ACTIONS)
