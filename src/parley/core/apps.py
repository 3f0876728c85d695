from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = _("Parties and people")

    def ready(self):
        from parley.audit import history
        from parley.core.history import own_party_reads
        from parley.core.selectors import party_list

        # Who reads the history of the core's objects (parley.audit.history).
        history.register("core.party", lambda user: party_list(actor=user).values_list(
            "pk", flat=True))
        history.register("core.user", own_party_reads("core.user"))
        # API tokens ("core.apitoken") have no rule: their history is no party's (the
        # tokens' own module decides when tokens get scopes and feeds).
