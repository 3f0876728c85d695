"""Humanitarian access: movements and static sites notified by organisations, the belligerent
parties' acknowledgements, check-ins on the way, and who looked at a movement's coordinates.

Slim on purpose: every transition lives in ``services.py``, every read in ``selectors.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessTerms(models.Model):
    """The agreement's terms for movements, kept here so the agreements app needs no change."""

    agreement = models.OneToOneField(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.CASCADE,
        related_name="access_terms",
    )
    ack_deadline_h = models.PositiveIntegerField(
        _("acknowledgement deadline (hours)"), default=24,
        help_text=_("Hours a bound party has to acknowledge a notification."),
    )
    max_vehicles = models.PositiveIntegerField(_("vehicles per movement at most"), null=True,
                                               blank=True)
    cargo_limits = models.JSONField(
        _("cargo limits"), default=dict, blank=True,
        help_text=_("Largest quantity of each item per movement, e.g. {\"fuel\": 2000}."),
    )

    class Meta:
        verbose_name = _("access terms")
        verbose_name_plural = _("access terms")

    def __str__(self):
        return f"{self.agreement.code}: {self.ack_deadline_h} h"


class Movement(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held for the secretariat")
        NOTIFIED = "notified", _("Notified")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")
        IMPEDED = "impeded", _("Impeded")
        DENIED = "denied", _("Denied")
        CANCELLED = "cancelled", _("Cancelled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Purpose(models.TextChoices):
        AID = "aid", _("Aid delivery")
        EVACUATION = "evacuation", _("Evacuation of civilians")
        MEDEVAC = "medevac", _("Medical evacuation")
        REPAIR = "repair", _("Repair team")
        EXCHANGE = "exchange", _("Exchange transfer")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    organisation = models.ForeignKey(
        "core.Party", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="movements",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT,
        related_name="movements",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOTIFIED,
        db_index=True,
    )
    reason = models.TextField(_("reason for the status"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "reference"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")

    def __str__(self):
        return self.reference

    @property
    def current_version(self) -> "MovementVersion | None":
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "versions" in cache:
            versions = list(cache["versions"])
            return max(versions, key=lambda v: v.number) if versions else None
        return self.versions.order_by("-number").first()


class MovementVersion(models.Model):
    """One notification of a movement; an amendment is a new version, never an edit."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    route = models.JSONField(_("route"), help_text=_("A GeoJSON LineString geometry."))
    times = models.JSONField(
        _("times"), null=True, blank=True,
        help_text=_("One UTC instant per route vertex, or empty when depart and speed are given."),
    )
    depart = models.DateTimeField(_("departure"), null=True, blank=True)
    speed_kmh = models.FloatField(_("speed (km/h)"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    crossings = models.JSONField(_("crossing points"), default=list, blank=True)
    vehicles = models.JSONField(_("vehicles"), default=list, blank=True,
                                help_text=_("A list of {type, plate}."))
    personnel = models.JSONField(_("personnel"), default=list, blank=True,
                                 help_text=_("Names or functions, one per person."))
    cargo = models.JSONField(_("cargo manifest"), default=list, blank=True,
                             help_text=_("A list of {item, quantity, unit}."))
    note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(_("notified at"))
    released_at = models.DateTimeField(
        _("shown to the parties at"), null=True, blank=True,
        help_text=_("Empty while the notification is held for the secretariat."),
    )
    findings = models.JSONField(_("findings"), default=list, blank=True)
    # Computed with the checks: which parties see this version and acknowledge it.
    crossed_parties = models.ManyToManyField(
        "core.Party", verbose_name=_("parties whose areas the route crosses"), blank=True,
        related_name="+",
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["movement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "number"],
                                    name="movement_version_unique_number")
        ]
        verbose_name = _("movement version")
        verbose_name_plural = _("movement versions")

    def __str__(self):
        return f"{self.movement.reference} v{self.number}"


class Acknowledgement(models.Model):
    """A receipt of one version by one bound party: never a security guarantee."""

    version = models.ForeignKey(
        MovementVersion, verbose_name=_("version"), on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    objection = models.TextField(_("objection"), blank=True)

    class Meta:
        ordering = ["version", "at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="acknowledge_once_per_party")
        ]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self):
        return f"{self.version} / {self.party}"


class CheckIn(models.Model):
    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="check_ins"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    place = models.CharField(_("place or crossing point"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["movement", "at", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self):
        return f"{self.movement.reference} @ {self.at:%Y-%m-%d %H:%M}Z"


class Site(models.Model):
    """A static site (hospital, warehouse...) with a protective radius; changes are audited."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        WAREHOUSE = "warehouse", _("Warehouse")
        SHELTER = "shelter", _("Shelter")
        WATER_STATION = "water_station", _("Water station")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Notified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    organisation = models.ForeignKey(
        "core.Party", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="sites",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    radius_m = models.PositiveIntegerField(_("protective radius (m)"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    reason = models.TextField(_("reason for the status"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return f"{self.reference} {self.name}"


class CoordinateAccessLog(models.Model):
    """Who outside the notifying organisation looked at a movement's coordinates, and when."""

    class Via(models.TextChoices):
        PAGE = "page", _("page")
        API = "api", _("API")

    movement = models.ForeignKey(
        Movement, on_delete=models.CASCADE, related_name="coordinate_views"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("view of coordinates")
        verbose_name_plural = _("views of coordinates")

    def __str__(self):
        return f"{self.movement.reference} seen by {self.user} at {self.at:%Y-%m-%d %H:%M}Z"


class Notification(models.Model):
    """An in-app notice to one person about one movement or one site (an incident near it,
    raised by monitoring); the same text goes out by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="access_notifications")
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    event = models.CharField(_("event"), max_length=40)
    text = models.TextField(_("text"))
    # The movement's version when the event happened: the notice is addressed then, in the
    # event's own transaction, and says what the recipient was told (docs/security.md).
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        subject = self.movement or self.site  # a notice is about one or the other
        return f"{self.user} / {self.event} / {subject.reference if subject else ''}"


class Webhook(models.Model):
    """Another system of a party that is told about movements, signed with HMAC-SHA256."""

    party = models.ForeignKey("core.Party", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=64, editable=False)
    events = models.JSONField(_("events"), default=list,
                              help_text=_("Event names; empty for every event."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "created_at"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return f"{self.party.slug} → {self.url}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # The movement's version when the event happened (the body names it too).
    version = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due; empty once delivered, given up, or while an attempt is made.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.webhook} {self.event} {self.status}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and the answer to it (the delivery keeps the latest)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    response_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")
        ]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self):
        return f"{self.delivery} #{self.number}"


class Escalation(models.Model):
    """A missed acknowledgement deadline, escalated once per version and party."""

    version = models.ForeignKey(MovementVersion, on_delete=models.CASCADE,
                                related_name="escalations")
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="escalate_once_per_party")
        ]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self):
        return f"{self.version} / {self.party}"


class Hazard(models.Model):
    """A mined, impassable or shelled place reported by a monitor; routes near it are warned."""

    class Kind(models.TextChoices):
        MINED = "mined", _("Mined")
        IMPASSABLE = "impassable", _("Impassable")
        SHELLING = "shelling", _("Shelling")
        OTHER = "other", _("Other")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    geometry = models.JSONField(_("geometry"),
                                help_text=_("A GeoJSON Point, LineString or Polygon."))
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")

    def __str__(self):
        return f"{self.reference} {self.kind}"
