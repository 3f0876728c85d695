"""Incidents from several sources, their classification against agreement areas, the events
they are grouped into, and the verification of those events.

Slim on purpose: every write lives in ``services.py``, every read in ``selectors.py``. Nothing
here names who is responsible for an incident: Parley records what was reported, where and
when, and what the monitors concluded about whether it happened in a pause.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class EvidenceStorage(FileSystemStorage):
    """Evidence files under `VAR_DIR/evidence`, read from the settings at use (tests move it)."""

    @property
    def base_location(self):
        return str(Path(settings.VAR_DIR) / "evidence")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @cached_property
    def base_url(self):
        return None


class Source(models.Model):
    class Kind(models.TextChoices):
        PARLEY = "parley", _("Parley CSV")
        ACLED = "acled", _("ACLED export")
        FIRMS = "firms", _("NASA FIRMS fire detections")
        MONITOR_REPORT = "monitor_report", _("Monitor reports")
        API = "api", _("Another system, through the API")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One file (or one API batch) read into incidents: all of it, or nothing and a report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Rejected")

    class Phase(models.TextChoices):
        # Reading is outside the import's transaction, so its progress shows while it runs;
        # saving is one transaction (all or nothing) and shows no progress of its own (ADR 0010).
        READING = "reading", _("Reading and checking the file")
        SAVING = "saving", _("Saving and classifying the incidents")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="imports")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    rows_expected = models.PositiveIntegerField(
        _("rows expected"), default=0,
        help_text=_("The file's lines after the header, counted when it was received: an "
                    "estimate for the progress bar (a quoted cell may hold a line break)."),
    )
    upload = models.CharField(
        _("stored upload"), max_length=255, blank=True,
        help_text=_("The file awaiting the worker, under VAR_DIR/imports; removed once read."),
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("incidents added"), default=0)
    duplicates = models.PositiveIntegerField(_("already known"), default=0)
    candidates = models.PositiveIntegerField(_("candidate violations"), default=0)
    rejected_rows = models.JSONField(
        _("rejected rows"), default=list,
        help_text=_("Each: line, field, reason; the first PARLEY_IMPORT_REJECTED_ROWS_KEPT "
                    "only."),
    )
    rejected_total = models.PositiveIntegerField(_("problems found"), default=0)
    warnings = models.JSONField(
        _("warnings"), default=list, blank=True,
        help_text=_("Doubts that do not stop the import (coordinates far outside the region, "
                    "latitude and longitude swapped): each code, field, message."),
    )
    rejected_counts = models.JSONField(
        _("problems by reason"), default=list,
        help_text=_("Each: field, reason (its values left out), rows; most frequent first."),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"), null=True, blank=True,
        help_text=_("Updated while the import runs (each batch read, and from a thread of its "
                    "own while it saves): a run whose heartbeat is older than "
                    "PARLEY_IMPORT_HEARTBEAT_TIMEOUT was interrupted and is ended."),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.source} {self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REJECTED)

    @property
    def percent_read(self) -> int | None:
        """Rows read of the rows expected while reading, capped at 99 until saved."""
        if not self.rows_expected:
            return None
        return min(99, self.rows_read * 100 // self.rows_expected)


class Event(models.Model):
    """What the monitors verify: one or more reports of the same thing, grouped by time and
    distance. Its status is the state of the verification."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        UNDER_REVIEW = "under_review", _("Under review")
        CONFIRMED = "confirmed", _("Confirmed violation")
        DISMISSED = "dismissed", _("Dismissed")
        UNVERIFIABLE = "unverifiable", _("Unverifiable")

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATE,
        db_index=True,
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    time_start = models.DateTimeField(_("first report"), db_index=True)
    time_end = models.DateTimeField(_("last report"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-time_start", "reference"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.reference


class Incident(models.Model):
    """One report from one source. Day-precision reports (ACLED) span `[time_start, time_end)`;
    a report of an instant has no `time_end`."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="incidents")
    external_id = models.CharField(_("id at the source"), max_length=100)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    time_start = models.DateTimeField(_("time"), db_index=True)
    time_end = models.DateTimeField(_("end of the time span"), null=True, blank=True)
    precision_m = models.FloatField(_("location precision (m)"), default=0)
    type = models.CharField(_("type"), max_length=100, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["time_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="incident_once_per_source"
            )
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        return f"{self.source}:{self.external_id}"


class Verification(models.Model):
    """One step of an event's verification, with the monitor's reasoning."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="verifications")
    from_status = models.CharField(max_length=20, choices=Event.Status.choices)
    to_status = models.CharField(max_length=20, choices=Event.Status.choices)
    reasoning = models.TextField(_("reasoning"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("verification step")
        verbose_name_plural = _("verification steps")

    def __str__(self):
        return f"{self.event} {self.from_status}→{self.to_status}"


class Evidence(models.Model):
    """A photo or file, stored under its SHA-256, attached to a report or a verification step."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    verification = models.ForeignKey(
        Verification, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("file"), storage=EvidenceStorage(), max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.name} ({self.sha256[:12]})"


class ClassificationRun(models.Model):
    class Trigger(models.TextChoices):
        IMPORT = "import", _("New incidents")
        AGREEMENT = "agreement", _("The agreement's areas, windows or status changed")
        SITES = "sites", _("A humanitarian site was notified or withdrawn")

    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    incidents = models.PositiveIntegerField(_("incidents classified"), default=0)
    rows = models.PositiveIntegerField(_("related pairs"), default=0)
    candidates = models.PositiveIntegerField(_("candidate violations"), default=0)
    site_alerts = models.PositiveIntegerField(_("site alerts"), default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("classification run")
        verbose_name_plural = _("classification runs")

    def __str__(self):
        return f"{self.trigger} {self.started_at:%Y-%m-%d %H:%M}Z"


class Classification(models.Model):
    """One row of docs/formats.md §4: an incident related to one area of one agreement. Rows of an
    agreement are replaced whole when its areas or windows change; each names its run."""

    class Relation(models.TextChoices):
        INSIDE = "inside", _("inside")
        NEAR = "near", _("near (within the location precision)")

    run = models.ForeignKey(ClassificationRun, on_delete=models.PROTECT, related_name="results")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="classifications")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    feature_id = models.CharField(_("area"), max_length=100)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    in_window = models.BooleanField(_("in a window"), db_index=True)

    class Meta:
        ordering = ["incident", "agreement", "feature_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "agreement", "feature_id"], name="classification_once"
            )
        ]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")

    def __str__(self):
        return f"{self.incident} {self.relation} {self.feature_id}"


class SiteAlert(models.Model):
    """An incident inside or near the protective radius of a notified humanitarian site, whether
    or not a pause is on."""

    run = models.ForeignKey(ClassificationRun, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="site_alerts")
    site = models.ForeignKey("access.Site", on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(
        _("relation"), max_length=10, choices=Classification.Relation.choices
    )
    notified_at = models.DateTimeField(
        _("organisation told"), null=True, blank=True,
        help_text=_("When the site's organisation was notified; it is told once per alert."),
    )

    class Meta:
        ordering = ["-incident__time_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "site"], name="site_alert_once")
        ]
        verbose_name = _("site alert")
        verbose_name_plural = _("site alerts")

    def __str__(self):
        return f"{self.incident} near {self.site}"


class PartyAccount(models.Model):
    """A party's own account of an event. Seen by its own party, the secretariat and the
    monitors; by the other parties only when the author shares it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="accounts")
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("account"))
    shared = models.BooleanField(
        _("shared with the other parties"), default=False,
        help_text=_("The secretariat and the monitors see every account."),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("party account")
        verbose_name_plural = _("party accounts")

    def __str__(self):
        return f"{self.event} / {self.party}"


class MonitoringSettings(models.Model):
    """The secretariat's grouping rule: reports within this time and distance are one event."""

    group_distance_m = models.PositiveIntegerField(_("grouping distance (m)"), default=2000)
    group_minutes = models.PositiveIntegerField(_("grouping time (minutes)"), default=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self):
        return f"{self.group_distance_m} m / {self.group_minutes} min"
