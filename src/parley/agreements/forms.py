"""Forms of the pages: they parse what a person typed into the plain values the services take.

Validation of areas and windows belongs to the services (and the engines behind them); a form
only checks the shape of the input and maps the services' errors back onto its fields and rows.
"""

import json
import math
import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement, CalendarFeed
from parley.core.models import Party
from parley.core.validation import form_bounds
from parley.engines import bounds, geo, timewin
from parley.talks.models import Process, Round
from parley.ui.forms import (
    LOCAL_INPUT_FORMAT,
    DateInput,
    LabelledModelMultipleChoiceField,
    LocalDateTimeInput,
    ServiceErrorsMixin,
    WallClockField,
    ZoneSelect,
    form_field,
)

WINDOW_ERROR_KEY = re.compile(r"^windows\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_CORRIDOR_M = 2000
CALENDAR_DAYS = 14


class WindowForm(forms.Form):
    """One window, entered as wall-clock times of a chosen IANA zone.

    A recurrence builder writes the RRULE behind the scenes: every day, weekdays, chosen days of
    the week from a first day until a last day between two clock times, or on a list of dates.
    A rule the builder cannot express is kept and edited as a custom RRULE.
    """

    ONCE = "once"
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    DAYS = "days"
    DATES = "dates"
    RECURRING = "recurring"
    BUILT = (DAILY, WEEKDAYS, DAYS)

    kind = forms.ChoiceField(
        label=_("when"),
        choices=[(ONCE, _("once")), (DAILY, _("every day")), (WEEKDAYS, _("weekdays")),
                 (DAYS, _("on chosen days of the week")), (DATES, _("on these dates")),
                 (RECURRING, _("custom rule (RRULE)"))],
        widget=forms.Select(attrs={"data-window-kind": ""}),
    )
    tz = forms.CharField(
        label=_("time zone"),
        max_length=64,
        widget=ZoneSelect(),
        help_text=_("The times of this row are read on this clock."),
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
        widget=LocalDateTimeInput(),
    )
    first_day = forms.DateField(label=_("from"), required=False,
                                widget=DateInput())
    last_day = forms.DateField(label=_("until"), required=False,
                               widget=DateInput())
    days = forms.MultipleChoiceField(
        label=_("days of the week"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("MO", _("Mon")), ("TU", _("Tue")), ("WE", _("Wed")), ("TH", _("Thu")),
                 ("FR", _("Fri")), ("SA", _("Sat")), ("SU", _("Sun"))],
    )
    dates = forms.CharField(
        label=_("dates"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "2026-12-05, 2026-12-09", "size": 28}),
        help_text=_("Days as YYYY-MM-DD, separated by commas."),
    )
    from_time = forms.TimeField(label=_("from (clock time)"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    to_time = forms.TimeField(label=_("to (clock time)"), required=False,
                              widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                              help_text=_("Earlier than the start: the window ends the next day."))
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
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")
        if kind in self.BUILT + (self.DATES,):
            # Errors of a built rule concern the days and clock times the person entered.
            self.FIELD_OF_SPEC_KEY = {**self.FIELD_OF_SPEC_KEY, "dtstart": "first_day",
                                      "rrule": "last_day", "duration": "to_time",
                                      "start": "dates", "end": "to_time"}

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("start") or data.get("end") or data.get("rrule")
                    or data.get("first_day") or data.get("dates") or data.get("from_time"))

    def clean_dates(self):
        days = []
        for number, text in enumerate(re.split(r"[,;\s]+", self.cleaned_data["dates"].strip()), 1):
            if not text:
                continue
            try:
                days.append(date.fromisoformat(text))
            except ValueError as error:
                raise ValidationError(
                    _("Date %(number)s, %(text)s, is not a day written as YYYY-MM-DD."),
                    params={"number": number, "text": text}) from error
        return sorted(set(days))

    def clean(self):
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        if self.is_blank():
            return data
        kind = data.get("kind")
        if kind == self.ONCE and not data.get("end"):
            self.add_error("end", _("Give the end of the window."))
        if kind == self.RECURRING:
            if not data.get("rrule"):
                self.add_error("rrule", _("Give the rule, e.g. FREQ=DAILY;COUNT=7."))
            if not data.get("duration"):
                self.add_error("duration", _("Give the duration, e.g. PT4H."))
        if kind in (self.ONCE, self.RECURRING) and not data.get("start"):
            self.add_error("start", _("Give the start of the window."))
        if kind in self.BUILT + (self.DATES,):
            for field in ("from_time", "to_time"):
                if not data.get(field):
                    self.add_error(field, _("Give the clock time."))
            if data.get("from_time") and data.get("from_time") == data.get("to_time"):
                self.add_error("to_time", _("The window must end at another time than it starts."))
        if kind in self.BUILT:
            if not data.get("first_day"):
                self.add_error("first_day", _("Give the first day."))
            if not data.get("last_day"):
                self.add_error("last_day", _("Give the last day."))
            elif data.get("first_day") and data["last_day"] < data["first_day"]:
                self.add_error("last_day", _("The last day is before the first day."))
            if kind == self.DAYS and not data.get("days"):
                self.add_error("days", _("Choose at least one day of the week."))
        if kind == self.DATES and not data.get("dates"):
            self.add_error("dates", _("Give at least one date."))
        return data

    def _length(self) -> timedelta:
        data = self.cleaned_data
        start = datetime.combine(date(2000, 1, 3), data["from_time"])
        end = datetime.combine(date(2000, 1, 3), data["to_time"])
        return end - start if end > start else end + timedelta(days=1) - start

    def specs(self) -> list[dict]:
        """The window objects of docs/formats.md §1 this row stands for (several for a list of
        dates); an untouched prefilled row returns its original."""
        data = self.cleaned_data
        if data.get("original") and not self.has_changed():
            return [json.loads(data["original"])]
        zone = data["tz"]
        kind = data["kind"]
        if kind == self.ONCE:
            return [{"start": data["start"].strftime("%Y-%m-%dT%H:%M:%S"),
                     "end": data["end"].strftime("%Y-%m-%dT%H:%M:%S"), "tz": zone}]
        if kind == self.RECURRING:
            return [{"rrule": data["rrule"].strip(),
                     "dtstart": data["start"].strftime("%Y-%m-%dT%H:%M:%S"), "tz": zone,
                     "duration": data["duration"].strip()}]
        length = self._length()
        if kind == self.DATES:
            specs = []
            for day in data["dates"]:
                start = datetime.combine(day, data["from_time"])
                specs.append({"start": start.strftime("%Y-%m-%dT%H:%M:%S"),
                              "end": (start + length).strftime("%Y-%m-%dT%H:%M:%S"), "tz": zone})
            return specs
        first = datetime.combine(data["first_day"], data["from_time"])
        last = datetime.combine(data["last_day"], data["from_time"])
        until = timewin.parse_instant(last.strftime("%Y-%m-%dT%H:%M:%S"), zone).astimezone(UTC)
        days = {self.DAILY: [], self.WEEKDAYS: list(WEEKDAY_ORDER[:5]),
                self.DAYS: sorted(data["days"], key=WEEKDAY_ORDER.index)}[kind]
        byday = ";BYDAY=" + ",".join(days) if days else ""
        frequency = "DAILY" if kind == self.DAILY else "WEEKLY"
        return [{"rrule": f"FREQ={frequency}{byday};UNTIL={until:%Y%m%dT%H%M%SZ}",
                 "dtstart": first.strftime("%Y-%m-%dT%H:%M:%S"), "tz": zone,
                 "duration": timewin.format_duration(length)}]

    @staticmethod
    def initial_from_spec(spec: dict, default_zone: str) -> dict:
        """Form values showing a stored window object as its author would have entered it: a
        rule the builder can express in the builder, any other rule as a custom RRULE."""
        original = json.dumps(spec, sort_keys=True)
        if "rrule" in spec:
            built = _built_rule(spec)
            if built:
                return {**built, "tz": spec["tz"], "original": original}
            return {"kind": WindowForm.RECURRING, "tz": spec.get("tz", default_zone),
                    "start": datetime.fromisoformat(spec["dtstart"]), "rrule": spec["rrule"],
                    "duration": spec.get("duration", ""), "original": original}
        zone = spec.get("tz") or default_zone

        def local(text: str) -> datetime:
            moment = timewin.parse_instant(text, spec.get("tz"))
            return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)

        return {"kind": WindowForm.ONCE, "tz": zone, "start": local(spec["start"]),
                "end": local(spec["end"]), "original": original}


def _built_rule(spec: dict) -> dict | None:
    """The builder's values for a daily or weekly rule of fewer than 24 hours a day, or None."""
    parts = dict(item.partition("=")[::2] for item in spec["rrule"].upper().split(";"))
    if not set(parts) <= {"FREQ", "BYDAY", "COUNT", "UNTIL"}:
        return None
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    try:
        recurrence = timewin.parse_window_spec(spec)
        occurrences = timewin.expand([recurrence])
    except timewin.WindowError:
        return None
    assert isinstance(recurrence, timewin.Recurrence)  # the spec has an rrule
    if not occurrences or recurrence.duration >= timedelta(days=1) or \
            any(day not in WEEKDAY_ORDER for day in days):
        return None
    if parts.get("FREQ") == "DAILY" and not days:
        kind = WindowForm.DAILY
    elif parts.get("FREQ") in ("DAILY", "WEEKLY") and days:
        ordered = sorted(days, key=WEEKDAY_ORDER.index)
        kind = WindowForm.WEEKDAYS if ordered == list(WEEKDAY_ORDER[:5]) else WindowForm.DAYS
    else:
        return None
    zone = zoneinfo.ZoneInfo(recurrence.tz)
    start = recurrence.dtstart
    return {"kind": kind, "days": days, "first_day": start.date(),
            "last_day": occurrences[-1].start.astimezone(zone).date(),
            "from_time": start.time(), "to_time": (start + recurrence.duration).time()}


WEEKDAY_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class BaseWindowFormSet(forms.BaseFormSet):
    def specs(self) -> tuple[list[dict], list[int]]:
        """Window objects of the filled rows, and for each the index of its row."""
        specs, rows = [], []
        for index, form in enumerate(self.forms):
            if form.is_blank():
                continue
            for spec in form.specs():
                specs.append(spec)
                rows.append(index)
        return specs, rows


# formset_factory makes a subclass of `formset`; django-stubs types it as the base BaseFormSet.
WindowFormSet = cast(type[BaseWindowFormSet], forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=1, max_num=50, validate_max=True
))


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
                row.add_error(row.FIELD_OF_SPEC_KEY.get(match["field"] or ""), message)
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
        label=_("width of drawn corridors (m)"), required=False, initial=DEFAULT_CORRIDOR_M,
        min_value=1,
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
        assert data is not None  # forms.Form.clean returns cleaned_data
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
        # A pasted bare geometry is one area; a bare line, which cannot carry its width, takes
        # the width of drawn corridors, as it does when the map draws it.
        data["areas"] = geo.as_feature_collection(
            data.get("areas"), line_width_m=data.get("corridor_width") or DEFAULT_CORRIDOR_M)
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
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"required": True}))
    kind = forms.ChoiceField(label=_("kind"), choices=[
        (kind, label) for kind, label in Agreement.Kind.choices if kind != Agreement.Kind.EXCHANGE
    ])
    purpose = forms.ChoiceField(label=_("purpose"), choices=Agreement.Purpose.choices)
    process: forms.ModelChoiceField[Process] = forms.ModelChoiceField(
        label=_("process"), queryset=None, empty_label=None)
    round: forms.ModelChoiceField[Round] = forms.ModelChoiceField(
        label=_("proposed at round"), queryset=None, required=False,
        empty_label=_("(no round yet)"),
    )
    bound_parties = LabelledModelMultipleChoiceField[Party](
        label=_("parties bound"), queryset=None, widget=forms.CheckboxSelectMultiple,
        required=False, option_label=lambda party: party.name,
    )
    public = forms.BooleanField(
        label=_("public once agreed"), required=False,
        help_text=_("Once agreed, visible to observers and everyone at the talks."),
    )

    def __init__(self, *args, processes, rounds, parties, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "process", forms.ModelChoiceField).queryset = processes
        form_field(self, "round", forms.ModelChoiceField).queryset = rounds
        form_field(self, "bound_parties", forms.ModelChoiceField).queryset = parties
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
    start = forms.DateField(label=_("from"), required=False, widget=DateInput())
    days = forms.IntegerField(label=_("days"), required=False, **form_bounds("calendar_days"))

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and bounds.day_problem(start) is not None:
            raise ValidationError(gettext("Give a day from %(span)s.")
                                  % {"span": bounds.SPAN_TEXT})
        return start

    def range(self, today, zone: str = "UTC") -> tuple[datetime, datetime, int]:
        """The days asked for, read on the clock of `zone`: the UTC instants of the first day's
        midnight and of the midnight after the last day (a clock change counted), and how many
        days."""
        data = self.cleaned_data if self.is_valid() else {}
        day = data.get("start") or today
        days = data.get("days") or CALENDAR_DAYS
        tz = zoneinfo.ZoneInfo(zone)
        after = day + timedelta(days=days)
        start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        return start, datetime(after.year, after.month, after.day, tzinfo=tz).astimezone(UTC), days


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


class AgreementFilterForm(forms.Form):
    """The filters of the agreements index, read from the URL (a GET form): a wrong value is
    shown as an error on its field and that filter is left out."""

    q = forms.CharField(label=_("code or title contains"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("status"), required=False,
        choices=[("", _("any status")), *Agreement.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("any kind")), *Agreement.Kind.choices]
    )
    party = forms.TypedChoiceField(label=_("party"), required=False, coerce=int, empty_value=None)
    active = forms.BooleanField(label=_("a window is open now"), required=False)
    bbox = forms.CharField(
        label=_("area on the map"), required=False, max_length=100,
        help_text=_("West, south, east, north in degrees (longitude first), e.g. "
                    "34.0,47.0,36.0,48.0; or draw a rectangle on the map."),
    )

    def clean_bbox(self):
        """`minlon,minlat,maxlon,maxlat` as four floats, or None when empty."""
        text = (self.cleaned_data.get("bbox") or "").strip()
        if not text:
            return None
        parts = text.split(",")
        try:
            values = [float(part) for part in parts]
        except ValueError:
            values = []
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            raise ValidationError(_("Give four numbers separated by commas: west, south, east, "
                                    "north (e.g. 34.0,47.0,36.0,48.0)."))
        west, south, east, north = values
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise ValidationError(_("Longitudes (the first and third numbers) must be within "
                                    "-180..180."))
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            raise ValidationError(_("Latitudes (the second and fourth numbers) must be within "
                                    "-90..90."))
        if west >= east or south >= north:
            raise ValidationError(_("West must be less than east and south less than north."))
        return (west, south, east, north)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "party", forms.ChoiceField).choices = [
            ("", _("any party")), *((party.pk, party.name) for party in parties)
        ]

    def query(self) -> dict:
        """The valid filters as keyword arguments of `selectors.AgreementQuery`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": data.get("q") or "",
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "party_id": data.get("party"),
            "active_now": bool(data.get("active")),
            "bbox": data.get("bbox"),
        }


class CalendarFeedForm(ServiceErrorsMixin, forms.Form):
    """A new calendar subscription: a label to recognise it by, and which feed it opens."""

    label = forms.CharField(label=_("label"), max_length=100,
                            help_text=_("To recognise it later, e.g. “phone”."))
    kind = forms.ChoiceField(label=_("feed"), choices=CalendarFeed.Kind.choices,
                             initial=CalendarFeed.Kind.PAUSES)
    agreement_code = forms.CharField(label=_("agreement code"), max_length=40, required=False,
                                     help_text=_("Only for one agreement's windows."))


class ContactLineForm(ServiceErrorsMixin, forms.Form):
    """The secretariat's import of the contact line: a GeoJSON file or pasted GeoJSON, and the
    day the line describes. The service validates the geometry (`contact_line_import`)."""

    file = forms.FileField(label=_("GeoJSON file"), required=False,
                           help_text=_("A LineString or MultiLineString (a Feature or a "
                                       "FeatureCollection of them), longitude first."))
    geometry = forms.CharField(label=_("or paste the GeoJSON"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    valid_on = forms.DateField(label=_("valid on"), widget=DateInput(),
                               help_text=_("The day the line describes; shown on the maps."))
    source = forms.CharField(label=_("source"), required=False, max_length=200,
                             help_text=_("Where the line comes from, e.g. a monitoring report."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        upload = data.get("file")
        if upload is not None:
            if upload.size > 2 * 1024 * 1024:
                self.add_error("file", _("The file is larger than 2 MB."))
            else:
                data["geometry"] = upload.read()
        if not data.get("geometry"):
            self.add_error("geometry", _("Choose a GeoJSON file or paste the GeoJSON."))
        return data
