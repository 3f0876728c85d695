"""What every service uses to collect validation errors and report them all at once.

Errors are gathered per field (``"areas"``, ``"windows[2].dtstart"``) and raised together as one
Django ``ValidationError``, so that a person fixes every problem of a submission in one go.
"""

from django.core.exceptions import ValidationError


class _Unset:
    """Marks a keyword the caller did not pass, where None is a meaningful value."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()

# The type of a keyword that may be left out ("no change"): `title: str | Unset = UNSET`.
Unset = _Unset


def add_error(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
