"""Forms of the exchange pages: they parse input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement
from parley.core.models import Party
from parley.exchanges.models import Category, Outcome, PersonList, PersonStatus
from parley.exchanges.wording import FIELD_LABELS, FORMULA_NAMES, SERIOUS_LABEL
from parley.talks.models import Process
from parley.ui.forms import DateInput, LabelledModelChoiceField, form_field

IDENTITY_INPUTS = ("family_name", "given_name", "patronymic", "date_of_birth", "place_of_birth",
                   "rank", "service_number", "military_unit", "power_depended_on", "next_of_kin",
                   "mothers_maiden_name", "sex", "date_of_capture", "place_of_capture", "health")


class UploadForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200,
                            help_text=_("Uploading again under the same title replaces the "
                                        "list's content."))
    side = forms.ChoiceField(label=_("list of"), choices=PersonList.Side.choices,
                             widget=forms.RadioSelect)
    counterpart: forms.ModelChoiceField[Party] = forms.ModelChoiceField(
        label=_("counterpart"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("file"), help_text=_(
        "CSV (UTF-8) or XLSX with a record_id column and any of the person-list columns. "
        "The whole file is saved, or nothing."))

    def __init__(self, *args, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "counterpart", forms.ModelChoiceField).queryset = counterparts


class FilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=[("", _("all"))] + list(Category.choices))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all"))] + list(PersonStatus.choices))
    serious = forms.BooleanField(label=SERIOUS_LABEL, required=False)
    withdrawn = forms.BooleanField(label=_("no longer on the list"), required=False)


class CorrectionForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in IDENTITY_INPUTS:
            self.fields[name] = forms.CharField(label=FIELD_LABELS[name], required=False,
                                                max_length=500)


def _list_label(item: PersonList) -> str:
    return f"{item.party.name} · {item.title}"


class ReconcileForm(forms.Form):
    held_list = LabelledModelChoiceField[PersonList](
        label=_("persons held"), queryset=None, empty_label=None, option_label=_list_label)
    sought_list = LabelledModelChoiceField[PersonList](
        label=_("persons sought"), queryset=None, empty_label=None, option_label=_list_label)

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "held_list", forms.ModelChoiceField).queryset = (
            lists.filter(side=PersonList.Side.HELD))
        form_field(self, "sought_list", forms.ModelChoiceField).queryset = (
            lists.filter(side=PersonList.Side.SOUGHT))


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    process: forms.ModelChoiceField[Process] = forms.ModelChoiceField(
        label=_("process"), queryset=None, empty_label=None)
    formula = forms.ChoiceField(label=_("formula"), choices=list(FORMULA_NAMES.items()))
    category = forms.ChoiceField(label=_("category"), required=False, choices=[
        ("", "—"), ("seriously_wounded_or_sick", SERIOUS_LABEL), *Category.choices])
    party_a: forms.ModelChoiceField[Party] = forms.ModelChoiceField(
        label=_("first party"), queryset=None, empty_label=None)
    count_a = forms.IntegerField(label=_("N: persons the first party releases"), required=False,
                                 min_value=1)
    party_b: forms.ModelChoiceField[Party] = forms.ModelChoiceField(
        label=_("second party"), queryset=None, empty_label=None)
    count_b = forms.IntegerField(label=_("M: persons the second party releases"),
                                 required=False, min_value=1)
    place = forms.CharField(label=_("place of handover"), max_length=200)
    days = forms.CharField(label=_("days of handover"), help_text=_(
        "One or more dates, YYYY-MM-DD, separated by spaces or commas."))
    pause = LabelledModelChoiceField[Agreement](
        label=_("under the pause"), required=False, queryset=None, to_field_name="code",
        option_label=lambda item: f"{item.code} {item.title}")
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, processes, pauses, belligerents, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "process", forms.ModelChoiceField).queryset = processes
        form_field(self, "party_a", forms.ModelChoiceField).queryset = belligerents
        form_field(self, "party_b", forms.ModelChoiceField).queryset = belligerents
        form_field(self, "pause", forms.ModelChoiceField).queryset = pauses


class CounterForm(forms.Form):
    place = forms.CharField(label=_("place of handover"), max_length=200)
    days = forms.CharField(label=_("days of handover"))
    note = forms.CharField(label=_("note"), required=False)


class InterviewForm(forms.Form):
    identity_confirmed = forms.BooleanField(label=_("identity confirmed"), required=False)
    wishes_repatriation = forms.TypedChoiceField(
        label=_("wishes to be repatriated"), coerce=lambda value: value == "yes",
        choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect)
    fit_to_travel = forms.BooleanField(label=_("fit to travel"), required=False)
    note = forms.CharField(label=_("private note"), required=False, max_length=2000)


class HandoverForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"),
                                choices=[c for c in Outcome.choices if c[0]])
    day = forms.DateField(label=_("day"), widget=DateInput())


def split_days(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]
