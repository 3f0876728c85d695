from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "parley.access"
    label = "access"
    verbose_name = _("Humanitarian access")

    def ready(self):
        from parley.access import history, panels
        from parley.access.tasks import escalate_overdue_acknowledgements
        from parley.access.wording import AUDIT_ACTIONS
        from parley.audit.wording import register_action_names
        from parley.core import periodic

        periodic.register("access.escalate", escalate_overdue_acknowledgements.call)
        panels.register()
        history.register()
        register_action_names(AUDIT_ACTIONS)
