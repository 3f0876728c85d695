from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = _("Parties and people")

    def ready(self):
        from django.db.models.signals import post_migrate

        from parley.audit import history
        from parley.core import panels, readcache, selectors, signals

        signals.connect()
        # Every table watched by the read cache's data generation, new ones included.
        post_migrate.connect(readcache.on_post_migrate, sender=self,
                             dispatch_uid="parley.core.readcache")
        # Who reads the history of the core's objects (parley.audit.history): parties are
        # known to every party member; a party's account changes are that party's only.
        history.register("core.party", lambda user: selectors.party_list(
            actor=user).values_list("pk", flat=True))
        history.register("core.user", selectors.audited_user_ids)
        # API tokens ("core.apitoken") have no rule: their history is no party's.
        panels.register()
