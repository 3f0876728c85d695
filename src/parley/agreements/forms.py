"""Forms of the pages: they parse what a person typed into the plain values the services take.

Validation of areas and windows belongs to the services (and the engines behind them); a form
only checks the shape of the input and maps the services' errors back onto its fields and rows.
"""

import json
import re
import zoneinfo
from datetime import UTC, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement
from parley.engines import timewin
from parley.ui.forms import (
    LOCAL_INPUT_FORMAT,
    LocalDateTimeInput,
    ServiceErrorsMixin,
    WallClockField,
)

WINDOW_ERROR_KEY = re.compile(r"^windows\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CALENDAR_DAYS = 14


class WindowForm(forms.Form):
    """One window, entered as wall-clock times of a chosen IANA zone."""

    ONCE = "once"
    RECURRING = "recurring"

    kind = forms.ChoiceField(
        label=_("type"),
        choices=[(ONCE, _("one-off")), (RECURRING, _("recurring"))],
        widget=forms.Select(attrs={"data-window-kind": ""}),
    )
    tz = forms.CharField(
        label=_("time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "iana-zones", "autocomplete": "off", "size": 16}),
        help_text=_("IANA zone the times below are read in, e.g. Europe/Kyiv."),
    )
    start = WallClockField(
        label=_("start (local time)"),
        required=False,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
    )
    end = WallClockField(
        label=_("end (local time)"),
        required=False,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(attrs={"class": "only-once"}),
    )
    rrule = forms.CharField(
        label=_("repeats (RFC 5545 RRULE)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "FREQ=DAILY;COUNT=7"}),
    )
    duration = forms.CharField(
        label=_("lasts (ISO 8601 duration)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "PT4H", "size": 8}),
    )
    original = forms.CharField(required=False, widget=forms.HiddenInput())

    # Row fields named after the window object keys the services report errors on.
    FIELD_OF_SPEC_KEY = {"start": "start", "dtstart": "start", "end": "end", "tz": "tz",
                         "rrule": "rrule", "duration": "duration"}

    def __init__(self, *args, default_zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tz"].initial = default_zone

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("start") or data.get("end") or data.get("rrule"))

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if data.get("kind") == self.ONCE and not data.get("end"):
            self.add_error("end", _("Give the end of the window."))
        if data.get("kind") == self.RECURRING:
            if not data.get("rrule"):
                self.add_error("rrule", _("Give the rule, e.g. FREQ=DAILY;COUNT=7."))
            if not data.get("duration"):
                self.add_error("duration", _("Give the duration, e.g. PT4H."))
        if not data.get("start"):
            self.add_error("start", _("Give the start of the window."))
        return data

    def spec(self) -> dict:
        """The window object of docs/formats.md §1; an untouched prefilled row returns its
        original."""
        data = self.cleaned_data
        if data.get("original") and not self.has_changed():
            return json.loads(data["original"])
        start = data["start"].strftime("%Y-%m-%dT%H:%M:%S")
        if data["kind"] == self.ONCE:
            return {"start": start, "end": data["end"].strftime("%Y-%m-%dT%H:%M:%S"),
                    "tz": data["tz"].strip()}
        return {"rrule": data["rrule"].strip(), "dtstart": start, "tz": data["tz"].strip(),
                "duration": data["duration"].strip()}

    @staticmethod
    def initial_from_spec(spec: dict, default_zone: str) -> dict:
        """Form values showing a stored window object as its author would have typed it."""
        original = json.dumps(spec, sort_keys=True)
        if "rrule" in spec:
            return {"kind": WindowForm.RECURRING, "tz": spec.get("tz", default_zone),
                    "start": datetime.fromisoformat(spec["dtstart"]), "rrule": spec["rrule"],
                    "duration": spec.get("duration", ""), "original": original}
        zone = spec.get("tz") or default_zone

        def local(text: str) -> datetime:
            moment = timewin.parse_instant(text, spec.get("tz"))
            return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)

        return {"kind": WindowForm.ONCE, "tz": zone, "start": local(spec["start"]),
                "end": local(spec["end"]), "original": original}


class BaseWindowFormSet(forms.BaseFormSet):
    def specs(self) -> tuple[list[dict], list[int]]:
        """Window objects of the filled rows, and for each the index of its row."""
        specs, rows = [], []
        for index, form in enumerate(self.forms):
            if form.is_blank():
                continue
            specs.append(form.spec())
            rows.append(index)
        return specs, rows


WindowFormSet = forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=1, max_num=50, validate_max=True
)


class AreasField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 10, "spellcheck": "false"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON: line %(line)d, column %(column)d: %(reason)s."),
                params={"line": error.lineno, "column": error.colno, "reason": error.msg},
            ) from error


class WindowErrorsMixin(ServiceErrorsMixin):
    """A service's errors on the form, and those about windows (`windows[2].start`) on the row of
    the formset they came from (`version_kwargs` remembers which row made which window)."""

    window_rows: list[int] = []
    windows: BaseWindowFormSet | None = None

    def place_service_error(self, key: str | None, message: str) -> tuple[str | None, str] | None:
        match = WINDOW_ERROR_KEY.match(key or "")
        if match and self.windows is not None:
            index = int(match["index"])
            if index < len(self.window_rows):
                row = self.windows.forms[self.window_rows[index]]
                row.add_error(WindowForm.FIELD_OF_SPEC_KEY.get(match["field"] or ""), message)
                return None
            key = "areas"  # the windows came from the pasted areas' properties
        if key == "windows" and not self.window_rows:
            key = "areas" if "areas" in self.fields else None
        if key == "windows" and key not in self.fields and self.windows is not None:
            self.windows.non_form_errors().append(message)
            return None
        return key, message


class AreasConditionsForm(WindowErrorsMixin, forms.Form):
    """What a version of an agreement holds: areas, windows (in the formset) and conditions."""

    areas = AreasField(
        label=_("areas (GeoJSON)"),
        required=False,
        # Two messages, so that the first keeps the translations it has.
        help_text=format_lazy(
            "{} {}",
            _("Draw on the map, paste a FeatureCollection, or upload a file. Corridors are lines "
              "with width_m, sites are points with width_m (the diameter), polygons have none."),
            _("A feature may name the party in control of it (party: ukraine): a corridor across "
              "the line of contact is then one feature per side, and a movement is shown only "
              "to the parties whose side it reaches."),
        ),
    )
    areas_file = forms.FileField(label=_("or upload a GeoJSON file"), required=False)
    corridor_width = forms.IntegerField(
        label=_("width of drawn corridors (m)"), required=False, initial=2000, min_value=1,
    )
    lead_time_h = forms.IntegerField(
        label=_("notification lead time (hours)"), required=False, min_value=0
    )
    margin_min = forms.IntegerField(
        label=_("safety margin before a window closes (minutes)"), required=False, min_value=0
    )
    who_may_move = forms.CharField(
        label=_("who may move"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. ICRC and WFP convoys, marked vehicles only"),
    )
    note = forms.CharField(
        label=_("note to the other parties"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("areas_file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("areas_file", _("The file is larger than 20 MB."))
                return data
            try:
                data["areas"] = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                self.add_error(
                    "areas_file",
                    gettext("This file is not GeoJSON text: %(reason)s") % {"reason": error},
                )
        if data.get("areas") is None and "areas" not in self.errors:
            self.add_error("areas", _("Give at least one area."))
        return data

    def version_kwargs(self, windows: BaseWindowFormSet) -> dict:
        self.windows = windows
        specs, self.window_rows = windows.specs()
        data = self.cleaned_data
        return {
            "areas": data["areas"],
            "windows": specs,
            "lead_time_h": data.get("lead_time_h"),
            "margin_min": data.get("margin_min"),
            "who_may_move": data.get("who_may_move", ""),
            "note": data.get("note", ""),
        }


class ProposeForm(AreasConditionsForm):
    """A new draft: its frame (title, kind, purpose, process, parties) and its first version."""

    field_order = ["title", "kind", "purpose", "process", "round", "bound_parties", "public"]

    # Title and parties are checked by the service, so that their errors come back together
    # with those of the areas and windows instead of hiding them.
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[
        (kind, label) for kind, label in Agreement.Kind.choices if kind != Agreement.Kind.EXCHANGE
    ])
    purpose = forms.ChoiceField(label=_("purpose"), choices=Agreement.Purpose.choices)
    process = forms.ModelChoiceField(label=_("process"), queryset=None, empty_label=None)
    round = forms.ModelChoiceField(
        label=_("proposed at round"), queryset=None, required=False,
        empty_label=_("(no round yet)"),
    )
    bound_parties = forms.ModelMultipleChoiceField(
        label=_("parties bound"), queryset=None, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    public = forms.BooleanField(
        label=_("public once agreed"), required=False,
        help_text=_("Once agreed, visible to observers and everyone at the talks."),
    )

    def __init__(self, *args, processes, rounds, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        self.fields["round"].queryset = rounds
        self.fields["bound_parties"].queryset = parties
        self.fields["bound_parties"].label_from_instance = lambda party: party.name
        if not self.is_bound:
            self.initial.setdefault("process", processes.first())
            self.initial.setdefault("round", rounds.order_by("-date").first())
            self.initial.setdefault(
                "bound_parties", [p.pk for p in parties if p.is_belligerent]
            )

    def service_kwargs(self, windows: BaseWindowFormSet) -> dict:
        data = self.cleaned_data
        return {
            "process": data["process"],
            "round": data.get("round"),
            "kind": data["kind"],
            "title": data["title"],
            "purpose": data["purpose"],
            "bound_parties": list(data["bound_parties"]),
            "public": data.get("public", False),
            **self.version_kwargs(windows),
        }


class CounterForm(AreasConditionsForm):
    """A counter-proposal: a new version, prefilled from the version it answers."""

    version = forms.IntegerField(widget=forms.HiddenInput())

    def service_kwargs(self, windows: BaseWindowFormSet) -> dict:
        return {"version": self.cleaned_data["version"], **self.version_kwargs(windows)}

    @staticmethod
    def initial_from_version(version) -> dict:
        return {
            "version": version.number,
            "areas": json.dumps(version.areas, indent=1, ensure_ascii=False),
            "lead_time_h": version.lead_time_h,
            "margin_min": version.margin_min,
            "who_may_move": version.who_may_move,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000)


class ConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())


class CalendarRangeForm(forms.Form):
    start = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(
        attrs={"type": "date"}))
    days = forms.IntegerField(label=_("days"), required=False, min_value=1, max_value=62)

    def range(self, today) -> tuple[datetime, datetime, int]:
        data = self.cleaned_data if self.is_valid() else {}
        day = data.get("start") or today
        days = data.get("days") or CALENDAR_DAYS
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start, start + timedelta(days=days), days


def _window_formset(request, initial=None) -> BaseWindowFormSet:
    return WindowFormSet(
        request.POST or None, initial=initial, prefix="windows",
        form_kwargs={"default_zone": request.user.zone},
    )


def propose_forms(request, *, processes, rounds, parties) -> tuple[ProposeForm, BaseWindowFormSet]:
    """The form of a new draft and its windows, bound to the request's POST if any."""
    form = ProposeForm(request.POST or None, request.FILES or None, processes=processes,
                       rounds=rounds, parties=parties)
    return form, _window_formset(request)


def counter_forms(request, current) -> tuple[CounterForm, BaseWindowFormSet]:
    """A counter-proposal's form and windows, prefilled from the version it answers."""
    form = CounterForm(request.POST or None, request.FILES or None,
                       initial=CounterForm.initial_from_version(current))
    windows = _window_formset(request, initial=[
        WindowForm.initial_from_spec(spec, request.user.zone) for spec in current.windows
    ])
    return form, windows
