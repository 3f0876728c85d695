"""The talks in the demo scenario, loaded by `parley.demo.load` after monitoring: the Geneva
talks' days one and two with the article's agenda (humanitarian pauses, prisoner exchanges, local
ceasefires, humanitarian access), the parties' positions including a confidential red line on
each side, the negotiating text of the daily aid pause bracketed on day one, resolved on day two
and signed by both heads, commitments (one met, one late) and the communiqué of day one.

Each delegation's signing key is a PEM file in the var directory (`demo-keys/`), outside the
database, as a real delegation keeps it off the server. Loading twice changes nothing.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from parley.agreements import selectors as agreement_selectors
from parley.core.errors import NotFound
from parley.core.references import sequential_references
from parley.engines import textsign
from parley.talks import services
from parley.talks.models import AgendaItem, Commitment, DraftText, Process, Visibility

PROCESS_NAME = "Geneva Peace Talks"
DAILY_PAUSE = "HP-2026-001"
ZNPP_CEASEFIRE = "LC-2026-001"
GENEVA = ZoneInfo("Europe/Zurich")

UA_RED_LINE = ("No pause may freeze the front line: nothing in a pause text recognises "
               "control of territory.")
RU_RED_LINE = "No foreign armed personnel in the pause corridors, monitors included."


def demo_key_path(slug: str):
    return settings.VAR_DIR / "demo-keys" / f"{slug}.pem"


def _demo_key(slug: str):
    path = demo_key_path(slug)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textsign.generate_private_key_pem())
        path.chmod(0o600)
    return textsign.load_private_key(path.read_bytes())


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=GENEVA)


class _TalksScenario:
    def __init__(self, users, say):
        self.users = users
        self.say = say
        self.secretariat = users["secretariat"]
        self.process = Process.objects.get(name=PROCESS_NAME)
        self.day1, self.day2 = list(self.process.rounds.order_by("date", "name"))[:2]

    def agreement(self, code):
        try:
            return agreement_selectors.agreement_get(actor=self.secretariat, code=code)
        except NotFound:
            return None

    def sessions(self) -> None:
        for round_, sittings in (
            (self.day1, [("plenary", 10, 0, 12, 30), ("bilateral", 14, 0, 16, 0)]),
            (self.day2, [("proximity", 9, 30, 12, 0), ("plenary", 15, 0, 17, 0)]),
        ):
            delegations = {d.party.slug: d for d in round_.delegations.all()}
            for kind, h1, m1, h2, m2 in sittings:
                present = ["ukraine", "russia", "switzerland"] if kind != "plenary" else \
                    list(delegations)
                services.session_create(
                    actor=self.secretariat, round=round_, kind=kind,
                    starts_at=_at(round_.date, h1, m1), ends_at=_at(round_.date, h2, m2),
                    attendance={delegations[s].party: list(delegations[s].members.all())
                                for s in present if s in delegations})
        self.say("  sessions of days one and two, attendance by delegation")

    def agenda(self) -> dict[str, AgendaItem]:
        items = {}
        for key, title, topic, codes in (
            ("pauses", "Humanitarian pauses for aid and evacuations", "pauses", [DAILY_PAUSE]),
            ("exchanges", "Exchange of prisoners of war and detained civilians", "exchanges",
             []),
            ("ceasefires", "Local ceasefires for repairs at the Zaporizhzhia NPP",
             "ceasefires", [ZNPP_CEASEFIRE]),
            ("access", "Humanitarian access to Kherson and Zaporizhzhia oblasts", "access", []),
        ):
            agreements = [a for a in (self.agreement(code) for code in codes) if a]
            item = services.agenda_item_create(actor=self.secretariat, round=self.day1,
                                               title=title, topic=topic, agreements=agreements)
            services.agenda_item_table(actor=self.secretariat, item=item, round=self.day2)
            items[key] = item
        return items

    def positions(self, items) -> None:
        ua, ru = self.users["ua-head"], self.users["ru-head"]
        ua_delegate, ru_delegate = self.users["ua-delegate"], self.users["ru-delegate"]
        pauses, exchanges = items["pauses"], items["exchanges"]
        take = services.position_take
        take(actor=ua, item=pauses, round=self.day1, kind="demand",
             text="A daily pause of four hours on the Zaporizhzhia–Orikhiv road.",
             visibility=Visibility.PARTIES)
        take(actor=ru, item=pauses, round=self.day1, kind="offer",
             text="A daily pause of three hours, convoys notified 48 hours ahead.",
             visibility=Visibility.PARTIES)
        take(actor=ua_delegate, item=pauses, round=self.day1, kind="red_line",
             text=UA_RED_LINE, visibility=Visibility.OWN)
        take(actor=ru_delegate, item=pauses, round=self.day1, kind="red_line",
             text=RU_RED_LINE, visibility=Visibility.OWN)
        take(actor=ua, item=exchanges, round=self.day1, kind="demand",
             text="All for all, civilians first.", visibility=Visibility.PUBLIC)
        take(actor=ru, item=exchanges, round=self.day1, kind="offer",
             text="One for one, lists verified by the ICRC.", visibility=Visibility.PUBLIC)
        # Day two: Russia moves on hours and notice, Ukraine holds; on exchanges nobody budges.
        take(actor=ua, item=pauses, round=self.day2, kind="demand",
             text="A daily pause of four hours on the Zaporizhzhia–Orikhiv road.",
             visibility=Visibility.PARTIES)
        take(actor=ru, item=pauses, round=self.day2, kind="concession",
             text="Four hours daily, convoys notified 24 hours ahead.",
             visibility=Visibility.MEDIATOR)
        take(actor=ua, item=exchanges, round=self.day2, kind="demand",
             text="All for all, civilians first.", visibility=Visibility.PUBLIC)
        take(actor=ru, item=exchanges, round=self.day2, kind="offer",
             text="One for one, lists verified by the ICRC.", visibility=Visibility.PUBLIC)
        services.mediator_note_add(
            actor=self.secretariat, item=pauses, round=self.day1,
            text="Both will settle on four hours if the notice period moves to 24 hours.")
        services.agenda_item_set_status(actor=self.secretariat, item=pauses,
                                        status=AgendaItem.Status.AGREED)
        services.agenda_item_set_status(actor=self.secretariat, item=exchanges,
                                        status=AgendaItem.Status.UNDER_DISCUSSION)
        services.agenda_item_set_status(actor=self.secretariat, item=items["ceasefires"],
                                        status=AgendaItem.Status.AGREED_IN_PRINCIPLE)
        self.say("  agenda of four items; positions with a confidential red line on each side")

    def text(self, items) -> DraftText | None:
        agreement = self.agreement(DAILY_PAUSE)
        if agreement is None:
            return None
        s = self.secretariat
        text = services.text_create(actor=s, agreement=agreement,
                                    title="Daily aid pause on the Zaporizhzhia–Orikhiv road")
        services.agenda_item_link(actor=s, item=items["pauses"],
                                  agreements=list(items["pauses"].agreements.all()), text=text)
        services.provision_add(
            actor=s, text=text, article=1, paragraph=1,
            body="The parties suspend all hostilities along the Zaporizhzhia–Orikhiv road "
                 "(T0803) within 1.5 km of its axis during each pause window.")
        services.provision_add(
            actor=s, text=text, article=1, paragraph=2,
            body="The pause serves the delivery of humanitarian aid by the ICRC and WFP.")
        duration = services.provision_add(actor=s, text=text, article=2, paragraph=1,
                                          terms="window_hours")
        notice = services.provision_add(actor=s, text=text, article=2, paragraph=2)
        ua_hours = services.bracket_propose(
            actor=self.users["ua-delegate"], provision=duration, round=self.day1,
            wording="Each daily pause lasts four hours from 10:00 Kyiv time.")
        services.bracket_propose(
            actor=self.users["ru-delegate"], provision=duration, round=self.day1,
            wording="Each daily pause lasts three hours from 10:00 Kyiv time.")
        services.bracket_propose(
            actor=self.users["ru-delegate"], provision=notice, round=self.day1,
            wording="Each convoy is notified 48 hours before it moves.")
        services.bracket_propose(
            actor=s, provision=notice, round=self.day1,
            wording="Each convoy is notified 24 hours before it moves.")
        services.text_version_save(actor=s, text=text, round=self.day1)
        services.bracket_resolve(actor=s, provision=duration, bracket=ua_hours)
        services.bracket_resolve(
            actor=s, provision=notice,
            wording="Each convoy is notified to both parties 24 hours before it moves.")
        services.text_version_save(actor=s, text=text, round=self.day2)
        for head in ("ua-head", "ru-head"):
            text = services.text_initial(actor=self.users[head], text=text)
        for slug, head in (("ukraine", "ua-head"), ("russia", "ru-head")):
            key = _demo_key(slug)
            services.signing_key_register(actor=self.users[head],
                                          public_key=textsign.public_key_b64(key))
            services.text_sign(actor=self.users[head], text=text,
                               signature=textsign.sign_digest(key, text.digest))
        self.say(f"  {DAILY_PAUSE}: text bracketed on day one, resolved on day two, signed "
                 f"by both heads (keys in {demo_key_path('*').parent})")
        return text

    def commitments(self, text) -> None:
        s = self.secretariat
        parties = {d.party.slug: d.party for d in self.day1.delegations.all()}
        provisions = {p.number: p for p in text.provisions.all()} if text else {}
        held = services.commitment_create(
            actor=s, process=self.process, party=parties["russia"],
            provision=provisions.get("1.1"),
            what="Hold fire along the T0803 during the first daily window.",
            due_at=_at(self.day1.date, 13), verification="Joint Monitoring Mission reports "
            "no confirmed violation in the window.")
        services.commitment_set_status(
            actor=s, commitment=held, status=Commitment.Status.MET,
            evidence=[("movement", "WFP convoy through the T0803 corridor, first window"),
                      ("link", "https://monitoring.example.org/reports/day-1")],
            note="The convoy passed; no confirmed violation in the window.")
        lists = services.commitment_create(
            actor=s, process=self.process, party=parties["ukraine"],
            provision=provisions.get("2.2"),
            what="Notify the first convoy's vehicle list to both parties.",
            due_at=_at(self.day1.date, 9), verification="The secretariat's record of "
            "notifications.")
        services.commitment_set_status(
            actor=s, commitment=lists, status=Commitment.Status.LATE,
            evidence=[("file", "notification-log-day-1.pdf")],
            note="The list arrived at 11:40 Geneva time, 2 h 40 min after the deadline.")
        services.commitment_answer(
            actor=self.users["ua-head"], commitment=lists,
            text="The list was held up by a changed escort; the convoy itself moved on time.")
        services.commitment_create(
            actor=s, process=self.process, party=parties["russia"],
            provision=provisions.get("2.2"),
            what="Acknowledge each convoy notification within 6 hours.",
            due_at=_at(self.day2.date + timedelta(days=7), 18),
            verification="Acknowledgements in Parley's access log.")
        self.say("  commitments: one met, one late (with Ukraine's answer), one pending")

    def communique(self) -> None:
        communique = services.communique_draft(actor=self.secretariat, round=self.day1)
        services.communique_publish(actor=self.secretariat, communique=communique)
        services.communique_draft(actor=self.secretariat, round=self.day2)
        self.say("  communiqué of day one published; day two's in draft")


@sequential_references()
def load_talks_demo(users, say=lambda text: None) -> None:
    say("The talks' record:")
    scenario = _TalksScenario(users, say)
    if scenario.process.agenda_items.exists():
        say("  already loaded")
        return
    with transaction.atomic():
        scenario.sessions()
        items = scenario.agenda()
        scenario.positions(items)
        text = scenario.text(items)
        scenario.commitments(text)
        scenario.communique()
