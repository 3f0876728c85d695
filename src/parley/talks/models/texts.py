"""The single negotiating text of an agreement: numbered provisions, the bracketed alternatives
the parties propose, comments, versions per round, and the initials and signatures on the clean
text."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parley.talks.models.agenda import Visibility


class DraftText(models.Model):
    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("Under negotiation")
        INITIALLED = "initialled", _("Initialled")
        SIGNED = "signed", _("Signed")

    process = models.ForeignKey(
        "talks.Process", verbose_name=_("process"), on_delete=models.CASCADE, related_name="texts"
    )
    agreement = models.OneToOneField(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT,
        related_name="negotiating_text",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEGOTIATING
    )
    # Frozen when the clean text is initialled: the document every signature covers.
    canonical = models.JSONField(_("canonical document"), null=True, blank=True, editable=False)
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "agreement__code"]
        verbose_name = _("negotiating text")
        verbose_name_plural = _("negotiating texts")

    def __str__(self):
        return self.title


class Provision(models.Model):
    """Article and paragraph numbers are stable: a provision keeps them for the text's life."""

    class Terms(models.TextChoices):
        NONE = "", _("No operational terms")
        WINDOW_HOURS = "window_hours", _("Length of the pause windows")
        AREA_COUNT = "area_count", _("Number of agreed areas")

    text = models.ForeignKey(
        DraftText, verbose_name=_("negotiating text"), on_delete=models.CASCADE,
        related_name="provisions",
    )
    article = models.PositiveIntegerField(_("article"))
    paragraph = models.PositiveIntegerField(_("paragraph"))
    body = models.TextField(_("agreed wording"), blank=True)
    terms = models.CharField(
        _("operational terms"), max_length=20, choices=Terms.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["text", "article", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["text", "article", "paragraph"], name="provision_stable_number"
            )
        ]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")

    def __str__(self):
        return f"{self.article}.{self.paragraph}"

    @property
    def number(self) -> str:
        return f"{self.article}.{self.paragraph}"


class Bracket(models.Model):
    """An alternative wording of a provision, attributed to the party that proposed it. Open
    until the mediator resolves the provision, choosing one or a compromise."""

    provision = models.ForeignKey(
        Provision, verbose_name=_("provision"), on_delete=models.CASCADE, related_name="brackets"
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    wording = models.TextField(_("wording"))
    round = models.ForeignKey(
        "talks.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provision", "created_at", "pk"]
        verbose_name = _("bracketed alternative")
        verbose_name_plural = _("bracketed alternatives")

    def __str__(self):
        return f"{self.provision} [{self.party}]"


class ProvisionComment(models.Model):
    provision = models.ForeignKey(
        Provision, verbose_name=_("provision"), on_delete=models.CASCADE, related_name="comments"
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PARTIES
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provision", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.provision} / {self.party}"


class TextVersion(models.Model):
    """The text as it stood when the secretariat saved it at a round (provisions and open
    brackets); versions are compared word by word."""

    text = models.ForeignKey(
        DraftText, verbose_name=_("negotiating text"), on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("number"))
    round = models.ForeignKey(
        "talks.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    provisions = models.JSONField(_("provisions"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["text", "number"]
        constraints = [
            models.UniqueConstraint(fields=["text", "number"], name="text_version_number")
        ]
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")

    def __str__(self):
        return f"{self.text} v{self.number}"


class SigningKey(models.Model):
    """A delegation's Ed25519 public key; the private key never reaches the server."""

    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    public_key = models.CharField(_("public key"), max_length=64, unique=True)
    key_id = models.CharField(_("key ID"), max_length=16)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["party", "-created_at"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self):
        return f"{self.party} {self.key_id}"


class TextSignature(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initialled")
        SIGNATURE = "signature", _("Signed")

    text = models.ForeignKey(
        DraftText, verbose_name=_("negotiating text"), on_delete=models.CASCADE,
        related_name="signatures",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+",
    )
    digest = models.CharField(_("SHA-256"), max_length=64)
    key = models.ForeignKey(
        SigningKey, verbose_name=_("signing key"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="signatures",
    )
    signature = models.CharField(_("signature"), max_length=128, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["text", "kind", "at"]
        constraints = [
            models.UniqueConstraint(fields=["text", "kind", "party"], name="one_mark_per_party")
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return f"{self.text} / {self.party} ({self.kind})"
