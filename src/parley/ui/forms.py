"""Widgets and form fields every app's forms share."""

from django import forms

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_INPUT_FORMAT)


class WallClockField(forms.DateTimeField):
    """A wall-clock time with no zone attached: the zone is a separate field of the row."""

    def to_python(self, value):
        moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else moment
