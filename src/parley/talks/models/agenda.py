"""The agenda of the talks and the positions the parties take on each item."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read a position, chosen by the party that takes it (widest last)."""

    OWN = "own", _("Own delegation only")
    MEDIATOR = "mediator", _("Shared with the mediator")
    PARTIES = "parties", _("Shared with all parties")
    PUBLIC = "public", _("Public")


class AgendaItem(models.Model):
    """An item of the process's agenda; it is tabled at one or more rounds and keeps its number,
    so that the parties' positions on it can be followed from round to round."""

    class Topic(models.TextChoices):
        PAUSES = "pauses", _("Humanitarian pauses")
        EXCHANGES = "exchanges", _("Prisoner exchanges")
        CEASEFIRES = "ceasefires", _("Local ceasefires")
        ACCESS = "access", _("Humanitarian access")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UNDER_DISCUSSION = "discussion", _("Under discussion")
        AGREED_IN_PRINCIPLE = "in_principle", _("Agreed in principle")
        AGREED = "agreed", _("Agreed")
        DEFERRED = "deferred", _("Deferred")
        DROPPED = "dropped", _("Dropped")

    process = models.ForeignKey(
        "talks.Process", verbose_name=_("process"), on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    rounds = models.ManyToManyField(
        "talks.Round", verbose_name=_("rounds"), related_name="agenda_items"
    )
    agreements = models.ManyToManyField(
        "agreements.Agreement", verbose_name=_("agreements"), blank=True, related_name="+"
    )
    text = models.ForeignKey(
        "talks.DraftText", verbose_name=_("negotiating text"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="agenda_items",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="agenda_item_number")
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.number}. {self.title}"


class Position(models.Model):
    """What a party said on an item at a round. A new round's statement is a new row, so the
    rows of one party and kind are the history of its stance."""

    class Kind(models.TextChoices):
        DEMAND = "demand", _("Demand")
        OFFER = "offer", _("Offer")
        CONCESSION = "concession", _("Concession")
        RED_LINE = "red_line", _("Red line")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE,
        related_name="positions",
    )
    round = models.ForeignKey(
        "talks.Round", verbose_name=_("round"), on_delete=models.CASCADE, related_name="positions"
    )
    party = models.ForeignKey(
        "core.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.OWN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "round__date", "party", "kind", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return f"{self.item} / {self.party} / {self.get_kind_display()}"


class MediatorNote(models.Model):
    """The mediator's own notes on an item: the secretariat's eyes only."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE,
        related_name="mediator_notes",
    )
    round = models.ForeignKey(
        "talks.Round", verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("mediator's note")
        verbose_name_plural = _("mediator's notes")

    def __str__(self):
        return f"{self.item} / {self.round}"
