"""Events as rows, GeoJSON and CSV (docs/formats.md §7)."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from parley.agreements.models import AgreementVersion
from parley.core.types import Actor
from parley.engines import csvsafe
from parley.monitoring.models import (
    Event,
    Incident,
)
from parley.monitoring.selectors.events import HXL_COLUMNS, Placement, event_placements


@dataclass(frozen=True)
class EventRow:
    event: Event
    types: list[str]
    sources: list[str]
    reports: int
    placements: list[Placement]
    place_names: dict[tuple[int, str], str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        in_window = [p for p in self.placements if p.in_window]
        return {
            "reference": self.event.reference,
            "status": self.event.status,
            "time_start": _utc(self.event.time_start),
            "time_end": _utc(self.event.time_end),
            "date_start": f"{self.event.time_start.astimezone(UTC):%Y-%m-%d}",
            "date_end": f"{self.event.time_end.astimezone(UTC):%Y-%m-%d}",
            "time_start_utc": f"{self.event.time_start.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            "time_end_utc": f"{self.event.time_end.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            "places": "; ".join(sorted({
                self.place_names.get((p.agreement.pk, p.feature_id), p.agreement.title)
                for p in in_window})),
            "lat": round(self.event.lat, 6),
            "lon": round(self.event.lon, 6),
            "types": "; ".join(self.types),
            "sources": "; ".join(self.sources),
            "reports": self.reports,
            "agreements": "; ".join(sorted({p.agreement.code for p in self.placements
                                            if p.in_window})),
            "areas": "; ".join(sorted({f"{p.agreement.code}/{p.feature_id}"
                                       for p in self.placements if p.in_window})),
        }


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def event_rows(*, actor: Actor, events: list[Event]) -> list[EventRow]:
    placements = event_placements(actor=actor, events=events)
    details: dict[int, tuple[set, set, int]] = defaultdict(lambda: (set(), set(), 0))
    for event_id, kind, source in Incident.objects.filter(
        event__in=[e.pk for e in events]
    ).values_list("event_id", "type", "source__name"):
        types, sources, count = details[event_id]
        if kind:
            types.add(kind)
        sources.add(source)
        details[event_id] = (types, sources, count + 1)
    names = _place_names({p.agreement for found in placements.values() for p in found})
    return [
        EventRow(event=e, types=sorted(details[e.pk][0]), sources=sorted(details[e.pk][1]),
                 reports=details[e.pk][2], placements=placements.get(e.pk, []),
                 place_names=names)
        for e in events
    ]


def _place_names(agreements: set) -> dict[tuple[int, str], str]:
    """The `name` each area was given, by (agreement, feature id), for #loc+name."""
    versions = AgreementVersion.objects.filter(agreement__in=[a.pk for a in agreements])
    latest: dict[int, AgreementVersion] = {}
    for version in versions.order_by("agreement_id", "number"):
        latest[version.agreement_id] = version
    return {(agreement_id, str(feature.get("id"))): feature["properties"]["name"]
            for agreement_id, version in latest.items()
            for feature in version.areas.get("features", [])
            if (feature.get("properties") or {}).get("name")}


def events_geojson(rows: list[EventRow]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": row.event.reference,
         "geometry": {"type": "Point", "coordinates": [row.event.lon, row.event.lat]},
         "properties": row.as_dict()}
        for row in rows
    ]}


def events_csv(rows: list[EventRow]) -> str:
    """CSV with the HXL hashtag row under the header (docs/formats.md §7)."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _tag in HXL_COLUMNS])
    writer.writerow([tag for _name, tag in HXL_COLUMNS])
    for row in rows:
        values = row.as_dict()
        writer.writerow([values[name] for name, _tag in HXL_COLUMNS])
    return buffer.getvalue()
