"""Differences between movement versions, and a movement as GeoJSON."""

from dataclasses import dataclass

from parley.access.checks import movement_feature, version_content
from parley.access.models import (
    Movement,
    MovementVersion,
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


def movement_version_diff(old: MovementVersion, new: MovementVersion) -> list[FieldChange]:
    """What an amendment changed, field by field (route and schedule compared as wholes)."""
    names = ("route", "times", "depart", "speed_kmh", "crossings", "vehicles", "personnel",
             "cargo", "note")
    return [
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def movement_geojson(movement: Movement, version: MovementVersion | None = None) -> dict:
    """docs/formats.md §5: the movement as a GeoJSON Feature with its route and schedule."""
    version = version or movement.current_version
    if version is None:  # a movement is created with its first version
        raise ValueError(f"movement {movement.reference} has no version")
    feature = movement_feature(
        reference=movement.reference, organisation=movement.organisation.slug,
        agreement=movement.agreement.code, purpose=movement.purpose,
        content=version_content(version),
    )
    feature["properties"].update({"status": movement.status, "version": version.number,
                                  "crossings": version.crossings})
    return feature
