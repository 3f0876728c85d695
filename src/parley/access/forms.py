"""Forms of the access pages: they parse what a person typed (lines of text, wall-clock times
in a chosen zone, an imported track) into the plain values the services take, and put the
services' errors back on the fields they name. The checks themselves are the services'."""

import json
import re
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from parley.access import tracks
from parley.access.content import MovementContent
from parley.access.models import Hazard, Movement, Site
from parley.access.wording import CARGO_UNITS, cargo_unit_name
from parley.core.validation import form_bounds
from parley.engines import timewin
from parley.ui.clock import local_days, zone_name
from parley.ui.forms import (
    LOCAL_INPUT_FORMAT,
    LocalDateTimeInput,
    ServiceErrorsMixin,
    WallClockField,
    ZoneSelect,
    form_field,
)

INDEXED_KEY = re.compile(r"^(?P<field>\w+)\[(?P<index>\d+)\]")
LINE = gettext_noop("line %(number)d")  # translated where it is used, by gettext(LINE)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


CARGO_ROW = _("cargo, row %(number)d")


class CargoRowForm(forms.Form):
    """One line of the cargo manifest: item, quantity and unit (a code of `CARGO_UNITS`, or a
    unit the version being amended already stores). A row left empty is no cargo."""

    item = forms.CharField(label=_("item"), max_length=200, required=False)
    quantity = forms.FloatField(
        label=_("quantity"), required=False, min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}))
    unit = forms.ChoiceField(label=pgettext_lazy("cargo", "unit"), required=False)

    def __init__(self, *args, extra_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = [*CARGO_UNITS, *(code for code in extra_units if code not in CARGO_UNITS)]
        form_field(self, "unit", forms.ChoiceField).choices = [
            ("", "—"), *((code, cargo_unit_name(code)) for code in units)]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return (not data.get("item") and data.get("quantity") is None and not data.get("unit")
                and not self.has_error("quantity"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        if self.is_blank() or data.get("DELETE"):
            return data
        if not data.get("item") and not self.has_error("item"):
            self.add_error("item", _("Name the item."))
        if data.get("quantity") is None and not self.has_error("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        if not data.get("unit") and not self.has_error("unit"):
            self.add_error("unit", _("Choose the unit."))
        return data


class BaseCargoFormSet(forms.BaseFormSet):
    def filled(self) -> list[int]:
        """Indexes of the rows that hold cargo (not empty, not removed)."""
        return [index for index, row in enumerate(self.forms)
                if not row.is_blank() and not row.cleaned_data.get("DELETE")]

    def cargo(self) -> list[dict]:
        return [{"item": self.forms[index].cleaned_data["item"].strip(),
                 "quantity": self.forms[index].cleaned_data["quantity"],
                 "unit": self.forms[index].cleaned_data["unit"]} for index in self.filled()]

    def error_lines(self) -> list[str]:
        """Every error of the rows, naming the row and the field, for the form's summary."""
        lines = [str(error) for error in self.non_form_errors()]
        for number, row in enumerate(self.forms, start=1):
            for name, errors in row.errors.items():
                where = str(CARGO_ROW) % {"number": number}
                label = row.fields[name].label if name in row.fields else ""
                lines += [f"{where}, {label}: {error}" if label else f"{where}: {error}"
                          for error in errors]
        return lines


# cast: django-stubs type formset_factory's result as the base class, not the formset given.
CargoFormSet = cast(type[BaseCargoFormSet], forms.formset_factory(
    CargoRowForm, formset=BaseCargoFormSet, extra=2, can_delete=True, max_num=200,
    validate_max=True))
CARGO_KEY = re.compile(r"^cargo\[(?P<index>\d+)\](?:\.(?P<field>\w+))?")


class MovementForm(ServiceErrorsMixin, forms.Form):
    """What a version of a movement holds; the notify form adds the agreement and purpose."""

    DEPART = "depart"
    TIMES = "times"

    route = forms.CharField(
        label=_("route (GeoJSON LineString)"), required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Draw the route on the map, paste GeoJSON, or import a GPX or KML track."),
    )
    route_file = forms.FileField(label=_("or import a GPX, KML or GeoJSON file"), required=False)
    schedule = forms.ChoiceField(
        label=_("schedule"), initial=DEPART, widget=forms.RadioSelect,
        choices=[(DEPART, _("departure time and speed")),
                 (TIMES, _("a time for each point of the route"))],
    )
    depart = WallClockField(
        label=_("departure (local time)"), required=False,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
    )
    zone = forms.CharField(
        label=_("time zone"), max_length=64, widget=ZoneSelect(),
        help_text=_("IANA zone of the departure time and of times written without an offset."),
    )
    speed_kmh = forms.FloatField(label=_("average speed (km/h)"), required=False, min_value=0.1)
    times = forms.CharField(
        label=_("times, one per point of the route"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One per line, e.g. 2026-12-01T10:00:00+02:00; filled from a GPS track."),
    )
    crossings = forms.CharField(
        label=_("crossing points"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    vehicles = forms.CharField(
        label=_("vehicles"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: type, plate (e.g. truck, AP 1201 KC)."),
    )
    personnel = forms.CharField(
        label=_("personnel"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One person per line: name and function."),
    )
    note = forms.CharField(label=_("note to the parties"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    hold_for_secretariat = forms.BooleanField(
        label=_("if the checks find a blocking problem, send it to the secretariat to decide"),
        required=False,
    )

    def __init__(self, *args, default_zone: str = "UTC", **kwargs):
        cargo = list((kwargs.get("initial") or {}).pop("cargo", []) or [])
        super().__init__(*args, **kwargs)
        self.fields["zone"].initial = default_zone
        # The manifest is rows of its own (item, quantity, unit): a formset beside the fields.
        self.cargo_rows = CargoFormSet(
            self.data if self.is_bound else None, prefix="cargo",
            initial=[{"item": line.get("item", ""), "quantity": line.get("quantity"),
                      "unit": line.get("unit", "")} for line in cargo],
            form_kwargs={"extra_units": [line.get("unit", "") for line in cargo]})

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.cargo_rows.is_valid()])

    def cargo_errors(self) -> list[str]:
        return self.cargo_rows.error_lines() if self.is_bound else []

    # -- parsing --------------------------------------------------------------------------

    def clean_route(self):
        text = self.cleaned_data.get("route")
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON: line %(line)d, column %(column)d: %(reason)s."),
                params={"line": error.lineno, "column": error.colno, "reason": error.msg},
            ) from error

    def clean_zone(self):
        zone = self.cleaned_data["zone"].strip()
        try:
            timewin.parse_instant("2000-01-01T00:00:00", zone)
        except timewin.WindowError as error:
            raise ValidationError(_("%(zone)s is not an IANA time zone."),
                                  params={"zone": zone}) from error
        return zone

    def _instant(self, text: str, field: str, number: int | None = None) -> str | None:
        zone = self.cleaned_data.get("zone") or "UTC"
        try:
            moment = timewin.parse_instant(text, zone)
        except timewin.WindowError as error:
            where = f"{gettext(LINE) % {'number': number}}: " if number else ""
            self.add_error(field, f"{where}{gettext(error.reason)} ({text})")
            return None
        return moment.isoformat()

    def _vehicles(self) -> list[dict]:
        vehicles = []
        for line in _lines(self.cleaned_data.get("vehicles")):
            kind, _comma, plate = line.partition(",")
            vehicles.append({"type": kind.strip(), "plate": plate.strip()})
        return vehicles

    def clean(self):
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        upload = data.get("route_file")
        if upload:
            try:
                track = tracks.parse_track(upload.read())
            except tracks.TrackError as error:
                self.add_error("route_file", f"{gettext(error.reason)}"
                               + (f" ({error.detail})" if error.detail else ""))
            else:
                data["route"] = track.geometry
                if track.times and not data.get("times"):
                    data["times"] = "\n".join(track.times)
                    data["schedule"] = self.TIMES
                self._keep_imported(data)
        if data.get("route") is None and "route" not in self.errors \
                and "route_file" not in self.errors:
            self.add_error("route", _("Draw, paste or import the route."))
        return data

    def _keep_imported(self, data: dict) -> None:
        """The page shown again (after *Check the route*, or with errors) holds the imported
        track in its fields: the map's editor draws it, and it is sent again without importing
        the file twice (a file input is always empty when a page comes back)."""
        if self.data is None or not hasattr(self.data, "copy"):
            return
        kept = self.data.copy()
        kept[self.add_prefix("route")] = json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": data["route"], "properties": {}}]})
        if data.get("schedule") == self.TIMES:
            kept[self.add_prefix("times")] = data["times"]
            kept[self.add_prefix("schedule")] = self.TIMES
        self.data = kept

    def content_kwargs(self) -> dict:
        """The service's keywords for the content of a version."""
        data = self.cleaned_data
        values = {
            "route": data.get("route"),
            "crossings": _lines(data.get("crossings")),
            "vehicles": self._vehicles(),
            "personnel": _lines(data.get("personnel")),
            "cargo": self.cargo_rows.cargo(),
            "note": data.get("note", ""),
        }
        if data.get("schedule") == self.TIMES:
            values["times"] = [
                self._instant(line, "times", number)
                for number, line in enumerate(_lines(data.get("times")), start=1)
            ]
            values["depart"], values["speed_kmh"] = None, None
        else:
            depart = data.get("depart")
            values["depart"] = (
                self._instant(depart.strftime("%Y-%m-%dT%H:%M:%S"), "depart") if depart else None
            )
            values["speed_kmh"] = data.get("speed_kmh")
            values["times"] = None
        return values

    # -- the services' errors, back on the fields -----------------------------------------

    def place_service_error(self, key: str | None, message: str) -> tuple[str | None, str] | None:
        key = key or ""
        cargo = CARGO_KEY.match(key)
        filled = self.cargo_rows.filled() if key.startswith("cargo") else []
        if cargo and int(cargo["index"]) < len(filled):
            row = self.cargo_rows.forms[filled[int(cargo["index"])]]
            row.add_error(cargo["field"] if cargo["field"] in row.fields else None, message)
            return None
        if key == "cargo":
            self.cargo_rows.non_form_errors().append(message)
            return None
        match = INDEXED_KEY.match(key)
        field = match["field"] if match else key.split(".")[0]
        if match and field in ("times", "vehicles", "cargo", "personnel", "crossings"):
            message = f"{gettext(LINE) % {'number': int(match['index']) + 1}}: {message}"
        elif match and field == "route":
            message = gettext("position %(number)d: %(message)s") % {
                "number": int(match["index"]) + 1, "message": message}
        if field == "schedule":
            field = "times" if self.cleaned_data.get("schedule") == self.TIMES else "depart"
        return field, message


class MovementNotifyForm(MovementForm):
    field_order = ["agreement", "purpose"]

    agreement = forms.ChoiceField(label=_("under agreement"))
    purpose = forms.ChoiceField(label=_("purpose"), choices=Movement.Purpose.choices)

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = {agreement.code: agreement for agreement in agreements}
        form_field(self, "agreement", forms.ChoiceField).choices = [
            (agreement.code, f"{agreement.code} · {agreement.title}") for agreement in agreements
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"agreement": self.agreements[data["agreement"]], "purpose": data["purpose"],
                "content": MovementContent.of(self.content_kwargs())}


class MovementAmendForm(MovementForm):
    version = forms.IntegerField(widget=forms.HiddenInput())

    def service_kwargs(self) -> dict:
        return {"version": self.cleaned_data["version"],
                "content": MovementContent.of(self.content_kwargs())}

    @classmethod
    def for_movement(cls, request, movement) -> "MovementAmendForm":
        """The form prefilled from the current version, bound to the request's POST if any."""
        return cls(request.POST or None, request.FILES or None, default_zone=request.user.zone,
                   initial=cls.initial_from_version(movement.current_version, request.user.zone))

    @staticmethod
    def initial_from_version(version, zone: str) -> dict:
        initial = {
            "version": version.number,
            "route": json.dumps({"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": version.route, "properties": {}}]}),
            "zone": zone,
            "crossings": "\n".join(version.crossings),
            "vehicles": "\n".join(f"{v.get('type', '')}, {v.get('plate', '')}"
                                  for v in version.vehicles),
            "personnel": "\n".join(version.personnel),
            "cargo": list(version.cargo),
            "note": version.note,
        }
        if version.times:
            initial.update(schedule=MovementForm.TIMES, times="\n".join(version.times))
        else:
            initial.update(schedule=MovementForm.DEPART, speed_kmh=version.speed_kmh,
                           depart=version.depart.astimezone(ZoneInfo(zone)).replace(tzinfo=None))
        return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("note"), max_length=2000, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())


class ObjectionForm(VersionForm):
    reason = forms.CharField(label=_("objection"), max_length=2000)


class CheckInForm(ServiceErrorsMixin, forms.Form):
    lon = forms.FloatField(label=_("longitude"), widget=forms.NumberInput(
        attrs={"step": "any", "inputmode": "decimal"}))
    lat = forms.FloatField(label=_("latitude"), widget=forms.NumberInput(
        attrs={"step": "any", "inputmode": "decimal"}))
    place = forms.CharField(label=_("place or crossing point"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    # Checked here as well as in the service: the warnings shown before a check-in measure the
    # distance from this position to the route.
    def clean_lon(self):
        lon = self.cleaned_data["lon"]
        if not -180 <= lon <= 180:
            raise ValidationError(_("Give a longitude between -180 and 180."))
        return lon

    def clean_lat(self):
        lat = self.cleaned_data["lat"]
        if not -90 <= lat <= 90:
            raise ValidationError(_("Give a latitude between -90 and 90."))
        return lat

class SiteForm(ServiceErrorsMixin, forms.ModelForm):
    @staticmethod
    def initial_from(site: Site) -> dict:
        return {"name": site.name, "kind": site.kind, "lon": site.lon, "lat": site.lat,
                "radius_m": site.radius_m, "note": site.note}

    class Meta:
        model = Site
        fields = ["name", "kind", "lon", "lat", "radius_m", "note"]
        widgets = {"lon": forms.NumberInput(attrs={"step": "any"}),
                   "lat": forms.NumberInput(attrs={"step": "any"}),
                   "note": forms.Textarea(attrs={"rows": 2})}


class AccessTermsForm(ServiceErrorsMixin, forms.Form):
    ack_deadline_h = forms.IntegerField(label=_("acknowledgement deadline (hours)"),
                                        **form_bounds("ack_deadline_h"))
    max_vehicles = forms.IntegerField(label=_("vehicles per movement at most"), required=False,
                                      **form_bounds("max_vehicles"))
    cargo_limits = forms.CharField(
        label=_("cargo limits"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line: item; largest quantity per movement (e.g. fuel; 2000)."),
    )

    def clean_cargo_limits(self):
        limits = {}
        for number, line in enumerate(_lines(self.cleaned_data.get("cargo_limits")), start=1):
            item, _semicolon, quantity = line.partition(";")
            try:
                limits[item.strip()] = float(quantity.strip().replace(",", "."))
            except ValueError as error:
                raise ValidationError(
                    gettext("%(line)s: write item; quantity")
                    % {"line": gettext(LINE) % {"number": number}}) from error
        return limits

    @staticmethod
    def initial_from(terms) -> dict:
        return {"ack_deadline_h": terms.ack_deadline_h, "max_vehicles": terms.max_vehicles,
                "cargo_limits": "\n".join(f"{item}; {limit:g}"
                                          for item, limit in terms.cargo_limits.items())}


class HazardForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Hazard.Kind.choices)
    geometry = forms.CharField(
        label=_("where (GeoJSON)"), widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Draw a point, a line or an area on the map, or paste GeoJSON (a geometry, "
                    "a Feature or a collection of one)."),
    )
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_geometry(self):
        try:
            value = json.loads(self.cleaned_data["geometry"])
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON: line %(line)d, column %(column)d: %(reason)s."),
                params={"line": error.lineno, "column": error.colno, "reason": error.msg},
            ) from error
        # The map's editor writes a collection; a hazard is its one drawn shape.
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or []
            if len(features) != 1:
                raise ValidationError(_("Draw or paste exactly one shape."))
            value = features[0]
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        return value


class MovementFilterForm(forms.Form):
    """The filters of the movements list, read from the URL; days are read on the reader's
    clock. A wrong value is shown on its field and that filter left out."""

    q = forms.CharField(label=_("reference contains"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("status"), required=False)
    agreement = forms.ChoiceField(label=_("agreement"), required=False)
    party = forms.TypedChoiceField(label=_("organisation or party crossed"), required=False,
                                   coerce=int, empty_value=None)
    since = forms.DateField(label=_("starts from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("starts until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, agreements=(), parties=(), zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        form_field(self, "status", forms.ChoiceField).choices = [
            ("", _("any status")), *Movement.Status.choices]
        form_field(self, "agreement", forms.ChoiceField).choices = [
            ("", _("any agreement")),
            *((agreement.code, f"{agreement.code} {agreement.title}") for agreement in agreements),
        ]
        form_field(self, "party", forms.ChoiceField).choices = [
            ("", _("any party")), *((party.pk, party.name) for party in parties)
        ]
        zone_label = zone_name(zone)
        self.fields["since"].label = format_lazy("{} ({})", _("starts from"), zone_label)
        self.fields["until"].label = format_lazy("{} ({})", _("starts until"), zone_label)

    def query(self) -> dict:
        """The valid filters as keyword arguments of `selectors.MovementQuery`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        since, until = local_days(data.get("since"), data.get("until"), self.zone)
        if since and until and until <= since:
            self.add_error("until", _("The last day comes after the first."))
            since = until = None
        return {
            "status": data.get("status") or "",
            "agreement": data.get("agreement") or "",
            "party_id": data.get("party"),
            "text": data.get("q") or "",
            "since": since,
            "until": until,
        }


def bulk_receipts(values) -> list[tuple[str, int]]:
    """The checked boxes of the movements list, each "REFERENCE@VERSION" (the version the
    reader saw); a malformed box is kept with version 0, which the service refuses by name."""
    receipts = []
    for value in values:
        reference, _sep, number = str(value).rpartition("@")
        receipts.append((reference or str(value), int(number) if number.isdigit() else 0))
    return receipts
