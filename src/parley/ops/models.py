from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """When a background worker last ran a round, for `/readyz`; one row per worker host."""

    name = models.CharField(_("worker"), max_length=200, primary_key=True)
    last_round_at = models.DateTimeField(_("last round"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} {self.last_round_at:%Y-%m-%d %H:%M:%S}"
