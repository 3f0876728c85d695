from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    name = "parley.record"
    label = "record"
    verbose_name = _("Record")

    def ready(self):
        from parley.core import periodic
        from parley.record import jobs, visibility

        periodic.register("record.publish", jobs.publish_and_witness)
        visibility.register()
