"""The talks' pages as each reader sees them: the other side's confidential red line never
appears, the text shows its brackets by party, the diff and the exports work, the public pulse
names no party, and forms come back with their errors on the field."""

import datetime

import pytest

from parley.talks import services
from parley.talks.models import Visibility
from tests.factories import cast
from tests.factories.talks import pause_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

UA_RED_LINE = "No pause without the return of deported children."
RU_RED_LINE = "No monitors from NATO states."


@pytest.fixture
def item():
    people = cast()
    item = services.agenda_item_create(actor=people.secretariat, round=people.day1,
                                       title="Humanitarian pauses", topic="pauses")
    services.position_take(actor=people.ua_head, item=item, round=people.day1, kind="red_line",
                           text=UA_RED_LINE, visibility=Visibility.OWN)
    services.position_take(actor=people.ru_head, item=item, round=people.day1, kind="red_line",
                           text=RU_RED_LINE, visibility=Visibility.OWN)
    services.mediator_note_add(actor=people.secretariat, item=item, round=people.day1,
                               text="Hours are movable.")
    item.people = people
    return item


@pytest.mark.parametrize(("reader", "sees", "hidden"), [
    ("ua_head", UA_RED_LINE, RU_RED_LINE),
    ("ru_delegate", RU_RED_LINE, UA_RED_LINE),
])
def test_each_side_reads_its_own_red_line_only(client, item, reader, sees, hidden):
    client.force_login(getattr(item.people, reader))
    page = client.get(f"/talks/items/{item.pk}/").content.decode()
    assert sees in page
    assert hidden not in page
    assert "Hours are movable." not in page


def test_the_secretariat_reads_its_notes_but_no_confidential_red_line(client, item):
    client.force_login(item.people.secretariat)
    page = client.get(f"/talks/items/{item.pk}/").content.decode()
    assert "Hours are movable." in page
    assert UA_RED_LINE not in page and RU_RED_LINE not in page


def test_the_item_trail_names_each_action_in_words(client, item):
    client.force_login(item.people.secretariat)
    page = client.get(f"/talks/items/{item.pk}/").content.decode()
    assert "added an agenda item" in page
    assert "agenda_item.create" not in page and "position.take" not in page


def test_a_position_without_text_comes_back_with_the_error_on_the_field(client, item):
    client.force_login(item.people.ua_delegate)
    response = client.post(f"/talks/items/{item.pk}/positions/", {
        "round": item.people.day1.pk, "kind": "demand", "text": "  ", "visibility": "own"})
    assert response.status_code == 422
    assert 'data-errors-for="text"' in response.content.decode()


def test_the_text_page_shows_brackets_by_party_and_the_diff(client):
    people = cast()
    text = pause_text(people)
    services.text_version_save(actor=people.secretariat, text=text, round=people.day1)
    services.bracket_resolve(actor=people.secretariat, provision=text.provisions.get(article=2),
                             wording="The pause lasts four hours each day.")
    services.text_version_save(actor=people.secretariat, text=text, round=people.day1)
    client.force_login(people.ru_head)
    page = client.get(f"/talks/texts/{text.pk}/").content.decode()
    assert "The pause lasts four hours each day." in page
    diff = client.get(f"/talks/texts/{text.pk}/diff/?from=1&to=2").content.decode()
    assert "<del>] [RU: The pause lasts three hours each day.]</del>" in diff
    assert client.get(f"/talks/texts/{text.pk}/diff/?from=1&to=9").status_code == 404
    client.force_login(people.observer_user)
    assert client.get(f"/talks/texts/{text.pk}/").status_code == 404


def test_the_exports_carry_the_hash(client):
    people = cast()
    text = pause_text(people, resolved=True)
    client.force_login(people.ua_head)
    markdown = client.get(f"/talks/texts/{text.pk}/export.md").content.decode()
    assert markdown.startswith("# Humanitarian pause at Orikhiv\n")
    assert "2.1. The pause lasts four hours each day." in markdown
    xml = client.get(f"/talks/texts/{text.pk}/export.xml").content.decode()
    assert '<provision article="2" paragraph="1">The pause lasts four hours each day.' in xml
    pdf = client.get(f"/talks/texts/{text.pk}/export.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.get(f"/talks/texts/{text.pk}/export.docx").status_code == 404


def test_the_public_pulse_names_no_party_and_a_commitment_met_shows(client):
    people = cast()
    commitment = services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Open the Vasylivka checkpoint.", verification="Monitors.",
        due_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    services.commitment_set_status(actor=people.secretariat, commitment=commitment,
                                   status="met", evidence=[("event", "EV-2026-0001")])
    client.force_login(people.observer_user)
    public = client.get(f"/talks/processes/{people.process.pk}/pulse/").content.decode()
    assert "Russian Federation" not in public
    assert "Open the Vasylivka checkpoint." not in public
    assert 'data-status="met"' in public
    client.force_login(people.ua_head)
    full = client.get(f"/talks/processes/{people.process.pk}/pulse/").content.decode()
    assert "Russian Federation: Open the Vasylivka checkpoint." in full
    assert client.get(f"/talks/commitments/{commitment.pk}/").status_code == 200
    client.force_login(people.observer_user)
    assert client.get(f"/talks/commitments/{commitment.pk}/").status_code == 404


def test_charts_keep_svg_numbers_unlocalised_in_russian(client, settings):
    people = cast()
    services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Open the checkpoint.", verification="Monitors.",
        due_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    client.force_login(people.ru_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(f"/talks/processes/{people.process.pk}/commitments/").content.decode()
    assert "Выполнение по сторонам" in page
    assert '<rect x="230" y="4" width="350.0"' in page


def test_a_session_is_entered_in_a_zone_with_the_members_present(client):
    people = cast()
    for party, head, members in ((people.ukraine, people.ua_head, [people.ua_delegate]),
                                 (people.russia, people.ru_head, [people.ru_delegate])):
        services.delegation_set(actor=people.secretariat, round=people.day1, party=party,
                                head=head, members=members)
    client.force_login(people.secretariat)
    response = client.post(f"/talks/rounds/{people.day1.pk}/sessions/", {
        "zone": "Europe/Kyiv", "kind": "bilateral", "starts_at": "2026-02-23T10:00",
        "ends_at": "2026-02-23T12:30", "venue": "Room XVII",
        "parties": [str(people.ukraine.pk), str(people.russia.pk)],
        "members": [str(people.ua_head.pk)]})
    assert response.status_code == 302
    session = people.day1.sessions.get()
    assert session.starts_at.isoformat() == "2026-02-23T08:00:00+00:00"
    assert {a.party.slug: sorted(m.username for m in a.members.all())
            for a in session.attendance.all()} == {
        "ukraine": ["ua-head"], "russia": ["ru-delegate", "ru-head"]}
    page = client.get(f"/talks/rounds/{people.day1.pk}/").content.decode()
    assert "23 Feb 2026 08:00 UTC" in page and "10:00 Kyiv (EET)" in page
    assert "11:00 Moscow (MSK)" in page
    backwards = client.post(f"/talks/rounds/{people.day1.pk}/sessions/", {
        "zone": "Europe/Kyiv", "kind": "plenary", "starts_at": "2026-02-23T12:00",
        "ends_at": "2026-02-23T11:00"})
    assert backwards.status_code == 422
    assert "A session ends after it starts." in backwards.content.decode()


def test_the_dashboard_panel_names_the_text_awaiting_the_heads_initials(client):
    people = cast()
    text = pause_text(people, resolved=True)
    client.force_login(people.ua_head)
    page = client.get("/").content.decode()
    assert 'id="talks-panel"' in page
    assert f'href="/talks/texts/{text.pk}/">Humanitarian pause at Orikhiv</a> · awaits your ' \
           "party's initials" in page
    client.force_login(people.ua_delegate)
    assert "awaits your party's initials" not in client.get("/").content.decode()
