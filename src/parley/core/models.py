"""Parties, people and their roles."""

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def validate_time_zones(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one IANA time zone."))
    for name in value:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValidationError(
                _("%(zone)s is not an IANA time zone."), params={"zone": name}
            ) from exc


class Party(models.Model):
    class Kind(models.TextChoices):
        BELLIGERENT = "belligerent", _("Belligerent party")
        MEDIATOR = "mediator", _("Mediator")
        HUMANITARIAN = "humanitarian", _("Humanitarian organisation")
        MONITOR = "monitor", _("Monitor")
        OBSERVER = "observer", _("Observer")

    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    time_zones = models.JSONField(
        _("time zones"),
        default=list,
        validators=[validate_time_zones],
        help_text=_("IANA zones this party keeps its clocks in, main zone first."),
    )
    is_intermediary = models.BooleanField(
        _("neutral intermediary"),
        default=False,
        help_text=_("Sees both sides' lists of persons in prisoner exchanges (the ICRC's role)."),
    )

    class Meta:
        ordering = ["kind", "slug"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en

    @property
    def main_zone(self) -> str:
        return self.time_zones[0] if self.time_zones else "UTC"

    @property
    def is_belligerent(self) -> bool:
        return self.kind == self.Kind.BELLIGERENT


class User(AbstractUser):
    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        HEAD_OF_DELEGATION = "head", _("Head of delegation")
        DELEGATE = "delegate", _("Delegate")
        LIAISON = "liaison", _("Liaison officer")
        MONITOR = "monitor", _("Monitor")
        OBSERVER = "observer", _("Observer")

    party = models.ForeignKey(
        Party,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.OBSERVER
    )
    is_account_admin = models.BooleanField(
        _("account administrator"),
        default=False,
        help_text=_(
            "Administers the accounts of this user's own party: creates them, gives their "
            "roles, sets passwords, deactivates them."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def zone(self) -> str:
        return self.party.main_zone if self.party is not None else "UTC"

    @property
    def must_use_mfa(self) -> bool:
        """Heads of delegation, the secretariat (and staff), account administrators and
        superusers need a second factor when PARLEY_REQUIRE_MFA is on."""
        return (
            self.role in (self.Role.HEAD_OF_DELEGATION, self.Role.SECRETARIAT)
            or self.is_account_admin
            or self.is_staff
            or self.is_superuser
        )


# The roles a party's account administrators may give, by the party's kind: the secretariat is
# the mediator's, heads of delegation and delegates are the belligerents', and so on.
ROLES_BY_PARTY_KIND: dict[str, tuple[str, ...]] = {
    Party.Kind.MEDIATOR: (User.Role.SECRETARIAT, User.Role.OBSERVER),
    Party.Kind.BELLIGERENT: (
        User.Role.HEAD_OF_DELEGATION, User.Role.DELEGATE, User.Role.OBSERVER,
    ),
    Party.Kind.HUMANITARIAN: (User.Role.LIAISON, User.Role.OBSERVER),
    Party.Kind.MONITOR: (User.Role.MONITOR, User.Role.OBSERVER),
    Party.Kind.OBSERVER: (User.Role.OBSERVER,),
}


# A token lives this long unless its owner asks for less (or more, up to the maximum).
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365


def default_token_expiry():
    return timezone.now() + timedelta(days=API_TOKEN_DEFAULT_DAYS)


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored. A token reads unless it was
    created with the write scope, and stops working when it expires or is revoked."""

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices,
                             default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=default_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} / {self.name}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return "prl_" + secrets.token_urlsafe(32)


class ReferenceCounter(models.Model):
    """The last number handed out under a prefix ("HP-2026-", "EV-2026-", "ICRC-S"): the row is
    locked while a number is taken, so two requests never get the same one
    (`parley.core.references`)."""

    key = models.CharField(max_length=80, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}{self.last}"
