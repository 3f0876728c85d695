"""Need-to-know for persons, on every surface: pages, API answers, the CSV export, the audit
trail and error answers. A second pair of parties (Ruritania holds Bordurians) has persons
whose names must reach nobody but those two parties, the intermediary and the secretariat; and
nobody outside Ukraine, Russia, the intermediary and the secretariat sees Ukraine's and Russia's."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parley.agreements import services as agreement_services
from parley.audit.models import AuditEntry
from parley.core.services import api_token_create
from parley.exchanges import services
from parley.exchanges.models import IdentityView, Person, PersonList
from tests.factories import PartyFactory, UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "record_id,family_name,given_name,patronymic,date_of_birth,military_unit,category\n"
OURS = HEADER + (
    "RU-1,Коваленко,Александр,Александрович,12.03.1994,в/ч А1234,pow\n"
    "RU-2,Олейник,Алексей,Викторович,20.10.1982,A7891,pow\n"
)
SOUGHT = HEADER + (
    "UA-1,Коваленко,Олександр,Олександрович,1994-03-12,A1234,pow\n"
    "UA-2,Oliinyk,Oleksii,Viktorovych,20/10/1982,А-7891,pow\n"
)
THEIRS = HEADER + "RR-1,Zzyzxovich,Bartholomew,Quentinovich,1977-07-07,Q-9999,pow\n"
OUR_NAMES = ("Коваленко", "Олейник", "Oliinyk")
THEIR_NAMES = ("Zzyzxovich", "Bartholomew", "Quentinovich")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def world():
    people = cast()
    ruritania = PartyFactory(slug="ruritania", name_en="Ruritania")
    borduria = PartyFactory(slug="borduria", name_en="Borduria")
    stranger = UserFactory(username="ruritania-delegate", party=ruritania)
    wfp = UserFactory(username="wfp", party=PartyFactory(slug="wfp", kind="humanitarian"),
                      role="liaison")

    def upload(user, counterpart, side, title, text):
        return services.person_list_upload(actor=user, side=side, counterpart=counterpart,
                                           title=title, content=text.encode(),
                                           filename="list.csv").person_list

    held = upload(people.ru_delegate, people.ukraine, "held", "Held", OURS)
    sought = upload(people.ua_delegate, people.russia, "sought", "Sought", SOUGHT)
    theirs = upload(stranger, borduria, "held", "Ruritania holds", THEIRS)
    services.reconciliation_run(actor=people.icrc_liaison, held_list=held, sought_list=sought)
    agreement = services.exchange_propose(
        actor=people.secretariat, process=people.process, title="Exchange",
        parties=[people.ukraine, people.russia], formula="all_for_all", place="Crossing",
        days=["2026-12-20"])
    for head in (people.ua_head, people.ru_head):
        agreement_services.agreement_consent(actor=head, agreement=agreement, version=1)
    return {"people": people, "stranger": stranger, "wfp": wfp, "held": held,
            "sought": sought, "theirs": theirs, "agreement": agreement}


def _pages(world) -> list[str]:
    code = world["agreement"].code
    persons = list(Person.objects.values_list("pk", flat=True))
    urls = ["/", "/exchanges/", "/exchanges/figures/", f"/exchanges/{code}/",
            f"/exchanges/{code}/report/"]
    for person_list in PersonList.objects.all():
        urls += [f"/exchanges/lists/{person_list.pk}/", f"/exchanges/lists/{person_list.pk}.csv",
                 f"/exchanges/lists/{person_list.pk}/?q=Zzyzx"]
    urls += [f"/exchanges/persons/{pk}/" for pk in persons]
    urls += ["/exchanges/reconciliations/1/", "/exchanges/reconciliations/1/?state=matched"]
    return urls


def _api(world) -> list[str]:
    code = world["agreement"].code
    urls = ["/api/exchanges/lists", "/api/exchanges/figures", f"/api/exchanges/{code}",
            "/api/exchanges/reconciliations/1/pairs"]
    urls += [f"/api/exchanges/lists/{pl.pk}/persons" for pl in PersonList.objects.all()]
    return urls


def _everything_seen(client, user, world) -> str:
    client.force_login(user)
    seen = []
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        seen.append(response.content.decode())
    _token, raw = api_token_create(actor=user, name="check", scope="write")
    for url in _api(world):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code in (200, 404), (url, response.status_code)
        seen.append(response.content.decode())
    client.logout()
    return "\n".join(seen)


@pytest.mark.parametrize("who", ["ua_head", "ru_delegate"])
def test_the_two_parties_see_their_persons_and_never_the_strangers(client, world, who):
    seen = _everything_seen(client, getattr(world["people"], who), world)
    for name in OUR_NAMES:
        assert name.upper() in seen or name in seen
    for name in THEIR_NAMES:
        assert name not in seen and name.upper() not in seen


@pytest.mark.parametrize("who", ["observer_user", "monitor_user"])
def test_outsiders_see_no_name_at_all(client, world, who):
    seen = _everything_seen(client, getattr(world["people"], who), world)
    for name in OUR_NAMES + THEIR_NAMES:
        assert name not in seen and name.upper() not in seen


def test_a_humanitarian_organisation_that_is_not_the_intermediary_sees_no_name(client, world):
    seen = _everything_seen(client, world["wfp"], world)
    for name in OUR_NAMES + THEIR_NAMES:
        assert name not in seen and name.upper() not in seen
    assert "Exchange" in seen  # the agreed exchange itself, with counts only


def test_the_stranger_sees_its_own_list_only(client, world):
    seen = _everything_seen(client, world["stranger"], world)
    assert "ZZYZXOVICH" in seen
    for name in OUR_NAMES:
        assert name not in seen and name.upper() not in seen


def test_the_intermediary_sees_every_list(client, world):
    seen = _everything_seen(client, world["people"].icrc_liaison, world)
    for name in ("ZZYZXOVICH", "КОВАЛЕНКО"):
        assert name in seen


def test_no_audit_entry_holds_a_name(world):
    for person in Person.objects.all():
        services.person_correct(actor=world["people"].ru_delegate
                                if person.person_list.party.slug == "russia"
                                else world["stranger"] if person.person_list.party.slug ==
                                "ruritania" else world["people"].ua_delegate,
                                person=person, changes={"given_name": "Changed"})
    dump = json.dumps([[e.before, e.after, e.note] for e in AuditEntry.objects.all()],
                      ensure_ascii=False)
    for name in OUR_NAMES + THEIR_NAMES + ("Changed", "Александр", "1994"):
        assert name not in dump


def test_errors_name_no_person(client, world):
    client.force_login(world["people"].ua_head)
    theirs = world["theirs"].persons.get()
    for url in (f"/exchanges/persons/{theirs.pk}/", f"/exchanges/lists/{world['theirs'].pk}/",
                f"/exchanges/lists/{world['theirs'].pk}.csv"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Zzyzxovich" not in response.content.decode()
    response = client.post("/exchanges/lists/upload/", {
        "title": "Bad", "side": "held", "counterpart": world["people"].russia.pk,
        "file": SimpleUploadedFile("bad.csv", (HEADER + "X-1,Qwertyuk,Ivan,,31.02.1990,,pow\n"
                                               ).encode())})
    assert response.status_code == 200
    assert "rows[2].date_of_birth" in response.content.decode()


def test_views_are_logged_per_surface_and_shown_to_the_persons_parties(client, world):
    people = world["people"]
    client.force_login(people.ua_head)
    client.get(f"/exchanges/lists/{world['held'].pk}/")
    client.get(f"/exchanges/lists/{world['held'].pk}.csv")
    surfaces = sorted(set(IdentityView.objects.filter(viewer=people.ua_head).values_list(
        "surface", flat=True)))
    assert surfaces == ["export", "page"]
    client.logout()
    client.force_login(people.ru_delegate)
    person = world["held"].persons.order_by("row_number").first()
    page = client.get(f"/exchanges/persons/{person.pk}/").content.decode()
    assert "ua-head (Ukraine) · page" in page
    assert IdentityView.objects.filter(viewer=people.ua_head, person=person).count() == 2


def test_api_upload_reports_every_rejected_row_and_saves_nothing(client, world):
    people = world["people"]
    _token, raw = api_token_create(actor=people.ua_delegate, name="lists", scope="write")
    before = Person.objects.count()
    response = client.post("/api/exchanges/lists", {
        "title": "New", "side": "held", "counterpart": "russia",
        "file": SimpleUploadedFile("new.csv", (
            HEADER + "N-1,Іванов,Іван,,1990-13-45,,pow\nN-2,Петров,Петро,,1991-01-01,,alien\n"
        ).encode())}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["detail"]] == ["rows[2].date_of_birth"]
    assert Person.objects.count() == before
    good = client.post("/api/exchanges/lists", {
        "title": "New", "side": "held", "counterpart": "russia",
        "file": SimpleUploadedFile("new.csv", (HEADER + "N-1,Іванов,Іван,,1990-01-01,,pow\n"
                                               ).encode())}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert good.status_code == 201
    assert (good.json()["created"], good.json()["list"]["party"]) == (1, "ukraine")

