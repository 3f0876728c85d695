from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "parley.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # The worker (parley.core) announces each round; /readyz reads the beat recorded here.
        from parley.core.worker import round_done

        round_done.connect(_worker_round_done, dispatch_uid="parley.ops.worker_beat")


def _worker_round_done(sender: object, **kwargs: object) -> None:
    from parley.ops.health import record_worker_round

    record_worker_round()
