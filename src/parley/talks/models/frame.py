"""The frame of the talks: a process, its rounds, and the delegations attending each round."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    host = models.ForeignKey(
        "core.Party", verbose_name=_("host"), on_delete=models.PROTECT, related_name="+"
    )
    mediator = models.ForeignKey(
        "core.Party", verbose_name=_("mediator"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self):
        return self.name


class Round(models.Model):
    class Format(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        BILATERAL = "bilateral", _("Bilateral")
        PROXIMITY = "proximity", _("Proximity talks")

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)

    class Meta:
        ordering = ["process", "date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="round_unique_name")
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self):
        return f"{self.process.name}: {self.name}"


class Delegation(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="delegations"
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "party"]
        constraints = [
            models.UniqueConstraint(fields=["round", "party"], name="delegation_one_per_party")
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return f"{self.round} / {self.party}"


class Session(models.Model):
    """One sitting of a round: everyone in one room, two delegations, or the mediator shuttling
    between rooms (proximity talks)."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        BILATERAL = "bilateral", _("Bilateral")
        PROXIMITY = "proximity", _("Proximity talks")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.round} / {self.get_kind_display()}"


class Attendance(models.Model):
    """Which delegation sat in a session, and which of its members."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "party"]
        constraints = [
            models.UniqueConstraint(fields=["session", "party"], name="attendance_one_per_party")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.session} / {self.party}"
