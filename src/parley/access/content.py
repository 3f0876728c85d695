"""What a notification says about a movement (docs/formats.md §5), as one value: parsed once by
the page's form or the API's schema, and taken as it is by `movement_notify`, `movement_check`
and `movement_amend`. The services validate it (`services.content._clean_content`).

A field left `UNSET` means "not given": a new notification then takes the default, an amendment
keeps what the current version says.
"""

from dataclasses import dataclass, fields, replace
from typing import Any

from parley.core.validation import UNSET

CONTENT_FIELDS = ("route", "times", "depart", "speed_kmh", "crossings", "vehicles", "personnel",
                  "cargo", "note")
DEFAULTS: dict[str, Any] = {"route": None, "times": None, "depart": None, "speed_kmh": None,
                            "crossings": (), "vehicles": (), "personnel": (), "cargo": (),
                            "note": ""}


@dataclass(frozen=True)
class MovementContent:
    route: Any = UNSET
    times: Any = UNSET
    depart: Any = UNSET
    speed_kmh: Any = UNSET
    crossings: Any = UNSET
    vehicles: Any = UNSET
    personnel: Any = UNSET
    cargo: Any = UNSET
    note: Any = UNSET

    @classmethod
    def of(cls, data: dict[str, Any]) -> "MovementContent":
        """The content fields of `data` (a form's or a schema's values); other keys ignored."""
        return cls(**{name: data[name] for name in CONTENT_FIELDS if name in data})

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) is not UNSET}

    def completed(self) -> "MovementContent":
        """A new notification: what was not given takes its default."""
        return replace(self, **{name: DEFAULTS[name] for name in CONTENT_FIELDS
                                if getattr(self, name) is UNSET})

    def over(self, current: Any) -> "MovementContent":
        """An amendment of `current` (a MovementVersion): what was not given is kept. A schedule
        given as `times` drops depart and speed, and depart or speed drops the times."""
        changes = self.given()
        if changes.get("times"):
            changes.update(depart=None, speed_kmh=None)
        elif "depart" in changes or "speed_kmh" in changes:
            changes["times"] = None
        return MovementContent(**{name: changes.get(name, getattr(current, name))
                                  for name in CONTENT_FIELDS})

    def as_kwargs(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}
