"""The demo scenario, first part: the Geneva talks, their parties and people, and agreements
on real places.

`load_agreements_demo` is idempotent. Parties and accounts are seed data written directly (no
service creates parties yet); the talks frame and every agreement go through the services, so
the audit trail of the demo is the one real use would leave. One agreement must be active
whenever the demo starts: when none of the demo's is, a fresh one is agreed around the current
time.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from parley.agreements import selectors as agreement_selectors
from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.core.errors import NotFound
from parley.core.models import Party, User
from parley.core.references import sequential_references
from parley.core.types import existing
from parley.demo.clock import next_spring_dst_change
from parley.talks import services as talks_services
from parley.talks.models import Process, Round

PASSWORD = "parley-demo"  # noqa: S105 - the published password of the demo accounts
PROCESS_NAME = "Geneva Peace Talks"
KYIV = ZoneInfo("Europe/Kyiv")


@dataclass(frozen=True)
class PartySeed:
    slug: str
    kind: str
    name_en: str
    name_uk: str
    name_ru: str
    zones: tuple[str, ...]


PARTIES = [
    PartySeed("ukraine", Party.Kind.BELLIGERENT, "Ukraine", "Україна", "Украина",
              ("Europe/Kyiv",)),
    PartySeed("russia", Party.Kind.BELLIGERENT, "Russian Federation", "Російська Федерація",
              "Российская Федерация", ("Europe/Moscow",)),
    PartySeed("switzerland", Party.Kind.MEDIATOR, "Switzerland (host and mediator)",
              "Швейцарія (господар і посередник)", "Швейцария (хозяин и посредник)",
              ("Europe/Zurich",)),
    PartySeed("icrc", Party.Kind.HUMANITARIAN, "International Committee of the Red Cross",
              "Міжнародний комітет Червоного Хреста", "Международный комитет Красного Креста",
              ("Europe/Zurich",)),
    PartySeed("wfp", Party.Kind.HUMANITARIAN, "World Food Programme",
              "Всесвітня продовольча програма", "Всемирная продовольственная программа",
              ("Europe/Rome",)),
    PartySeed("monitors", Party.Kind.MONITOR, "Joint Monitoring Mission",
              "Спільна моніторингова місія", "Совместная мониторинговая миссия",
              ("Europe/Vienna",)),
    PartySeed("observer", Party.Kind.OBSERVER, "United Nations (observer)",
              "Організація Об'єднаних Націй (спостерігач)",
              "Организация Объединённых Наций (наблюдатель)", ("America/New_York",)),
]

# username, party, role, first name, last name
ACCOUNTS = [
    ("secretariat", "switzerland", User.Role.SECRETARIAT, "Anna", "Keller"),
    ("ua-head", "ukraine", User.Role.HEAD_OF_DELEGATION, "Olena", "Kovalenko"),
    ("ua-delegate", "ukraine", User.Role.DELEGATE, "Taras", "Melnyk"),
    ("ru-head", "russia", User.Role.HEAD_OF_DELEGATION, "Sergei", "Volkov"),
    ("ru-delegate", "russia", User.Role.DELEGATE, "Irina", "Sokolova"),
    ("icrc", "icrc", User.Role.LIAISON, "Marc", "Dubois"),
    ("wfp", "wfp", User.Role.LIAISON, "Giulia", "Romano"),
    ("monitor", "monitors", User.Role.MONITOR, "Jan", "Novak"),
    ("observer", "observer", User.Role.OBSERVER, "Amina", "Diallo"),
]
# Each administers the accounts of their own party (the Accounts page).
ACCOUNT_ADMINS = {"secretariat", "ua-head", "ru-head"}


def _line(*points, width_m, name, **properties):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": list(points)},
            "properties": {"width_m": width_m, "name": name, **properties}}


def _collection(*features):
    return {"type": "FeatureCollection",
            "features": [{"id": f"A{i}", **f} for i, f in enumerate(features, start=1)]}


ZAPORIZHZHIA = [35.1396, 47.8388]
STEPNOHIRSK = [35.2610, 47.5900]
VASYLIVKA = [35.2768, 47.4416]
ORIKHIV = [35.7853, 47.5679]
KHERSON = [32.6169, 46.6354]
ANTONIVSKYI_BRIDGE = [32.7150, 46.6713]
OLESHKY = [32.7183, 46.6167]
ZNPP = [34.5858, 47.5119]


def _local(day: date, hour: int, zone: ZoneInfo = KYIV) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone).isoformat()


class _Scenario:
    def __init__(self, stdout):
        self.stdout = stdout
        self.now = timezone.now()
        self.today = self.now.astimezone(KYIV).date()

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text + "\n")

    # -- people ----------------------------------------------------------------------------

    def parties(self) -> dict[str, Party]:
        parties = {}
        for seed in PARTIES:
            party, _created = Party.objects.update_or_create(
                slug=seed.slug,
                defaults={"kind": seed.kind, "name_en": seed.name_en, "name_uk": seed.name_uk,
                          "name_ru": seed.name_ru, "time_zones": list(seed.zones)},
            )
            parties[seed.slug] = party
        return parties

    def accounts(self, parties) -> dict[str, User]:
        users = {}
        for username, party, role, first, last in ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            user.party = parties[party]
            user.role = role
            user.first_name, user.last_name = first, last
            user.is_active = True
            # The secretariat runs the process, including the admin site.
            user.is_staff = role == User.Role.SECRETARIAT
            user.is_account_admin = username in ACCOUNT_ADMINS
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
            user.save()
            users[username] = user
        return users

    # -- the talks -------------------------------------------------------------------------

    def talks(self, parties, users) -> tuple[Process, list[Round]]:
        secretariat = users["secretariat"]
        process = Process.objects.filter(name=PROCESS_NAME).first()
        if process is None:
            process = talks_services.process_create(
                actor=secretariat, name=PROCESS_NAME, host=parties["switzerland"],
                mediator=parties["switzerland"],
                description="Talks on humanitarian pauses, corridors and local ceasefires.",
            )
        rounds = []
        for offset, (name, fmt) in enumerate(
            [("Day 1", Round.Format.PLENARY), ("Day 2", Round.Format.PROXIMITY)]
        ):
            round_ = process.rounds.filter(name=name).first()
            if round_ is None:
                round_ = talks_services.round_create(
                    actor=secretariat, process=process, name=name,
                    date=self.today + timedelta(days=offset),
                    venue="Palais des Nations, Geneva", format=fmt,
                )
                for slug, head, members in [
                    ("ukraine", "ua-head", ["ua-delegate"]),
                    ("russia", "ru-head", ["ru-delegate"]),
                    ("switzerland", "secretariat", []),
                    ("icrc", "icrc", []),
                    ("wfp", "wfp", []),
                ]:
                    talks_services.delegation_set(
                        actor=secretariat, round=round_, party=parties[slug], head=users[head],
                        members=[users[m] for m in members],
                    )
            rounds.append(round_)
        return process, rounds

    # -- agreements ------------------------------------------------------------------------

    def exists(self, code: str, actor: User) -> bool:
        try:
            agreement_selectors.agreement_get(actor=actor, code=code)
        except NotFound:
            return False
        return True

    def agree(self, agreement: Agreement, users, *, parties=("ua-head", "ru-head")) -> Agreement:
        for username in parties:
            agreement = agreement_services.agreement_consent(
                actor=users[username], agreement=agreement,
                version=existing(agreement.versions.order_by("-number").first(),
                                 f"version of {agreement.code}").number,
            )
        return agreement

    def draft(self, users, author: str, **fields) -> Agreement:
        parties = fields.pop("bound", ("ukraine", "russia"))
        return agreement_services.agreement_create_draft(
            actor=users[author],
            bound_parties=list(Party.objects.filter(slug__in=parties)),
            **fields,
        )

    def daily_aid_pause(self, process, rounds, users) -> None:
        """A daily 4-hour window at 10:00 Kyiv that runs across the spring DST change."""
        code = "HP-2026-001"
        if self.exists(code, users["secretariat"]):
            return
        last_day = next_spring_dst_change(self.today) + timedelta(days=14)
        count = (last_day - self.today).days + 1
        agreement = self.draft(
            users, "secretariat", code=code, process=process, round=rounds[0],
            kind=Agreement.Kind.PAUSE, purpose=Agreement.Purpose.AID,
            title="Daily aid pause on the Zaporizhzhia–Orikhiv road",
            areas=_collection(_line(ZAPORIZHZHIA, [35.45, 47.70], ORIKHIV, width_m=3000,
                                    name="Zaporizhzhia–Orikhiv (T0803)")),
            windows=[{"rrule": f"FREQ=DAILY;COUNT={count}",
                      "dtstart": f"{self.today.isoformat()}T10:00:00", "tz": "Europe/Kyiv",
                      "duration": "PT4H"}],
            lead_time_h=24, margin_min=30, public=True,
            who_may_move="ICRC and WFP convoys, marked vehicles, notified 24 h ahead",
        )
        agreement = agreement_services.agreement_propose(actor=users["secretariat"],
                                                         agreement=agreement)
        self.agree(agreement, users)
        self.say(f"  {code}: daily 10:00 Kyiv aid pause until {last_day}, agreed")

    def vasylivka_corridor(self, process, rounds, users) -> None:
        """An evacuation corridor proposed by the mediator and countered by Russia."""
        code = "HP-2026-002"
        if self.exists(code, users["secretariat"]):
            return
        saturday = self.today + timedelta(days=(5 - self.today.weekday()) % 7 or 7)
        agreement = self.draft(
            users, "secretariat", code=code, process=process, round=rounds[0],
            kind=Agreement.Kind.PAUSE, purpose=Agreement.Purpose.EVACUATION,
            title="Evacuation corridor Zaporizhzhia–Vasylivka",
            areas=_collection(_line(ZAPORIZHZHIA, STEPNOHIRSK, VASYLIVKA, width_m=2000,
                                    name="Zaporizhzhia–Stepnohirsk–Vasylivka")),
            windows=[{"start": f"{saturday.isoformat()}T07:00:00",
                      "end": f"{saturday.isoformat()}T15:00:00", "tz": "Europe/Kyiv"}],
            lead_time_h=48, margin_min=60,
            who_may_move="Civilians on foot and in private cars; ICRC escort",
        )
        agreement_services.agreement_propose(actor=users["secretariat"], agreement=agreement)
        agreement_services.agreement_counter(
            actor=users["ru-delegate"], agreement=agreement, version=1,
            areas=_collection(_line(ZAPORIZHZHIA, STEPNOHIRSK, VASYLIVKA, width_m=1000,
                                    name="Zaporizhzhia–Stepnohirsk–Vasylivka")),
            windows=[{"start": f"{saturday.isoformat()}T09:00:00",
                      "end": f"{saturday.isoformat()}T13:00:00", "tz": "Europe/Moscow"}],
            note="Narrower corridor and a shorter window, read in Moscow time.",
        )
        self.say(f"  {code}: corridor Zaporizhzhia–Vasylivka, proposed and countered")

    def znpp_ceasefire(self, process, rounds, users) -> None:
        """A local ceasefire in a 15 km radius around the Zaporizhzhia NPP for line repairs."""
        code = "LC-2026-001"
        if self.exists(code, users["secretariat"]):
            return
        monday = self.today + timedelta(days=(7 - self.today.weekday()) % 7 or 7)
        agreement = self.draft(
            users, "secretariat", code=code, process=process, round=rounds[1],
            kind=Agreement.Kind.CEASEFIRE, purpose=Agreement.Purpose.REPAIR,
            title="Local ceasefire around the Zaporizhzhia NPP for power-line repairs",
            areas=_collection({"type": "Feature",
                               "geometry": {"type": "Point", "coordinates": ZNPP},
                               "properties": {"kind": "site", "width_m": 30000,
                                              "name": "Zaporizhzhia NPP, 15 km radius"}}),
            windows=[{"rrule": "FREQ=DAILY;COUNT=10", "dtstart": f"{monday.isoformat()}T09:00:00",
                      "tz": "Europe/Moscow", "duration": "PT8H"}],
            lead_time_h=12, margin_min=30,
            who_may_move="Repair crews of the plant and the grid operator with IAEA staff",
        )
        agreement = agreement_services.agreement_propose(actor=users["secretariat"],
                                                         agreement=agreement)
        self.agree(agreement, users, parties=("ua-head",))
        self.say(f"  {code}: ceasefire around the ZNPP (15 km), Ukraine consented")

    def donetsk_draft(self, process, rounds, users) -> None:
        """Ukraine's own draft, visible to nobody else until proposed."""
        code = "HP-2026-003"
        if self.exists(code, users["ua-delegate"]):
            return
        self.draft(
            users, "ua-delegate", code=code, process=process, round=rounds[1],
            kind=Agreement.Kind.PAUSE, purpose=Agreement.Purpose.REPAIR,
            title="Repair pause for the Siverskyi Donets–Donbas water canal",
            areas=_collection({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
                [37.62, 48.50], [37.90, 48.50], [37.90, 48.62], [37.62, 48.62], [37.62, 48.50],
            ]]}, "properties": {"name": "Canal section Kostiantynivka–Chasiv Yar"}}),
            windows=[{"start": _local(self.today + timedelta(days=10), 8),
                      "end": _local(self.today + timedelta(days=10), 18)}],
            lead_time_h=24, margin_min=60, who_may_move="Water utility repair crews",
        )
        self.say(f"  {code}: Ukraine's draft on the Donetsk front (only Ukraine sees it)")

    def active_medevac(self, process, rounds, users) -> None:
        """A medical evacuation across the Dnipro, open at the moment the demo starts."""
        for agreement in agreement_selectors.agreement_list(
            actor=users["secretariat"], phase="active", now=self.now
        ):
            if agreement.title.startswith("Medical evacuation Kherson"):
                return
        start = self.now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        end = start + timedelta(hours=6)
        agreement = self.draft(
            users, "secretariat", process=process, round=rounds[1],
            kind=Agreement.Kind.PAUSE, purpose=Agreement.Purpose.MEDEVAC,
            title="Medical evacuation Kherson–Oleshky across the Antonivskyi Bridge",
            # The Dnipro is the line of contact: one feature per bank, each with the party in
            # control of it, so that a movement on one bank is shown to that party only.
            areas=_collection(
                _line(KHERSON, ANTONIVSKYI_BRIDGE, width_m=1500,
                      name="Kherson–Antonivskyi Bridge (right bank)", party="ukraine"),
                _line(ANTONIVSKYI_BRIDGE, OLESHKY, width_m=1500,
                      name="Antonivskyi Bridge–Oleshky (left bank)", party="russia"),
            ),
            windows=[{"start": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                      "end": end.astimezone(UTC).isoformat().replace("+00:00", "Z")}],
            lead_time_h=6, margin_min=45, public=True,
            who_may_move="ICRC ambulances, at most 6 vehicles",
        )
        agreement = agreement_services.agreement_propose(actor=users["secretariat"],
                                                         agreement=agreement)
        self.agree(agreement, users)
        self.say(f"  {agreement.code}: medical evacuation Kherson–Oleshky, agreed and active now")


@sequential_references()
def load_agreements_demo(stdout=None) -> tuple[dict, object]:
    """Parties, accounts, the talks and the agreements; returns the accounts by username and the
    scenario's `say`, which the other apps' demo loaders write their progress with."""
    scenario = _Scenario(stdout)
    scenario.say("Loading the demo scenario of the Geneva Peace Talks…")
    with transaction.atomic():
        parties = scenario.parties()
        users = scenario.accounts(parties)
        process, rounds = scenario.talks(parties, users)
    for step in (scenario.daily_aid_pause, scenario.vasylivka_corridor, scenario.znpp_ceasefire,
                 scenario.donetsk_draft, scenario.active_medevac):
        with transaction.atomic():
            step(process, rounds, users)
    return users, scenario.say
