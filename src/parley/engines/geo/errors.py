"""Errors of the geo engine, each naming the feature, the field and the reason.

`reason` is plain English text for people; the Django layer shows it as it is (it quotes the
input, so it is not a fixed catalogue string).
"""


class AreaError(ValueError):
    """One problem with one feature: `feature` is its id or `#index` (0-based) when it has no id,
    `None` for a problem with the collection as a whole; `field` is where in the feature
    (`geometry.coordinates[0][3]`, `width_m`, `windows[1].dtstart`), or `None`."""

    def __init__(self, feature: str | None, reason: str, field: str | None = None) -> None:
        self.feature = feature
        self.field = field
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"feature {self.feature}"] if self.feature is not None else []
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class GeoValidationError(ValueError):
    """Every problem found in a FeatureCollection, not just the first."""

    def __init__(self, errors: list[AreaError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
