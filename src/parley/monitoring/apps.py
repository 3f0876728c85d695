from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "parley.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from parley.audit.wording import register_action_names
        from parley.core import periodic
        from parley.monitoring import history, panels
        from parley.monitoring.services import reclassify_stale
        from parley.monitoring.services.imports import imports_end_interrupted
        from parley.monitoring.wording import AUDIT_ACTIONS

        periodic.register("monitoring.reclassify", reclassify_stale)
        periodic.register("monitoring.imports_interrupted", imports_end_interrupted)
        panels.register()
        history.register()
        register_action_names(AUDIT_ACTIONS)
        panels.register_talks_pulse()
