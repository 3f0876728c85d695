"""Forms of the monitoring pages: they parse input; the services validate and decide."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.engines import bounds
from parley.monitoring.models import Event
from parley.monitoring.services import FEED_KINDS, REPORT_TYPES, SOURCE_NAMES
from parley.ui.clock import local_days, zone_name
from parley.ui.forms import DateInput, LocalDateTimeInput, form_field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("format"), choices=[(kind, SOURCE_NAMES[kind]) for kind in FEED_KINDS]
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_("Parley CSV (id, lat, lon, time, precision_m), an ACLED export or a NASA "
                    "FIRMS CSV. The whole file is imported, or nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PARLEY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                gettext("The file is larger than %(limit)s MB, the most this server accepts "
                        "(PARLEY_UPLOAD_MAX_BYTES). Split it, for instance by date.")
                % {"limit": f"{limit / (1024 * 1024):g}"})
        return upload


class ReportForm(forms.Form):
    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any"}))
    time = forms.DateTimeField(
        label=_("time"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=LocalDateTimeInput(),
        help_text=_("Local time in the zone below."),
    )
    zone = forms.ChoiceField(label=_("time zone"))
    type = forms.ChoiceField(label=_("type"), choices=list(REPORT_TYPES.items()),
                             widget=forms.RadioSelect)
    precision_m = forms.IntegerField(label=_("location precision (m)"), min_value=0,
                                     max_value=100_000, initial=0)
    description = forms.CharField(label=_("what was seen or heard"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    # A field named `files`: the forms' metaclass moves declared fields into `base_fields`, so
    # `form.files` stays the uploads; django-stubs takes the declaration for that attribute.
    files = MultipleFileField(label=_("photos and files"))  # type: ignore[assignment]

    def __init__(self, *args, zones: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "zone", forms.ChoiceField).choices = [(zone, zone) for zone in zones]
        self.fields["zone"].initial = zones[0]

    def service_kwargs(self) -> dict:
        """The time as entered on the clock of `zone`: Django made it aware in UTC, so its
        wall-clock reading is kept and the zone given alongside."""
        data = self.cleaned_data
        wall_clock = data["time"].replace(tzinfo=None).isoformat()
        return {"lat": data["lat"], "lon": data["lon"], "time": wall_clock,
                "zone": data["zone"], "type": data["type"], "precision_m": data["precision_m"],
                "description": data["description"], "files": data["files"]}


class VerifyForm(forms.Form):
    to = forms.ChoiceField(choices=[(s, s) for s in (
        Event.Status.UNDER_REVIEW, Event.Status.CONFIRMED, Event.Status.DISMISSED,
        Event.Status.UNVERIFIABLE)])
    reasoning = forms.CharField(label=_("reasoning"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    files = MultipleFileField(label=_("evidence"))  # type: ignore[assignment]  # as above


class AccountForm(forms.Form):
    text = forms.CharField(label=_("your party's account"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    shared = forms.BooleanField(
        label=_("share with the other parties"), required=False,
        help_text=_("The secretariat and the monitors see every account; the other parties "
                    "only those shared."),
    )


class SettingsForm(forms.Form):
    @classmethod
    def for_rule(cls, rule) -> "SettingsForm | None":
        """The form prefilled from the rule; None when the reader may not set it."""
        if rule is None:
            return None
        return cls(initial={"group_distance_m": rule.group_distance_m,
                            "group_minutes": rule.group_minutes})

    group_distance_m = forms.IntegerField(label=_("grouping distance (m)"), min_value=0,
                                          max_value=100_000)
    group_minutes = forms.IntegerField(label=_("grouping time (minutes)"), min_value=0,
                                       max_value=7 * 24 * 60)


class EventFilterForm(forms.Form):
    """The filters of the events list, read from the URL; days are read on the reader's clock.
    A wrong value is shown on its field and that filter left out."""

    q = forms.CharField(label=_("reference contains"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("status"), required=False)
    agreement = forms.ChoiceField(label=_("agreement"), required=False)
    area = forms.CharField(label=_("area"), required=False, max_length=60)
    party = forms.TypedChoiceField(label=_("party bound"), required=False, coerce=int,
                                   empty_value=None)
    since = forms.DateField(label=_("from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("until"), required=False, widget=DateInput())
    # The UTC day of the earlier version of this page (links from the dashboard use it).
    day = forms.DateField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, statuses, agreements=(), parties=(), zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        form_field(self, "status", forms.ChoiceField).choices = [
            ("", _("any status")), *statuses.items()]
        form_field(self, "agreement", forms.ChoiceField).choices = [
            ("", _("any agreement")),
            *((agreement.code, f"{agreement.code} {agreement.title}") for agreement in agreements),
        ]
        form_field(self, "party", forms.ChoiceField).choices = [
            ("", _("any party")), *((party.pk, party.name) for party in parties)
        ]
        zone_label = zone_name(zone)
        self.fields["since"].label = format_lazy("{} ({})", _("from"), zone_label)
        self.fields["until"].label = format_lazy("{} ({})", _("until"), zone_label)

    def _day_in_span(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and bounds.day_problem(day) is not None:
            raise ValidationError(gettext("Give a day from %(span)s.")
                                  % {"span": bounds.SPAN_TEXT})
        return day

    def clean_since(self):
        return self._day_in_span("since")

    def clean_until(self):
        return self._day_in_span("until")

    def clean_day(self):
        return self._day_in_span("day")

    def query(self) -> dict:
        """The valid filters as keyword arguments of `selectors.EventQuery`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        since, until = local_days(data.get("since"), data.get("until"), self.zone)
        if data.get("day"):
            since, until = local_days(data["day"], data["day"], "UTC")
        if since and until and until <= since:
            self.add_error("until", _("The last day comes after the first."))
            since = until = None
        return {
            "status": data.get("status") or "",
            "agreement": data.get("agreement") or "",
            "area": data.get("area") or "",
            "party_id": data.get("party"),
            "text": data.get("q") or "",
            "since": since,
            "until": until,
        }


class BulkVerifyForm(forms.Form):
    """Several events of the list, one step for all of them."""

    action = forms.ChoiceField(label=_("for the selected events"), choices=[
        (Event.Status.UNDER_REVIEW, _("start the review")),
        (Event.Status.DISMISSED, _("dismiss")),
        (Event.Status.UNVERIFIABLE, _("mark unverifiable")),
    ])
    reasoning = forms.CharField(
        label=_("reasoning"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to dismiss or to mark unverifiable; the same for every event."),
    )
    back = forms.CharField(required=False, widget=forms.HiddenInput())
