"""What the parties undertook in a text, whether they did it, and the communiqué of a round."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Commitment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        MET = "met", _("Met")
        LATE = "late", _("Late")
        BREACHED = "breached", _("Breached")
        DISPUTED = "disputed", _("Disputed")

    process = models.ForeignKey(
        "talks.Process", verbose_name=_("process"), on_delete=models.CASCADE,
        related_name="commitments",
    )
    provision = models.ForeignKey(
        "talks.Provision", verbose_name=_("provision"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="commitments",
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.TextField(_("what"))
    due_at = models.DateTimeField(_("by when"))
    verification = models.TextField(_("how it is verified"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "due_at", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.what[:60]


class CommitmentEvidence(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", _("Monitoring event")
        MOVEMENT = "movement", _("Movement")
        EXCHANGE = "exchange", _("Exchange result")
        FILE = "file", _("File")
        LINK = "link", _("Link")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.kind}: {self.reference}"


class CommitmentAnswer(models.Model):
    """A party's answer to the status given to a commitment (its own or the other side's)."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE,
        related_name="answers",
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.commitment} / {self.party}"


class Communique(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    round = models.OneToOneField(
        "talks.Round", verbose_name=_("round"), on_delete=models.CASCADE,
        related_name="communique",
    )
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")

    def __str__(self):
        return str(self.round)
