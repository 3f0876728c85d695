from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = _("Parties and people")

    def ready(self):
        from parley.audit.admin import register_visibility
        from parley.core import panels, selectors, signals

        signals.connect()
        # The audit log in the admin shows a party's account changes to that party only.
        register_visibility("core.user", selectors.audited_user_ids)
        panels.register()
