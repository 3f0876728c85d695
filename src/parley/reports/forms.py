"""The daily report's day and clock, read from the URL."""

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parley.ui.forms import ZoneSelect


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    zone = forms.CharField(
        label=_("read on the clock of"), required=False, max_length=64, widget=ZoneSelect()
    )

    def clean_zone(self):
        zone = (self.cleaned_data.get("zone") or "").strip()
        if not zone:
            return ""
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError(
                _("%(zone)s is not an IANA time zone."), params={"zone": zone}
            ) from error
        return zone

    def chosen(self, *, today, default_zone: str):
        """(day, zone): the valid values, else today and the reader's own clock."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {name: value for name, value in getattr(self, "cleaned_data", {}).items()}
        )
        return data.get("day") or today, data.get("zone") or default_zone
