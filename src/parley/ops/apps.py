from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "parley.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from parley.core import periodic
        from parley.ops.health import record_worker_round

        periodic.register("ops.heartbeat", record_worker_round)
