"""Forms of the talks' pages: they parse what a person typed into the values the services take.
Times are wall-clock times in a chosen IANA zone; the services store them in UTC."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parley.talks.models import AgendaItem, Commitment, CommitmentEvidence, Position, Session
from parley.talks.models import Visibility as VisibilityChoice
from parley.ui.forms import DateInput, LocalDateTimeInput, WallClockField, form_field


def _zone_choices(zones: list[str]) -> list[tuple[str, str]]:
    return [(zone, zone) for zone in dict.fromkeys([*zones, "UTC"])]


class ZonedForm(forms.Form):
    zone = forms.ChoiceField(label=_("time zone"))

    def __init__(self, *args, zones: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "zone", forms.ChoiceField).choices = _zone_choices(zones)

    def aware(self, naive):
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(self.cleaned_data["zone"]))


class RoundForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    date = forms.DateField(label=_("date"), widget=DateInput())
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    format = forms.ChoiceField(label=_("format"), choices=Session.Kind.choices)


class SessionForm(ZonedForm):
    kind = forms.ChoiceField(label=_("kind"), choices=Session.Kind.choices)
    starts_at = WallClockField(label=_("starts"), widget=LocalDateTimeInput())
    ends_at = WallClockField(label=_("ends"), widget=LocalDateTimeInput())
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    parties = forms.MultipleChoiceField(label=_("delegations present"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    members = forms.MultipleChoiceField(
        label=_("members present"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked for a delegation: all of its members."))

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegations = {str(d.party_id): d for d in delegations}
        form_field(self, "parties", forms.ChoiceField).choices = [
            (str(d.party_id), d.party.name) for d in delegations]
        form_field(self, "members", forms.ChoiceField).choices = [
            (str(m.pk), f"{m.get_full_name() or m.username} ({d.party.name})")
            for d in delegations for m in d.members.all()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        ticked = set(data["members"])
        attendance = {}
        for pk in data["parties"]:
            delegation = self.delegations[pk]
            everyone = list(delegation.members.all())
            attendance[delegation.party] = [m for m in everyone if str(m.pk) in ticked] \
                or everyone
        return {"kind": data["kind"], "starts_at": self.aware(data["starts_at"]),
                "ends_at": self.aware(data["ends_at"]), "venue": data["venue"],
                "attendance": attendance}


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    topic = forms.ChoiceField(label=_("topic"), choices=AgendaItem.Topic.choices)


class TableItemForm(forms.Form):
    item = forms.ChoiceField(label=_("item of an earlier round"))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        form_field(self, "item", forms.ChoiceField).choices = [
            (pk, str(item)) for pk, item in self.items.items()]


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=AgendaItem.Status.choices)


class PositionForm(forms.Form):
    round = forms.ChoiceField(label=_("round"))
    kind = forms.ChoiceField(label=_("kind"), choices=Position.Kind.choices)
    text = forms.CharField(label=pgettext_lazy("negotiating stance", "position"),
                           widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("who may read it"), choices=VisibilityChoice.choices,
        initial=VisibilityChoice.OWN,
        help_text=_("Your party's own delegation always reads it; choose who else may."))

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {str(r.pk): r for r in rounds}
        form_field(self, "round", forms.ChoiceField).choices = [
            (pk, r.name) for pk, r in self.rounds.items()]
        if rounds:
            self.fields["round"].initial = str(rounds[-1].pk)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("the mediator's note"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class ProvisionForm(forms.Form):
    article = forms.IntegerField(label=_("article"), min_value=1)
    paragraph = forms.IntegerField(label=_("paragraph"), min_value=1)
    body = forms.CharField(label=_("agreed wording"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Leave empty while the wording is in brackets."))
    terms = forms.ChoiceField(label=_("operational terms"), required=False,
                              choices=[("", _("none")), ("window_hours", _("window length")),
                                       ("area_count", _("number of areas"))])


class WordingForm(forms.Form):
    wording = forms.CharField(label=_("your wording"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    bracket = forms.ChoiceField(label=_("alternative"), required=False)
    wording = forms.CharField(label=_("or a compromise wording"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, brackets, **kwargs):
        super().__init__(*args, **kwargs)
        self.brackets = {str(b.pk): b for b in brackets}
        form_field(self, "bracket", forms.ChoiceField).choices = [("", "—")] + [
            (pk, f"{b.party.name}: {b.wording[:80]}") for pk, b in self.brackets.items()]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))
    visibility = forms.ChoiceField(label=_("who may read it"), choices=VisibilityChoice.choices,
                                   initial=VisibilityChoice.PARTIES)


class KeyForm(forms.Form):
    public_key = forms.CharField(
        label=_("public key"), max_length=64,
        help_text=_("The line `parley text keygen` prints; the private key stays with your "
                    "delegation."))


class SignatureForm(forms.Form):
    signature = forms.CharField(
        label=_("signature"), max_length=128,
        help_text=_("Run `parley text sign --key YOUR-KEY EXPORT` on the export above and "
                    "paste what it prints."))


class CommitmentForm(ZonedForm):
    party = forms.ChoiceField(label=_("party"))
    what = forms.CharField(label=_("what"), widget=forms.Textarea(attrs={"rows": 2}))
    due_at = WallClockField(label=_("by when"), widget=LocalDateTimeInput())
    verification = forms.CharField(label=_("how it is verified"),
                                   widget=forms.Textarea(attrs={"rows": 2}))
    provision = forms.ChoiceField(label=_("provision"), required=False)

    def __init__(self, *args, parties, provisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {str(p.pk): p for p in parties}
        self.provisions = {str(p.pk): p for p in provisions}
        form_field(self, "party", forms.ChoiceField).choices = [
            (pk, p.name) for pk, p in self.parties.items()]
        form_field(self, "provision", forms.ChoiceField).choices = [("", "—")] + [
            (pk, f"{p.text.agreement.code} {p.number}") for pk, p in self.provisions.items()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"party": self.parties[data["party"]], "what": data["what"],
                "due_at": self.aware(data["due_at"]), "verification": data["verification"],
                "provision": self.provisions.get(data["provision"])}


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Commitment.Status.choices)
    evidence_kind = forms.ChoiceField(label=_("evidence"), required=False,
                                      choices=[("", "—"), *CommitmentEvidence.Kind.choices])
    evidence_reference = forms.CharField(
        label=pgettext_lazy("evidence", "reference"), required=False, max_length=300,
        help_text=_("An event reference (EV-…), a movement, an exchange, a file name or a "
                    "link."))
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def evidence(self) -> list[tuple[str, str]]:
        kind = self.cleaned_data["evidence_kind"]
        reference = self.cleaned_data["evidence_reference"]
        return [(kind, reference)] if kind or reference else []


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("your party's answer"),
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommuniqueForm(forms.Form):
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}))


def add_service_errors(form: forms.Form, error) -> None:
    """A service's ValidationError onto the form: on the field it names, else the whole form."""
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


class TextForm(forms.Form):
    agreement = forms.ChoiceField(label=_("agreement"))
    title = forms.CharField(label=_("title"), max_length=200)

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = {a.code: a for a in agreements}
        form_field(self, "agreement", forms.ChoiceField).choices = [(code, f"{code} {a.title}")
                                            for code, a in self.agreements.items()]
