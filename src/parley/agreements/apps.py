from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "parley.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from parley.agreements import panels
        from parley.agreements.history import AGREEMENT_HISTORY, contact_line_history
        from parley.agreements.selectors import visible_agreements
        from parley.agreements.wording import AUDIT_ACTIONS
        from parley.audit import history
        from parley.audit.wording import register_action_names
        from parley.talks.providers import register_agreement_scope

        panels.register()
        register_action_names(AUDIT_ACTIONS)
        register_agreement_scope(visible_agreements)
        history.register("agreements.agreement", AGREEMENT_HISTORY)
        # The contact line is every signed-in person's: its imports are shown in full.
        history.register("agreements.contactline", contact_line_history)
