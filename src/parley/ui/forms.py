"""Widgets and form fields every app's forms share, and the one bridge from the services'
`ValidationError` to a form's fields."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from parley.ui.clock import COMMON_ZONES, zone_choices, zone_name

# Django's own label of an empty choice: its catalogues lack it in Ukrainian and Russian, so
# Parley's catalogue (read first, LOCALE_PATHS) carries it.
gettext_noop("- Select an option -")

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
DATE_INPUT_FORMAT = "%Y-%m-%d"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser's date-time picker. Its value is always ISO 8601 (the only form the picker
    reads), whatever the page's language: Django would otherwise write "02.12.2026 10:00" in
    Ukrainian and Russian, and the picker would show an empty field."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_INPUT_FORMAT)


class DateInput(forms.DateInput):
    """A browser's date picker, its value ISO 8601 in every language (see LocalDateTimeInput)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE_INPUT_FORMAT)


class WallClockField(forms.DateTimeField):
    """A wall-clock time with no zone attached: the zone is a separate field of the row."""

    def to_python(self, value):
        moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else moment


class LabelledModelChoiceField[M: Model](forms.ModelChoiceField[M]):
    """A choice of rows whose options read `option_label(row)` rather than the row's `str()`
    (Django's way: override `label_from_instance`)."""

    def __init__(self, *args: Any, option_label: Callable[[M], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_label = option_label

    def label_from_instance(self, obj: M) -> str:
        return self.option_label(obj)


class LabelledModelMultipleChoiceField[M: Model](forms.ModelMultipleChoiceField[M]):
    """Several rows, their options read `option_label(row)` (see LabelledModelChoiceField)."""

    def __init__(self, *args: Any, option_label: Callable[[M], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_label = option_label

    def label_from_instance(self, obj: M) -> str:
        return self.option_label(obj)


def service_error_items(error: ValidationError) -> list[tuple[str | None, str]]:
    """(key, message) of every message of a service's `ValidationError`; the key is the field it
    names (`windows[0].start`, `route`, ...) or None for an error about the whole input."""
    if hasattr(error, "error_dict"):
        return [(None if key == NON_FIELD_ERRORS else key, message)
                for key, messages in error.message_dict.items() for message in messages]
    return [(None, message) for message in error.messages]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """The bridge from a service's `ValidationError` to a form: each message on the field its
    key names when the form has that field, else on top of the form."""
    placer = getattr(form, "place_service_error", None)
    for key, message in service_error_items(error):
        placed = placer(key, message) if placer else (key, message)
        if placed is None:
            continue  # the form put it somewhere of its own (a row of a formset)
        field, text = placed
        form.add_error(field if field in form.fields else None, text)


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name` as the kind it is declared with (`form.fields` holds plain
    `Field`s to a type checker), to set what only that kind has: `choices`, `queryset`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not {kind}")
    return field


# A mixin of forms: to the type checker it is the form it is mixed into.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class ServiceErrorsMixin(_FormBase):
    """`form.add_service_errors(error)`. A form whose errors need more than "the field of the
    same name" (indexed rows, fields with another name) defines
    `place_service_error(key, message) -> (field, message) | None`."""

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)
class ZoneSelect(forms.Select):
    """A time-zone picker: the common zones by their names in the reader's language first, then
    every IANA zone. No free text, so no misspelt zone reaches a service."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)

    @property
    def choices(self):
        common = [(zone, f"{zone_name(zone)} ({zone})" if zone != "UTC" else "UTC")
                  for zone in COMMON_ZONES]
        others = [(zone, f"{zone_name(zone)} ({zone})")
                  for zone in zone_choices()[len(COMMON_ZONES):]]
        return [(_("Common"), common), (_("All zones"), others)]

    @choices.setter
    def choices(self, value):
        """Django assigns the field's choices; the zone list is always the one above."""
