"""Persons held and sought, the reconciliation of lists, and the execution of exchanges.

A person's identity (names, dates, unit, numbers, places) is one encrypted token; only the
category, the health flag of GC III arts. 109-110 and the status stay in clear, because the public
figures count them. Every write lives in ``services``, every read in ``selectors``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    POW = "pow", _("Prisoner of war")
    CIVILIAN_INTERNEE = "civilian_internee", _("Civilian internee")
    DETAINED_CIVILIAN = "detained_civilian", _("Detained civilian")
    REMAINS = "remains", _("Remains")


class PersonStatus(models.TextChoices):
    LISTED = "listed", _("Listed")
    IDENTIFIED = "identified", _("Identified")
    PROPOSED = "proposed", _("Proposed for exchange")
    INTERVIEWED = "interviewed", _("Interviewed")
    EXCHANGED = "exchanged", _("Exchanged or returned")
    REFUSED = "refused", _("Refused repatriation")
    DECEASED = "deceased", _("Deceased")


class PersonList(models.Model):
    """One party's list: the persons it holds, or the persons it seeks from the counterpart."""

    class Side(models.TextChoices):
        HELD = "held", _("Persons it holds")
        SOUGHT = "sought", _("Persons it seeks")

    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("list of"), max_length=10, choices=Side.choices)
    counterpart = models.ForeignKey(
        "core.Party",
        verbose_name=_("counterpart"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The party these persons depend on (held), or who holds them (sought)."),
    )
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "side", "title"]
        constraints = [
            models.UniqueConstraint(fields=["party", "side", "title"], name="person_list_unique")
        ]
        verbose_name = _("person list")
        verbose_name_plural = _("person lists")

    def __str__(self):
        return f"{self.party.slug}/{self.side}/{self.title}"

    @property
    def holder_id(self) -> int:
        return self.party_id if self.side == self.Side.HELD else self.counterpart_id


class Person(models.Model):
    person_list = models.ForeignKey(
        PersonList, verbose_name=_("list"), on_delete=models.PROTECT, related_name="persons"
    )
    # The row's record_id, or a digest of its identity when the file gives none; a re-upload
    # finds the same person by it, so decisions and exchanges stay attached.
    record_key = models.CharField(max_length=64)
    row_number = models.PositiveIntegerField(_("row"))
    identity_token = models.TextField()
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    seriously_wounded_or_sick = models.BooleanField(
        _("seriously wounded or sick"), default=False,
        help_text=_("Geneva Convention III, articles 109 and 110."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.LISTED
    )
    withdrawn = models.BooleanField(_("no longer on the list"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person_list", "row_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_list", "record_key"], name="person_unique_key")
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"P-{self.pk}"

    @property
    def reference(self) -> str:
        return f"P-{self.pk}"


class StatusChange(models.Model):
    """The status history of a person; a refusal is seen by the intermediary alone."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=PersonStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, related_name="+"
    )
    intermediary_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["person", "at", "id"]

    def __str__(self):
        return f"{self.person} {self.status}"



class IdentityView(models.Model):
    """One person's identity shown to one user: on a page, in an API answer or an export."""

    class Surface(models.TextChoices):
        PAGE = "page", _("page")
        API = "api", _("API")
        EXPORT = "export", _("export")
        REVIEW = "review", _("review queue")
        EXCHANGE = "exchange", _("exchange")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    viewer_party = models.ForeignKey(
        "core.Party", on_delete=models.PROTECT, null=True, related_name="+"
    )
    surface = models.CharField(max_length=10, choices=Surface.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.person} seen by {self.viewer_id}"



class Reconciliation(models.Model):
    """One run of the matcher over a held list and the sought list of the other side."""

    held_list = models.ForeignKey(PersonList, on_delete=models.PROTECT, related_name="+")
    sought_list = models.ForeignKey(PersonList, on_delete=models.PROTECT, related_name="+")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    threshold = models.FloatField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self):
        return f"R-{self.pk}"



class Pair(models.Model):
    """A held person and a sought person who may be the same; a decision outlives re-uploads."""

    class State(models.TextChoices):
        MATCHED = "matched", _("Matched")
        UNCERTAIN = "uncertain", _("To review")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    held = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pairs_held")
    sought = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pairs_sought")
    probability = models.FloatField(_("probability"))
    fields = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["held", "sought"], name="pair_unique")
        ]

    def __str__(self):
        return f"{self.held} ~ {self.sought}"


class Outcome(models.TextChoices):
    PENDING = "", _("Awaiting handover")
    HANDED_OVER = "handed_over", _("Handed over")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused")
    NOT_PRESENTED = "not_presented", _("Not presented")
    DECEASED = "deceased", _("Deceased")


class HandoverDay(models.Model):
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="handover_days"
    )
    date = models.DateField(_("day"))

    class Meta:
        ordering = ["agreement", "date"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "date"], name="handover_day_unique")
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.date}"



class ExchangeEntry(models.Model):
    """A person of an agreed exchange: the interview and what happened at the handover."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="exchange_entries"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="entries")
    releasing = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    receiving = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    interviewed_at = models.DateTimeField(null=True)
    interviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    identity_confirmed = models.BooleanField(null=True)
    wishes_repatriation = models.BooleanField(null=True)
    fit_to_travel = models.BooleanField(null=True)
    # The intermediary's private note of the interview, encrypted like an identity.
    interview_token = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    day = models.ForeignKey(HandoverDay, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["agreement", "releasing", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="entry_unique_person")
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.person}"



class DaySignoff(models.Model):
    day = models.ForeignKey(HandoverDay, on_delete=models.PROTECT, related_name="signoffs")
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    totals = models.JSONField()

    class Meta:
        ordering = ["day", "at"]
        constraints = [
            models.UniqueConstraint(fields=["day", "party"], name="signoff_once_per_party")
        ]

    def __str__(self):
        return f"{self.day} {self.party_id}"
