"""Monitoring in the demo: a few hundred incidents from Parley CSV, ACLED and NASA FIRMS files
generated here (deterministic, one set per day) and read through the same import service a real
file goes through; some fall in the active pauses. Then one event under review and one confirmed,
and a fresh candidate reported minutes before the demo's clock, to put under review.

Idempotent: a day's files are imported once (and their ids are the same on every run of the
day); the verification steps are taken only when no event has reached them yet.
"""

import csv
import io
import math
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from parley.agreements import selectors as agreement_selectors
from parley.agreements.models import Agreement
from parley.core.errors import NotFound
from parley.core.references import sequential_references
from parley.monitoring import services
from parley.monitoring.models import Event, ImportRun, Incident, Source

# ACLED dates Ukrainian events by the local day (the reader reads them as Kyiv days).
KYIV = ZoneInfo("Europe/Kyiv")
# The front from Kherson to Donetsk: incidents are scattered over this box (lon, lat).
FRONT = (32.4, 46.5, 38.0, 48.7)
ACLED_TYPES = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
]
PARLEY_TYPES = ["impact", "outgoing_fire", "explosion", "small_arms", "drone", "movement"]
VIIRS_HEADER = ["latitude", "longitude", "bright_ti4", "scan", "track", "acq_date", "acq_time",
                "satellite", "instrument", "confidence", "version", "bright_ti5", "frp",
                "daynight"]
ACLED_HEADER = ["event_id_cnty", "event_date", "country", "latitude", "longitude",
                "geo_precision", "event_type", "sub_event_type", "fatalities", "notes", "source"]


def _along(points: list[list[float]], fraction: float) -> tuple[float, float]:
    """The point at `fraction` of the way along a polyline (in degrees; fine for a demo)."""
    lengths = [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
               for a, b in zip(points, points[1:], strict=False)]
    target = fraction * sum(lengths)
    for (a, b), length in zip(zip(points, points[1:], strict=False), lengths, strict=True):
        if target <= length and length:
            share = target / length
            return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share
        target -= length
    return points[-1][0], points[-1][1]


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Feeds:
    def __init__(self, now: datetime, pauses: list):
        self.now = now
        self.day = now.astimezone(UTC).date()
        self.random = random.Random(f"parley-monitoring-{self.day.isoformat()}")
        # (line of the corridor, [start, end) of a window that has begun) of each active pause.
        self.open_windows = []
        for agreement in pauses:
            line = agreement_selectors.agreement_areas_geojson(agreement)["features"][0]
            for window in agreement_selectors.agreement_windows(agreement):
                if window.start <= now:
                    begun = (window.start, min(window.end, now))
                    if begun[1] - begun[0] >= timedelta(minutes=20):
                        self.open_windows.append((line["geometry"]["coordinates"], begun))

    def _scatter(self) -> tuple[float, float, datetime]:
        west, south, east, north = FRONT
        moment = self.now - timedelta(minutes=self.random.randrange(30, 7 * 24 * 60))
        return (round(self.random.uniform(west, east), 5),
                round(self.random.uniform(south, north), 5), moment)

    def _in_pause(self, count: int) -> list[tuple[float, float, datetime]]:
        """Reports inside the open pause, in two clusters a few kilometres apart along its
        corridor (a fifth and four fifths of the way), each within 40 minutes of the window's
        start: every feed adds to the same two events, whatever the day's draw and the hour the
        demo is loaded at (the grouping joins reports within 2 km and 60 minutes)."""
        found = []
        for index in range(count if self.open_windows else 0):
            line, (start, end) = self.open_windows[index % len(self.open_windows)]
            centre = (0.2, 0.8)[index % 2]
            lon, lat = _along(line, centre + self.random.uniform(-0.03, 0.03))
            seconds = min(int((end - start).total_seconds()) - 60, 40 * 60)
            moment = start + timedelta(seconds=self.random.randrange(60, max(seconds, 61)))
            found.append((round(lon, 5), round(lat, 5), moment.replace(microsecond=0)))
        return found

    def parley(self) -> str:
        rows = []
        points = [self._scatter() for _ in range(114)] + self._in_pause(6)
        for index, (lon, lat, moment) in enumerate(points):
            rows.append([f"JMM-{self.day:%Y%m%d}-{index:03d}", lat, lon, _utc(moment),
                         self.random.choice([0, 0, 100, 500]),
                         self.random.choice(PARLEY_TYPES)])
        return _csv(["id", "lat", "lon", "time", "precision_m", "type"], rows)

    def acled(self) -> str:
        rows = []
        points = [self._scatter() for _ in range(97)] + self._in_pause(3)
        for index, (lon, lat, moment) in enumerate(points):
            event_type, sub_event_type = self.random.choice(ACLED_TYPES)
            rows.append([f"UKR{self.day:%Y%m%d}{index:03d}",
                         moment.astimezone(KYIV).date().isoformat(), "Ukraine", lat, lon,
                         self.random.choice([1, 1, 2, 3]), event_type, sub_event_type, 0,
                         "Generated for the Parley demo.", "Parley demo"])
        return _csv(ACLED_HEADER, rows)

    def firms(self) -> str:
        rows = []
        points = [self._scatter() for _ in range(117)] + self._in_pause(3)
        for lon, lat, moment in points:
            utc = moment.astimezone(UTC)
            rows.append([lat, lon, round(self.random.uniform(300, 367), 1), 0.39, 0.36,
                         utc.date().isoformat(), f"{utc:%H%M}", "N", "VIIRS",
                         self.random.choice(["l", "n", "h"]), "2.0NRT",
                         round(self.random.uniform(270, 300), 1),
                         round(self.random.uniform(0.5, 12), 2), "D"])
        return _csv(VIIRS_HEADER, rows)


def _import(monitor, kind: str, name: str, text: str) -> None:
    if ImportRun.objects.filter(file_name=name, status=ImportRun.Status.SUCCEEDED).exists():
        return
    with tempfile.TemporaryDirectory(prefix="parley-demo-") as directory:
        path = Path(directory) / name
        path.write_text(text, encoding="utf-8")
        services.incidents_import(actor=monitor, kind=kind, path=path, file_name=name)


def _verify(users) -> list[str]:
    monitor = users["monitor"]
    said = []
    # The best-documented events first: most reports, then reports of an instant over days.
    open_events = list(Event.objects.filter(status=Event.Status.CANDIDATE)
                       .annotate(reports=Count("incidents"),
                                 instants=Count("incidents", filter=Q(incidents__time_end=None)))
                       .order_by("-instants", "-reports", "time_start", "reference"))
    if not Event.objects.filter(status=Event.Status.CONFIRMED).exists() and open_events:
        event = open_events.pop(0)
        services.event_start_review(actor=monitor, event=event,
                                    reasoning="Two sources; patrol tasked to the site.")
        services.event_confirm(
            actor=monitor, event=event,
            reasoning="Patrol saw a fresh crater 40 m from the road and shrapnel marks on the "
                      "ambulance bay; a satellite detection matches the time.",
        )
        said.append(f"{event.reference} confirmed")
    if not Event.objects.filter(status=Event.Status.UNDER_REVIEW).exists() and open_events:
        event = open_events.pop(0)
        services.event_start_review(actor=monitor, event=event,
                                    reasoning="Single report so far; asking both liaison "
                                              "officers for their accounts.")
        try:
            services.party_account_attach(
                actor=users["ru-head"], event=event, shared=True,
                text="Our liaison officer reports no fire from positions near the corridor at "
                     "that time.",
            )
        except NotFound:
            pass
        said.append(f"{event.reference} under review")
    return said


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance on the sphere between two (lon, lat) points, good enough to keep apart."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6_371_000 * math.asin(math.sqrt(min(h, 1.0)))


def _fresh_candidate(users, now: datetime) -> str | None:
    """A monitor's report of a few minutes into the latest window of an agreed pause begun in the
    last day: the candidate violation that the README's tour puts under review. Placed along a
    corridor as far as it goes from the reports of the events already under review or concluded
    (the corridor of another pause, if one has a window), so that it is not grouped into them."""
    taken = list(Incident.objects.filter(event__isnull=False).exclude(
        event__status=Event.Status.CANDIDATE).values_list("lon", "lat"))
    spots = []
    for agreement in agreement_selectors.agreement_list(actor=users["secretariat"]):
        if agreement.status != "agreed" or agreement.kind != "pause":
            continue
        begun = [window for window in agreement_selectors.agreement_windows(agreement)
                 if now - timedelta(days=1) < window.start <= now - timedelta(minutes=20)]
        lines = [feature["geometry"]["coordinates"] for feature in
                 agreement_selectors.agreement_areas_geojson(agreement)["features"]
                 if (feature.get("geometry") or {}).get("type") == "LineString"]
        if not begun or not lines:
            continue
        window = begun[-1]
        moment = min(window.end, now) - timedelta(minutes=7)
        spots += [(_along(line, step / 20), moment) for line in lines for step in range(21)]
    if not spots:
        return None
    (lon, lat), moment = max(spots, key=lambda spot: min(
        (_metres(spot[0], point) for point in taken), default=0.0))
    incident = services.monitor_report(
        actor=users["monitor"], lon=round(lon, 5), lat=round(lat, 5),
        time=moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat(), zone="UTC",
        type="explosion", precision_m=100,
        description="Explosion heard from the checkpoint; not yet reported by any other source.",
    )
    incident.refresh_from_db()
    return incident.event.reference if incident.event is not None else None


@sequential_references()
def load_monitoring_demo(users, say=print, now: datetime | None = None) -> None:
    now = now or timezone.now()
    monitor = users["monitor"]
    # The pause open whenever the demo is loaded (the medical evacuation's window is set around
    # the loading time); the daily pause is open only 10:00-14:00 Kyiv time, and feeding it too
    # would make the scenario depend on the hour it is loaded at.
    pauses = [agreement for agreement in agreement_selectors.agreement_list(
        actor=users["secretariat"], phase="active", now=now)
        if agreement.purpose == Agreement.Purpose.MEDEVAC]
    feeds = _Feeds(now, pauses)
    for kind, name, text in (
        (Source.Kind.PARLEY, f"jmm-daily-{feeds.day:%Y%m%d}.csv", feeds.parley()),
        (Source.Kind.ACLED, f"acled-ukraine-{feeds.day:%Y%m%d}.csv", feeds.acled()),
        (Source.Kind.FIRMS, f"firms-viirs-{feeds.day:%Y%m%d}.csv", feeds.firms()),
    ):
        _import(monitor, kind, name, text)
    reports = feeds._in_pause(2)
    already = Incident.objects.filter(source__kind=Source.Kind.MONITOR_REPORT,
                                      reporter=monitor, time_start__gte=now - timedelta(hours=12))
    file_reports = not already.exists()
    if file_reports:
        for (lon, lat, moment), seen in zip(reports, ("impact", "small_arms"), strict=False):
            services.monitor_report(
                actor=monitor, lon=lon, lat=lat,
                time=moment.astimezone(UTC).replace(tzinfo=None).isoformat(), zone="UTC",
                type=seen, precision_m=50,
                description="Heard and seen from the observation post on the river bank.",
            )
    steps = _verify(users)
    if file_reports:
        fresh = _fresh_candidate(users, now)
        if fresh is not None:
            steps.append(f"{fresh} a fresh candidate")
    say(f"  monitoring: {Incident.objects.count()} incidents from "
        f"{Source.objects.count()} sources, {Event.objects.count()} events"
        + (f" ({', '.join(steps)})" if steps else ""))
