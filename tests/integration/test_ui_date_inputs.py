"""Every date and date-time picker of every form writes its value in ISO 8601, the only form a
browser's picker reads, in every language: in Ukrainian and Russian Django would otherwise write
"02.12.2026" and the picker would show an empty field."""

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.utils import translation

FORM_MODULES = ["parley.agreements.forms", "parley.access.forms", "parley.monitoring.forms",
                "parley.talks.forms", "parley.exchanges.forms"]


def date_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module_name:
                continue
            for field_name, field in form.base_fields.items():
                # A hidden date (a filter carried in a link) is not a picker.
                if isinstance(field, forms.DateField | forms.DateTimeField) and not isinstance(
                        field.widget, forms.HiddenInput):
                    yield pytest.param(field, id=f"{name}.{field_name}")


@pytest.mark.parametrize("field", list(date_fields()))
@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_picker_value_is_iso_in_every_language(field, language):
    moment = (datetime.datetime(2026, 12, 2, 10, 30) if isinstance(field, forms.DateTimeField)
              else datetime.date(2026, 12, 2))
    with translation.override(language):
        html = field.widget.render("x", moment)
    expected = "2026-12-02T10:30" if isinstance(field, forms.DateTimeField) else "2026-12-02"
    assert f'value="{expected}"' in html
    assert field.widget.input_type in ("date", "datetime-local")
