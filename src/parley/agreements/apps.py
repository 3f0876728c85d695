from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "parley.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from parley.agreements import panels
        from parley.agreements.selectors import visible_agreements
        from parley.talks.providers import register_agreement_scope

        panels.register()
        register_agreement_scope(visible_agreements)
