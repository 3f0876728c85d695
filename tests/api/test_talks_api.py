"""The talks' API: positions by their visibility, the text with its brackets, signatures through
the API, commitments and the pulse; every hidden object answers 404 like a missing one."""

import datetime
import json

import pytest

from parley.core.services import api_token_create
from parley.engines import textsign
from parley.talks import services
from parley.talks.models import Visibility
from tests.factories import cast
from tests.factories.talks import pause_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
UA_RED_LINE = "No pause without the return of deported children."


def bearer(user) -> dict:
    _token, raw = api_token_create(actor=user, name="api", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_positions_through_the_api_follow_their_visibility(client):
    people = cast()
    item = services.agenda_item_create(actor=people.secretariat, round=people.day1,
                                       title="Pauses", topic="pauses")
    created = client.post(f"/api/agenda-items/{item.pk}/positions",
                          {"round": people.day1.pk, "kind": "red_line", "text": UA_RED_LINE,
                           "visibility": "own"}, content_type=JSON, **bearer(people.ua_head))
    assert created.status_code == 201
    position_id = created.json()["id"]
    services.position_take(actor=people.ru_head, item=item, round=people.day1, kind="offer",
                           text="A weekly pause.", visibility=Visibility.PARTIES)

    ua = client.get(f"/api/agenda-items/{item.pk}/positions", **bearer(people.ua_delegate))
    ru = client.get(f"/api/agenda-items/{item.pk}/positions", **bearer(people.ru_delegate))
    assert [p["text"] for p in ua.json()["items"]] == ["A weekly pause.", UA_RED_LINE]
    assert [p["text"] for p in ru.json()["items"]] == ["A weekly pause."]
    assert client.get(f"/api/positions/{position_id}",
                      **bearer(people.ru_head)).status_code == 404
    assert client.get(f"/api/positions/{position_id}",
                      **bearer(people.secretariat)).status_code == 404
    assert UA_RED_LINE not in ru.content.decode()


def test_a_bad_position_is_a_422_naming_the_field(client):
    people = cast()
    item = services.agenda_item_create(actor=people.secretariat, round=people.day1,
                                       title="Pauses", topic="pauses")
    response = client.post(f"/api/agenda-items/{item.pk}/positions",
                           {"round": people.day1.pk, "kind": "wish", "text": "x"},
                           content_type=JSON, **bearer(people.ua_head))
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["kind"]
    forbidden = client.post(f"/api/agenda-items/{item.pk}/positions",
                            {"round": people.day1.pk, "kind": "demand", "text": "x"},
                            content_type=JSON, **bearer(people.observer_user))
    assert forbidden.status_code == 403


def test_the_text_is_resolved_initialled_and_signed_through_the_api(client, tmp_path):
    people = cast()
    text = pause_text(people)
    resolve = client.post(f"/api/texts/{text.pk}/provisions/2.1/resolve",
                          {"wording": "The pause lasts four hours each day."},
                          content_type=JSON, **bearer(people.secretariat))
    assert resolve.status_code == 200
    assert [b["resolved"] for b in resolve.json()["provisions"][1]["brackets"]] == [True, True]
    for head in (people.ua_head, people.ru_head):
        assert client.post(f"/api/texts/{text.pk}/initial",
                           **bearer(head)).json()["status"] in ("negotiating", "initialled")
    for head in (people.ua_head, people.ru_head):
        key = textsign.load_private_key(textsign.generate_private_key_pem())
        assert client.post("/api/signing-keys", {"public_key": textsign.public_key_b64(key)},
                           content_type=JSON, **bearer(head)).status_code == 201
        export = client.get(f"/api/texts/{text.pk}/export", **bearer(head)).json()
        signed = client.post(f"/api/texts/{text.pk}/signatures",
                             {"signature": textsign.sign_digest(key, export["sha256"])},
                             content_type=JSON, **bearer(head))
        assert signed.status_code == 201
    final = client.get(f"/api/texts/{text.pk}/export", **bearer(people.ua_head)).json()
    assert [s["party"] for s in final["signatures"]] == ["ukraine", "russia"]
    assert textsign.verify_export(json.loads(json.dumps(final))).ok
    # Signed, but of an agreement that is not public: still none of the observer's business.
    assert client.get(f"/api/texts/{text.pk}", **bearer(people.observer_user)).status_code == 404
    text.agreement.status, text.agreement.public = "agreed", True
    text.agreement.save()
    shown = client.get(f"/api/texts/{text.pk}", **bearer(people.observer_user)).json()
    assert [p["body"] for p in shown["provisions"]] == [
        "The parties pause all fire in the agreed area.", "The pause lasts four hours each day."]
    assert [p["brackets"] for p in shown["provisions"]] == [[], []]


def test_an_unsigned_text_is_hidden_from_observers(client):
    people = cast()
    text = pause_text(people)
    assert client.get(f"/api/texts/{text.pk}", **bearer(people.observer_user)).status_code == 404
    assert client.get(f"/api/texts/{text.pk}/export",
                      **bearer(people.icrc_liaison)).status_code == 404


def test_commitments_are_marked_met_with_evidence_and_answered(client):
    people = cast()
    commitment = services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Open the checkpoint.", verification="Monitors.",
        due_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    missing = client.post(f"/api/commitments/{commitment.pk}/status", {"status": "met"},
                          content_type=JSON, **bearer(people.secretariat))
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["field"] == "evidence"
    met = client.post(f"/api/commitments/{commitment.pk}/status",
                      {"status": "met", "evidence": [{"kind": "event",
                                                      "reference": "EV-2026-0001"}]},
                      content_type=JSON, **bearer(people.secretariat))
    assert met.json()["status"] == "met"
    assert met.json()["evidence"] == [{"kind": "event", "reference": "EV-2026-0001",
                                       "note": ""}]
    answer = client.post(f"/api/commitments/{commitment.pk}/answers",
                         {"text": "Open since 09:00."}, content_type=JSON,
                         **bearer(people.ru_head))
    assert answer.status_code == 201
    assert client.get(f"/api/commitments/{commitment.pk}",
                      **bearer(people.observer_user)).status_code == 404
    pulse = client.get(f"/api/processes/{people.process.pk}/pulse",
                       **bearer(people.observer_user)).json()
    assert pulse["commitments"] == {"all": {"met": 1}}
    full = client.get(f"/api/processes/{people.process.pk}/pulse",
                      **bearer(people.ua_head)).json()
    assert full["commitments"] == {"Russian Federation": {"met": 1}}


def test_sessions_and_the_agenda_of_a_round(client):
    people = cast()
    services.session_create(
        actor=people.secretariat, round=people.day1, kind="proximity",
        starts_at=datetime.datetime(2026, 2, 23, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 2, 23, 11, tzinfo=datetime.UTC),
        attendance={people.ukraine: [people.ua_head]})
    services.agenda_item_create(actor=people.secretariat, round=people.day1,
                                title="Prisoner exchanges", topic="exchanges")
    sessions = client.get(f"/api/rounds/{people.day1.pk}/sessions",
                          **bearer(people.ru_delegate)).json()["items"]
    assert [(s["kind"], s["attendance"]) for s in sessions] == [
        ("proximity", {"ukraine": ["ua-head"]})]
    agenda = client.get(f"/api/rounds/{people.day1.pk}/agenda",
                        **bearer(people.observer_user)).json()["items"]
    assert [(i["number"], i["title"], i["status"]) for i in agenda] == [
        (1, "Prisoner exchanges", "open")]
    assert client.post("/api/agenda-items", {"round": people.day1.pk, "title": "x",
                                             "topic": "other"}, content_type=JSON,
                       **bearer(people.ua_head)).status_code == 403
