from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "parley.talks"
    label = "talks"
    verbose_name = _("Talks")

    def ready(self):
        from parley.audit.admin import register_visibility
        from parley.audit.wording import register_action_names
        from parley.talks import panels, selectors
        from parley.talks.wording import AUDIT_ACTIONS

        panels.register()
        register_action_names(AUDIT_ACTIONS)
        # The audit log in the admin follows the parties' choice of who reads a position or a
        # comment, and the mediator's notes stay with the secretariat.
        register_visibility("talks.position", lambda user: selectors.visible_positions(
            actor=user).values_list("pk", flat=True))
        register_visibility("talks.provisioncomment", selectors.visible_comment_ids)
        register_visibility("talks.mediatornote", selectors.visible_note_ids)
