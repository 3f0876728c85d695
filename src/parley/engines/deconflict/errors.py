"""Errors of the deconfliction engine, each naming the feature, the field and the reason.

They have the shape of `geo.AreaError`, so that the web layer shows movements, hazards and areas
alike. `reason` is a fixed English sentence (the Django layer translates it with `gettext`);
`detail` quotes the input and is shown as it is.
"""


def gettext_noop(message: str) -> str:
    """Mark a string for `makemessages` without importing Django into an engine."""
    return message


class FeatureError(ValueError):
    """One problem with one feature of a movements or hazards file.

    `feature` is the id, or `#index` (0-based) when the feature has none, or `None` for the file
    as a whole; `field` is where in the feature (`times[3]`, `geometry.coordinates[2]`), or `None`.
    """

    def __init__(
        self, feature: str | None, reason: str, field: str | None = None, detail: str = ""
    ) -> None:
        self.feature = feature
        self.field = field
        self.reason = reason
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"feature {self.feature}"] if self.feature is not None else []
        if self.field:
            where.append(self.field)
        text = f"{', '.join(where)}: {self.reason}" if where else self.reason
        return f"{text} ({self.detail})" if self.detail else text


class InputValidationError(ValueError):
    """Every problem found in a movements or hazards file, not just the first."""

    def __init__(self, errors: list[FeatureError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
