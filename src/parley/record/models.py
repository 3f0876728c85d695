"""The transparency log's heads: checkpoints signed by the log key, and the cosignatures of the
parties' witnesses. The leaves are `parley.audit.models.LogEntry`; the keys live in files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Checkpoint(models.Model):
    size = models.BigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField(help_text="the checkpoint as signed by the log key")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size"]
        get_latest_by = "size"
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self):
        return f"{self.size}"

    def served_note(self) -> bytes:
        """The checkpoint as served: the log's signature, then every cosignature it got."""
        lines = "".join(c.line for c in self.cosignatures.all())
        return self.note.encode() + lines.encode()


class Witness(models.Model):
    """A party's witness as the server knows it: its public key (from the key directory) and
    when it last answered."""

    party = models.OneToOneField("core.Party", on_delete=models.PROTECT, related_name="witness")
    vkey = models.CharField(max_length=300)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    last_cosigned_size = models.BigIntegerField(null=True, blank=True)
    alarm = models.TextField(blank=True)
    alarm_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["party__slug"]
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")

    def __str__(self):
        return self.party.slug


class Cosignature(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE,
                                   related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    line = models.TextField()
    cosigned_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["witness__party__slug"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="one_cosignature_each")
        ]

    def __str__(self):
        return f"{self.witness} @ {self.checkpoint}"
