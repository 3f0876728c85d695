"""The world the isolation suite probes: the whole demo (every kind of object, made through the
services), plus, for each party, confidential objects whose texts carry a unique marker
(`UA-SECRET-<kind>-<random>`), each with the viewers who must never read it.

Everything is made through the services, as a real user would make it. The markers are
registered in `World.secrets` with the viewers they are hidden from; the hidden objects' URL
parameters (codes, references, ids) in `World.hidden`, by kind and by the party that owns them.
"""

import copy
import io
import json
import secrets as random
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.utils import timezone

from parley import demo
from parley.access import services as access_services
from parley.access.content import MovementContent
from parley.access.models import Movement
from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.core.models import Party, User
from parley.core.services import api_token_create
from parley.exchanges import services as exchange_services
from parley.monitoring import services as monitoring_services
from parley.monitoring.models import Event
from parley.talks import services as talks_services
from parley.talks.models import AgendaItem, Provision, Round
from tests.factories import CORRIDOR, WINDOW
from tests.factories.access import ROUTE_UKRAINIAN_SIDE, SIDES

# The viewers every probe is made as (one account each; `anonymous` is nobody signed in).
VIEWERS = ("ua", "ru", "observer", "anonymous")
USERNAMES = {"ua": "ua-head", "ru": "ru-head", "observer": "observer"}
PARTY_OF = {"ua": "ukraine", "ru": "russia"}
OTHER = {"ua": "ru", "ru": "ua"}
ALL_BUT = {viewer: frozenset(set(VIEWERS) - {viewer}) for viewer in VIEWERS}

# A person list's columns (docs/formats.md §6).
LIST_HEADER = "record_id,family_name,given_name,patronymic,date_of_birth,military_unit,category\n"
# The Ukrainian bank of the Dnipro at Kherson: a route that crosses Ukraine's areas only.
KHERSON_RIGHT_BANK = [[32.6169, 46.6354], [32.6500, 46.6400]]
# Along the northern (Russian) half of the factories' two-sided corridor only.
RUSSIAN_SIDE = [[35.1800, 47.7200], [35.1500, 47.8000]]


@dataclass
class World:
    users: dict[str, User]
    # marker -> (kind, the viewers who must never read it)
    secrets: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # kind -> owner viewer ("ua", "ru", "secretariat") -> URL parameter values of hidden objects
    hidden: dict[str, dict[str, list]] = field(default_factory=dict)
    # kind -> a URL parameter value of an object every signed-in viewer may see
    shared: dict[str, object] = field(default_factory=dict)
    # kind -> owner viewer -> objects the other party sees, whose history it may not see
    peer: dict[str, dict[str, list]] = field(default_factory=dict)
    # viewer -> raw API token
    tokens: dict[str, str] = field(default_factory=dict)

    def marker(self, owner: str, kind: str, hidden_from) -> str:
        # Letters and digits only: no escaping (HTML, JSON, CSV, XML) changes it.
        value = f"{owner.upper()}-SECRET-{kind}-{random.token_hex(4).upper()}"
        self.secrets[value] = (kind, frozenset(hidden_from))
        return value

    def hide(self, kind: str, owner: str, value) -> None:
        self.hidden.setdefault(kind, {}).setdefault(owner, []).append(value)

    def finish(self) -> None:
        """The objects every signed-in viewer may see (or that exist at least), by kind, and the
        record's log entries that carry a party's hidden material."""
        from parley.access.models import Hazard, Site
        from parley.audit.models import LogEntry
        from parley.core.models import ApiToken
        from parley.exchanges.models import Pair, Person, PersonList, Reconciliation
        from parley.monitoring.models import Evidence, ImportRun
        from parley.talks.models import Commitment, DraftText

        def first(queryset, attr="pk"):
            found = queryset.order_by("pk").first()
            return None if found is None else getattr(found, attr)

        hidden_lists = [pk for pks in self.hidden.get("person_list", {}).values() for pk in pks]
        hidden_people = [pk for pks in self.hidden.get("person", {}).values() for pk in pks]
        self.shared.update(
            {
                "agreement": first(
                    Agreement.objects.filter(status=Agreement.Status.AGREED, public=True), "code"
                )
                or first(Agreement.objects.filter(status=Agreement.Status.AGREED), "code"),
                "movement": first(Movement.objects.all(), "reference"),
                "site": first(Site.objects.all(), "reference"),
                "hazard": first(Hazard.objects.all(), "reference"),
                "event": first(Event.objects.all(), "reference"),
                "import": first(ImportRun.objects.all()),
                "evidence": first(Evidence.objects.all()),
                "text": first(DraftText.objects.all()),
                "commitment": first(Commitment.objects.all()),
                "person_list": first(PersonList.objects.exclude(pk__in=hidden_lists)),
                "person": first(Person.objects.exclude(pk__in=hidden_people)),
                "reconciliation": first(Reconciliation.objects.all()),
                "pair": first(Pair.objects.all()),
                "exchange": first(Agreement.objects.filter(kind=Agreement.Kind.EXCHANGE), "code"),
                "record_entry": first(LogEntry.objects.all(), "seq"),
            }
        )
        for viewer in ("ua", "ru"):
            user = self.users[viewer]
            for token in ApiToken.objects.filter(user=user):
                self.hide("token", viewer, token.pk)
            from parley.access.models import Webhook

            for webhook in Webhook.objects.filter(party=user.party):
                self.hide("webhook", viewer, webhook.pk)
            markers = [
                m
                for m, (_k, hidden) in self.secrets.items()
                if OTHER[viewer] in hidden and m.startswith(viewer.upper())
            ]
            for entry in LogEntry.objects.select_related("audit_entry"):
                text = json.dumps(
                    [entry.audit_entry.before, entry.audit_entry.after, entry.audit_entry.note],
                    ensure_ascii=False,
                )
                if any(marker in text for marker in markers):
                    self.hide("record_entry", viewer, entry.seq)

    def forbidden_for(self, viewer: str) -> list[str]:
        return [
            marker for marker, (_kind, hidden_from) in self.secrets.items() if viewer in hidden_from
        ]


def _drafts(world: World, viewer: str) -> None:
    """A draft the party never proposed, edited once (its audit trail has a before and an
    after), with a second draft version."""
    head = world.users[viewer]
    hidden = ALL_BUT[viewer]
    process = Round.objects.order_by("pk").first().process
    ua, ru = Party.objects.get(slug="ukraine"), Party.objects.get(slug="russia")
    agreement = agreement_services.agreement_create_draft(
        actor=head,
        process=process,
        kind=Agreement.Kind.PAUSE,
        title=world.marker(viewer, "draft-title", hidden),
        purpose=Agreement.Purpose.EVACUATION,
        bound_parties=[ua, ru],
        areas=copy.deepcopy(CORRIDOR),
        windows=[dict(WINDOW)],
        who_may_move=world.marker(viewer, "who-may-move", hidden),
        note=world.marker(viewer, "draft-note", hidden),
    )
    agreement_services.agreement_update_draft(
        actor=head, agreement=agreement, title=world.marker(viewer, "draft-retitled", hidden)
    )
    world.hide("agreement", viewer, agreement.code)
    # A draft whose early wording the party changed before proposing it: once proposed, the
    # other party sees the agreement, never what it said while it was a draft (finding 1).
    proposed = agreement_services.agreement_create_draft(
        actor=head,
        process=process,
        kind=Agreement.Kind.PAUSE,
        title=world.marker(viewer, "early-title", hidden),
        purpose=Agreement.Purpose.EVACUATION,
        bound_parties=[ua, ru],
        areas=copy.deepcopy(CORRIDOR),
        windows=[dict(WINDOW)],
        who_may_move=world.marker(viewer, "early-who-may-move", hidden),
    )
    agreement_services.agreement_update_draft(
        actor=head,
        agreement=proposed,
        title=f"Corridor proposed by {viewer}",
        who_may_move="Civilians on foot.",
    )
    agreement_services.agreement_propose(actor=head, agreement=proposed)
    world.peer.setdefault("agreement", {}).setdefault(viewer, []).append(proposed.code)


def _talks(world: World, viewer: str) -> None:
    head = world.users[viewer]
    item = AgendaItem.objects.order_by("pk").first()
    round_ = item.rounds.order_by("pk").first()
    position = talks_services.position_take(
        actor=head,
        item=item,
        round=round_,
        kind="red_line",
        text=world.marker(viewer, "position", ALL_BUT[viewer]),
        visibility="own",
    )
    world.hide("position", viewer, position.pk)
    provision = Provision.objects.order_by("pk").first()
    if provision is not None:
        talks_services.comment_add(
            actor=head,
            provision=provision,
            text=world.marker(viewer, "comment", ALL_BUT[viewer]),
            visibility="own",
        )
    world.shared.setdefault("agenda_item", item.pk)
    world.shared.setdefault("round", round_.pk)
    world.shared.setdefault("process", item.process_id)


def _mediator_note(world: World) -> None:
    item = AgendaItem.objects.order_by("pk").first()
    talks_services.mediator_note_add(
        actor=world.users["secretariat"],
        item=item,
        round=item.rounds.order_by("pk").first(),
        text=world.marker("med", "mediator-note", VIEWERS),
    )


def _account(world: World, viewer: str) -> None:
    """The party's own, unshared account of an event both parties see."""
    event = Event.objects.order_by("pk").first()
    monitoring_services.party_account_attach(
        actor=world.users[viewer],
        event=event,
        text=world.marker(viewer, "account", ALL_BUT[viewer]),
        shared=False,
    )


def _person_list(world: World, viewer: str, third: Party) -> None:
    """A list the party keeps against a third belligerent: the other party has no part in it."""
    name = world.marker(viewer, "person", ALL_BUT[viewer]).replace("-", "")
    content = LIST_HEADER + f"{viewer.upper()}-X1,{name},Ivan,Petrovych,1990-01-02,A0001,pow\n"
    report = exchange_services.person_list_upload(
        actor=world.users[viewer],
        side="held",
        counterpart=third,
        title=world.marker(viewer, "list", ALL_BUT[viewer]),
        content=content.encode(),
        filename="list.csv",
    )
    # The family name is stored as given: the marker without dashes is what a page would show.
    world.secrets[name] = ("person", ALL_BUT[viewer])
    world.hide("person_list", viewer, report.person_list.pk)
    world.hide("person", viewer, report.person_list.persons.order_by("pk").first().pk)


def _token_and_webhook(world: World, viewer: str) -> None:
    user = world.users[viewer]
    _token, raw = api_token_create(actor=user, name=world.marker(viewer, "token", ALL_BUT[viewer]))
    world.tokens[viewer] = raw
    world.secrets[raw] = ("token-secret", ALL_BUT[viewer])
    hook = world.marker(viewer, "webhook", ALL_BUT[viewer])
    access_services.webhook_create(actor=user, url=f"https://hooks.example.org/{hook}")


def _objection(world: World) -> None:
    """The ICRC notifies a run on the Ukrainian bank only (Russia is not told), with a note;
    Ukraine objects to it with a reason. Neither reaches Russia or the observer."""
    icrc, secretariat = world.users["icrc"], world.users["secretariat"]
    agreement = (
        Agreement.objects.filter(status=Agreement.Status.AGREED, purpose=Agreement.Purpose.MEDEVAC)
        .order_by("code")
        .first()
    )
    depart = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)
    hidden = {"ru", "observer", "anonymous"}
    movement = access_services.movement_notify(
        actor=icrc,
        agreement=agreement,
        purpose="medevac",
        hold_for_secretariat=True,
        content=MovementContent(
            route={"type": "LineString", "coordinates": KHERSON_RIGHT_BANK},
            depart=depart,
            speed_kmh=30,
            vehicles=[{"type": "ambulance", "plate": "ICRC 303"}],
            personnel=[world.marker("icrc", "personnel", hidden)],
            note=world.marker("icrc", "movement-note", hidden),
        ),
    )
    movement = access_services.movement_override(
        actor=secretariat, movement=movement, reason="Released for the isolation suite."
    )
    movement = Movement.objects.get(pk=movement.pk)
    if movement.status == Movement.Status.HELD:  # pragma: no cover - depends on the demo
        return
    access_services.movement_object(
        actor=world.users["ua"],
        movement=movement,
        version=movement.current_version.number,
        reason=world.marker("ua", "objection", hidden),
    )
    world.hide("movement", "ua", movement.reference)


def _objection_then_amended_away(world: World) -> None:
    """Finding 2: a convoy on the Russian side only; Russia objects with a reason; the ICRC
    moves the route to the Ukrainian side. Ukraine now sees the movement, never Russia's
    objection to a version it was not told of."""
    icrc, secretariat = world.users["icrc"], world.users["secretariat"]
    ua, ru = Party.objects.get(slug="ukraine"), Party.objects.get(slug="russia")
    opens = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    window = {"start": opens.isoformat(), "end": (opens + timedelta(hours=8)).isoformat()}
    agreement = agreement_services.agreement_create_draft(
        actor=secretariat,
        process=Round.objects.order_by("pk").first().process,
        kind=Agreement.Kind.PAUSE,
        title="Corridor on both sides",
        purpose=Agreement.Purpose.AID,
        bound_parties=[ua, ru],
        areas=copy.deepcopy(SIDES),
        public=True,
        windows=[window],
        lead_time_h=24,
    )
    agreement = agreement_services.agreement_propose(actor=secretariat, agreement=agreement)
    for head in (world.users["ua"], world.users["ru"]):
        agreement = agreement_services.agreement_consent(actor=head, agreement=agreement, version=1)

    def content(route):
        return MovementContent(
            route={"type": "LineString", "coordinates": route},
            depart=opens + timedelta(hours=1),
            speed_kmh=30,
            vehicles=[{"type": "truck", "plate": "ICRC 404"}],
            personnel=["1 driver"],
        )

    movement = access_services.movement_notify(
        actor=icrc, agreement=agreement, purpose="aid", content=content(RUSSIAN_SIDE)
    )
    access_services.movement_object(
        actor=world.users["ru"],
        movement=movement,
        version=1,
        reason=world.marker("ru", "objection-v1", {"ua", "observer", "anonymous"}),
    )
    access_services.movement_amend(
        actor=icrc,
        movement=Movement.objects.get(pk=movement.pk),
        content=content(ROUTE_UKRAINIAN_SIDE["coordinates"]),
        version=1,
    )
    world.peer.setdefault("movement", {}).setdefault("ru", []).append(movement.reference)


def _evidence(world: World) -> None:
    """A monitor's report from the field with a file: nobody signed out reads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parley.monitoring.services.reports import REPORT_TYPES

    content = world.marker("mon", "evidence", {"anonymous"}).encode()
    monitoring_services.monitor_report(
        actor=world.users["monitor"],
        lon=35.7,
        lat=47.6,
        time=timezone.now().isoformat(),
        type=sorted(REPORT_TYPES)[0],
        description="Field report for the isolation suite.",
        files=[SimpleUploadedFile("evidence.txt", content, content_type="text/plain")],
    )


def _public_to_the_table(world: World) -> None:
    """Material every party at the table sees, but nobody signed out: a site, a hazard, a
    commitment (not the observer: the parties, the mediator and the monitors), an import's file
    (the monitors and the secretariat only)."""
    import tempfile
    from datetime import datetime as dt
    from pathlib import Path

    anonymous = {"anonymous"}
    access_services.site_notify(
        actor=world.users["wfp"],
        name=world.marker("wfp", "site", anonymous),
        kind="warehouse",
        lon=35.15,
        lat=47.82,
        radius_m=200,
    )
    access_services.hazard_report(
        actor=world.users["monitor"],
        kind="mined",
        geometry={"type": "LineString", "coordinates": [[35.70, 47.60], [35.72, 47.59]]},
        note=world.marker("mon", "hazard", anonymous),
    )
    talks_services.commitment_create(
        actor=world.users["secretariat"],
        process=Round.objects.order_by("pk").first().process,
        party=Party.objects.get(slug="russia"),
        what=world.marker("med", "commitment", {"observer", "anonymous"}),
        due_at=dt(2026, 12, 31, 12, tzinfo=UTC),
        verification="Monitors.",
    )
    name = world.marker("mon", "import", {"ua", "ru", "observer", "anonymous"}) + ".csv"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_text(
            "id,lat,lon,time,precision_m,type\nISO-1,46.0,30.0,2026-03-01T09:00:00Z,0,shelling\n"
        )
        monitoring_services.incidents_import(
            actor=world.users["monitor"], kind="parley", path=path, file_name=name
        )


def build(stdout=None) -> World:
    demo.load(stdout=stdout or io.StringIO())
    users = {user.username: user for user in User.objects.select_related("party")}
    world = World(users={**users, **{key: users[name] for key, name in USERNAMES.items()}})
    third = Party.objects.create(
        slug="third-state",
        kind=Party.Kind.BELLIGERENT,
        name_en="Third State",
        time_zones=["Europe/Minsk"],
    )
    for viewer in ("ua", "ru"):
        _drafts(world, viewer)
        _talks(world, viewer)
        _account(world, viewer)
        _person_list(world, viewer, third)
        _token_and_webhook(world, viewer)
    _mediator_note(world)
    _objection(world)
    _objection_then_amended_away(world)
    _evidence(world)
    _public_to_the_table(world)
    for viewer in ("observer",):
        _token, world.tokens[viewer] = api_token_create(
            actor=world.users[viewer], name="observer's token"
        )
    return world
