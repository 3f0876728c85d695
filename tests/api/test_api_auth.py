import pytest
from django.test import Client

from parley.agreements.services import calendar_feed_create
from parley.core.models import ApiToken
from parley.core.services import api_token_create, api_token_revoke
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_a_personal_token_authenticates_and_records_its_use(client):
    people = cast()
    token, raw = api_token_create(actor=people.ua_delegate, name="laptop")
    AgreementFactory(code="HP-2026-001", owner=people.ukraine)
    AgreementFactory(code="HP-2026-002", owner=people.russia)

    response = client.get("/api/agreements", headers=bearer(raw))

    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == ["HP-2026-001"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.digest == ApiToken.digest_of(raw)
    assert ApiToken.objects.filter(digest=raw).count() == 0


def test_a_revoked_token_is_refused(client):
    people = cast()
    token, raw = api_token_create(actor=people.ua_delegate, name="laptop")
    api_token_revoke(actor=people.ua_delegate, token=token)

    response = client.get("/api/agreements", headers=bearer(raw))

    assert response.status_code == 401


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer prl_not-a-token"}, {"Authorization": "Basic x"}]
)
def test_without_valid_credentials_the_api_answers_401(client, headers):
    cast()

    assert client.get("/api/parties", headers=headers).status_code == 401


def test_a_personal_token_in_the_query_string_opens_nothing(client):
    people = cast()
    _, raw = api_token_create(actor=people.icrc_liaison, name="calendar app")

    assert client.get(f"/api/calendar.ics?token={raw}").status_code == 401
    assert client.get(f"/api/calendar.ics?feed={raw}").status_code == 401
    assert client.get(f"/api/agreements?token={raw}").status_code == 401


def test_a_feed_secret_opens_its_own_feed_only(client):
    people = cast()
    _, raw = calendar_feed_create(actor=people.icrc_liaison, label="phone")

    assert client.get(f"/api/calendar.ics?feed={raw}").status_code == 200
    assert client.get(f"/api/access/windows.ics?feed={raw}").status_code == 401
    assert client.get(f"/api/agreements?feed={raw}").status_code == 401
    assert client.get("/api/agreements", headers=bearer(raw)).status_code == 401


def test_a_session_needs_the_csrf_token_to_write():
    people = cast()
    agreement = AgreementFactory(code="HP-2026-001", owner=people.ukraine)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.ua_delegate)

    assert browser.get("/api/agreements/HP-2026-001").status_code == 200
    response = browser.post(
        "/api/agreements/HP-2026-001/propose", data={}, content_type="application/json"
    )

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "draft"


def test_tokens_are_created_listed_and_revoked_through_the_api(client):
    people = cast()
    client.force_login(people.ru_head)

    created = client.post("/api/tokens", data={"name": "script", "scope": "write"},
                          content_type="application/json")
    listed = client.get("/api/tokens")

    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("prl_")
    assert [t["name"] for t in listed.json()["items"]] == ["script"]
    assert client.get("/api/parties", headers=bearer(raw)).status_code == 200
    token_id = created.json()["id"]
    other = Client()
    other.force_login(people.ua_head)
    assert other.delete(f"/api/tokens/{token_id}").status_code == 404
    assert client.delete(f"/api/tokens/{token_id}").status_code == 200
    assert Client().get("/api/parties", headers=bearer(raw)).status_code == 401


def test_the_api_docs_load_their_scripts_from_this_site(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"cdn.jsdelivr.net" not in response.content
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
