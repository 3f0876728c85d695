"""Humanitarian pauses and local ceasefires, their versions and the parties' consents.

Slim on purpose: every transition lives in ``services.py``, every read in ``selectors.py``.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agreement(models.Model):
    class Kind(models.TextChoices):
        PAUSE = "pause", _("Humanitarian pause")
        CEASEFIRE = "ceasefire", _("Local ceasefire")
        EXCHANGE = "exchange", _("Prisoner exchange")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        COUNTERED = "countered", _("Countered")
        AGREED = "agreed", _("Agreed")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    class Purpose(models.TextChoices):
        AID = "aid", _("Aid delivery")
        EVACUATION = "evacuation", _("Evacuation of civilians")
        MEDEVAC = "medevac", _("Medical evacuation")
        REPAIR = "repair", _("Repairs")
        EXCHANGE = "exchange", _("Exchange")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    process = models.ForeignKey(
        "talks.Process",
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    round = models.ForeignKey(
        "talks.Round",
        verbose_name=_("proposed at round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    owner = models.ForeignKey(
        "core.Party",
        verbose_name=_("drafting party"),
        on_delete=models.PROTECT,
        related_name="owned_agreements",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    bound_parties = models.ManyToManyField(
        "core.Party", verbose_name=_("parties bound"), related_name="bound_agreements"
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Once agreed, visible to observers and everyone at the talks."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def current_version(self) -> "AgreementVersion | None":
        # Reuse prefetched versions where a selector loaded them, to keep lists to one query.
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "versions" in cache:
            versions = list(cache["versions"])
            return max(versions, key=lambda v: v.number) if versions else None
        return self.versions.order_by("-number").first()


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    areas = models.JSONField(_("areas"), help_text=_("A GeoJSON FeatureCollection."))
    windows = models.JSONField(_("windows"), help_text=_("Window objects for every area."))
    lead_time_h = models.PositiveIntegerField(_("notification lead time (hours)"), null=True)
    margin_min = models.PositiveIntegerField(_("safety margin before closing (minutes)"), null=True)
    who_may_move = models.TextField(_("who may move"), blank=True)
    note = models.TextField(_("note"), blank=True)
    terms = models.JSONField(
        _("terms"),
        default=dict,
        blank=True,
        help_text=_("Terms of a prisoner exchange, validated by the exchanges app."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number")
        ]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")

    def __str__(self):
        return f"{self.agreement.code} v{self.number}"


class Consent(models.Model):
    version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["version", "at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="consent_once_per_party")
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.version} / {self.party}"


class CalendarFeed(models.Model):
    """A calendar subscription of one person: a secret that opens one iCalendar feed, read-only,
    until revoked. Only the secret's SHA-256 digest is stored; the feed shows what its owner may
    see when the calendar application reads it, so a feed never shows more than its owner."""

    class Kind(models.TextChoices):
        PAUSES = "pauses", _("Every pause I may see")
        MOVEMENT_WINDOWS = "movement_windows", _("Windows my organisation may notify movements in")
        AGREEMENT = "agreement", _("One agreement's windows")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("feed"), max_length=20, choices=Kind.choices, default=Kind.PAUSES)
    agreement_code = models.CharField(_("agreement code"), max_length=40, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} / {self.label}"

    PREFIX = "pcf_"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class ContactLine(models.Model):
    """The line of contact drawn on every map, imported by the secretariat as GeoJSON. Each
    import adds a row and the newest one is the line shown (the older ones stay as the record of
    what was shown when); its date of validity is the day the line describes."""

    geometry = models.JSONField(_("geometry"),
                                help_text=_("A GeoJSON LineString or MultiLineString, WGS 84."))
    valid_on = models.DateField(_("valid on"), help_text=_("The day the line describes."))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("contact line")
        verbose_name_plural = _("contact lines")

    def __str__(self):
        return f"{self.valid_on}"
