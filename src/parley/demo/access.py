"""Humanitarian access in the demo scenario, loaded by `parley.demo.load` after the agreements.

Every movement and site goes through the services, so findings, audit entries and statuses are
what real use would leave. Notifications the checks block are stored as they would be in real
use when the organisation asks the secretariat to decide: *held* (seen only by the organisation
and the secretariat), and one of them released by the secretariat's override with its reason.
Loading twice changes nothing: each step looks for what it made before.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from parley.access import services
from parley.access.content import MovementContent
from parley.access.models import AccessTerms, Hazard, Movement, Site
from parley.agreements import selectors as agreement_selectors
from parley.core.errors import NotFound
from parley.core.references import sequential_references
from parley.demo.clock import next_spring_dst_change

KYIV = ZoneInfo("Europe/Kyiv")
DAILY_PAUSE = "HP-2026-001"
# The daily pause's corridor: Zaporizhzhia – (35.45, 47.70) – Orikhiv, 3 km wide.
CORRIDOR = [[35.1396, 47.8388], [35.45, 47.70], [35.7853, 47.5679]]
# Bent 9 km north at its middle, off the corridor around Komyshuvakha.
OFF_CORRIDOR = [[35.1396, 47.8388], [35.45, 47.78], [35.7853, 47.5679]]
KHERSON_BRIDGE = [[32.6169, 46.6354], [32.7150, 46.6713], [32.7183, 46.6167]]
# From Kherson 60 % of the way to the bridge, 3.4 km short of it: the right bank only.
KHERSON_RIGHT_BANK = [[32.6169, 46.6354], [32.6758, 46.6569]]
TRUCKS = [{"type": "truck", "plate": "AP 1201 KC"}, {"type": "truck", "plate": "AP 1202 KC"},
          {"type": "truck", "plate": "AP 1203 KC"}, {"type": "escort car", "plate": "WFP 07"}]
FLOUR = [{"item": "wheat flour", "quantity": 60, "unit": "t"},
         {"item": "bottled water", "quantity": 12000, "unit": "l"}]

SITES = [
    ("icrc", "Orikhiv central district hospital", "hospital", 35.7853, 47.5679, 500),
    ("wfp", "WFP warehouse, Zaporizhzhia Pivdennyi", "warehouse", 35.1460, 47.8190, 300),
    ("icrc", "Stepnohirsk school shelter", "shelter", 35.2610, 47.5900, 250),
    ("icrc", "Kherson Vodokanal pumping station", "water_station", 32.6010, 46.6440, 200),
]


def _route(coordinates) -> dict:
    return {"type": "LineString", "coordinates": coordinates}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _AccessScenario:
    def __init__(self, users, say):
        self.users = users
        self.say = say
        self.now = timezone.now()
        self.today = self.now.astimezone(KYIV).date()

    def agreement(self, code: str):
        try:
            return agreement_selectors.agreement_get(actor=self.users["secretariat"], code=code)
        except NotFound:
            return None

    def medevac(self):
        for agreement in agreement_selectors.agreement_list(
            actor=self.users["secretariat"], phase="active", now=self.now
        ):
            if agreement.title.startswith("Medical evacuation Kherson"):
                return agreement
        return None

    def notified(self, note: str) -> bool:
        return Movement.objects.filter(versions__number=1, versions__note=note).exists()

    def terms(self, agreement) -> None:
        if AccessTerms.objects.filter(agreement=agreement).exists():
            return
        services.access_terms_set(actor=self.users["secretariat"], agreement=agreement,
                                  ack_deadline_h=24, max_vehicles=10,
                                  cargo_limits={"fuel": 5000})

    def clean_convoy(self, agreement) -> None:
        note = "Weekly food convoy to Orikhiv."
        if self.notified(note):
            return
        day = self.today + timedelta(days=2)
        depart = datetime(day.year, day.month, day.day, 10, 30, tzinfo=KYIV)
        movement = services.movement_notify(
            actor=self.users["wfp"], agreement=agreement, purpose="aid",
            content=MovementContent(
                route=_route(CORRIDOR), depart=depart, speed_kmh=40, vehicles=TRUCKS,
                personnel=["Giulia Romano (convoy leader)", "4 drivers"], cargo=FLOUR,
                crossings=["Zaporizhzhia checkpoint", "Orikhiv checkpoint"], note=note,
            ),
        )
        services.movement_acknowledge(actor=self.users["ua-head"], movement=movement,
                                      version=1)
        self.say(f"  {movement.reference}: clean WFP convoy to Orikhiv, acknowledged by Ukraine, "
                 "awaiting Russia")

    def off_corridor(self, agreement) -> None:
        note = "Convoy to Orikhiv by the northern road."
        if self.notified(note):
            return
        day = self.today + timedelta(days=3)
        movement = services.movement_notify(
            actor=self.users["wfp"], agreement=agreement, purpose="aid",
            hold_for_secretariat=True,
            content=MovementContent(
                route=_route(OFF_CORRIDOR),
                depart=datetime(day.year, day.month, day.day, 10, 30, tzinfo=KYIV), speed_kmh=40,
                vehicles=TRUCKS[:2], cargo=FLOUR[:1], note=note,
            ),
        )
        self.say(f"  {movement.reference}: route leaves the corridor, held for the "
                 "secretariat")

    def across_dst(self, agreement) -> None:
        """Planned as if Kyiv were still on winter time on the day the clocks go forward: the
        window closes at 11:00Z, not 12:00Z, and the convoy is still on the road."""
        note = "Evacuation run planned in winter time on the day of the clock change."
        if self.notified(note):
            return
        day = next_spring_dst_change(self.today)
        at = [datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC) + timedelta(minutes=m)
              for m in (0, 50, 110)]
        movement = services.movement_notify(
            actor=self.users["icrc"], agreement=agreement, purpose="evacuation",
            hold_for_secretariat=True,
            content=MovementContent(
                route=_route(CORRIDOR), times=[_utc(moment) for moment in at],
                vehicles=[{"type": "bus", "plate": "ICRC 112"},
                          {"type": "bus", "plate": "ICRC 113"}],
                personnel=["Marc Dubois (team leader)", "2 drivers", "1 nurse"], note=note,
            ),
        )
        self.say(f"  {movement.reference}: ICRC run on {day} (clock change) still under way when "
                 "the window closes, held")

    def late_medevac(self, agreement) -> None:
        note = "Two patients for surgery in Kherson."
        if self.notified(note):
            return
        depart = self.now.replace(second=0, microsecond=0) + timedelta(hours=1)
        movement = services.movement_notify(
            actor=self.users["icrc"], agreement=agreement, purpose="medevac",
            hold_for_secretariat=True,
            content=MovementContent(
                route=_route(KHERSON_BRIDGE), depart=depart, speed_kmh=30,
                vehicles=[{"type": "ambulance", "plate": "ICRC 201"}],
                personnel=["Dr. Lea Meier", "1 paramedic"], note=note,
            ),
        )
        services.movement_override(
            actor=self.users["secretariat"], movement=movement,
            reason="Urgent medical evacuation; both delegations informed by the hotline.",
        )
        self.say(f"  {movement.reference}: ICRC medevac notified 1 h ahead (6 h required), "
                 "released by the secretariat's override")

    def right_bank_ambulance(self, agreement) -> None:
        """A run that stays on the Ukrainian bank: Russia is not told of it (need to know)."""
        note = "Ambulance to the right-bank end of the bridge road."
        if self.notified(note):
            return
        depart = self.now.replace(second=0, microsecond=0) + timedelta(hours=1)
        movement = services.movement_notify(
            actor=self.users["icrc"], agreement=agreement, purpose="medevac",
            hold_for_secretariat=True,
            content=MovementContent(
                route=_route(KHERSON_RIGHT_BANK), depart=depart, speed_kmh=30,
                vehicles=[{"type": "ambulance", "plate": "ICRC 202"}],
                personnel=["1 paramedic", "1 driver"], note=note,
            ),
        )
        services.movement_override(
            actor=self.users["secretariat"], movement=movement,
            reason="Meets the evacuation at the bridge; Ukraine informed by the hotline.",
        )
        self.say(f"  {movement.reference}: ICRC ambulance on the right bank only, notified to "
                 "Ukraine alone (released by override: 1 h notice)")

    def sites(self) -> None:
        for organisation, name, kind, lon, lat, radius in SITES:
            if Site.objects.filter(name=name).exists():
                continue
            services.site_notify(actor=self.users[organisation], name=name, kind=kind, lon=lon,
                                 lat=lat, radius_m=radius)
        self.say(f"  {len(SITES)} protected sites near the front (hospital, warehouse, shelter, "
                 "water station)")


MINED_VERGE = {"type": "LineString", "coordinates": [[35.700, 47.600], [35.720, 47.595]]}


def _hazard(scenario) -> None:
    """Reported last, so that the demo's own notifications keep the findings they had."""
    if Hazard.objects.exists():
        return
    services.hazard_report(actor=scenario.users["monitor"], kind="mined", geometry=MINED_VERGE,
                           note="Anti-tank mines on the verge west of Orikhiv")
    scenario.say("  HZ-0001: mined verge on the Orikhiv road, reported by the monitors")


@sequential_references()
def load_access_demo(users, say=lambda text: None) -> None:
    """Notifications and sites of the demo; `users` are the demo accounts by username."""
    scenario = _AccessScenario(users, say)
    say("Humanitarian access:")
    daily = scenario.agreement(DAILY_PAUSE)
    medevac = scenario.medevac()
    steps = []
    if daily is not None:
        steps += [lambda: scenario.terms(daily), lambda: scenario.clean_convoy(daily),
                  lambda: scenario.off_corridor(daily), lambda: scenario.across_dst(daily)]
    if medevac is not None:
        steps += [lambda: scenario.late_medevac(medevac),
                  lambda: scenario.right_bank_ambulance(medevac)]
    steps.append(scenario.sites)
    steps.append(lambda: _hazard(scenario))
    for step in steps:
        with transaction.atomic():
            step()
