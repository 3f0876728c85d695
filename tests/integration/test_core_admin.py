import pytest

from parley.agreements.services import agreement_update_draft
from parley.audit.models import AuditEntry
from parley.core.models import Party, User
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_admin_shows_the_secretariat_no_partys_draft(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, title="Ukrainian draft")
    AgreementFactory(code="HP-2026-002", owner=people.mediator, title="Mediator draft")
    AgreementFactory(code="HP-2026-003", owner=people.russia, status="proposed")
    agreement_update_draft(
        actor=people.ua_delegate,
        agreement=AgreementFactory(code="HP-2026-004", owner=people.ukraine),
        title="Secret plan",
    )
    client.force_login(staff(people.secretariat))

    listing = client.get("/admin/agreements/agreement/")
    audit = client.get("/admin/audit/auditentry/")

    assert listing.status_code == 200
    assert [a.code for a in listing.context["cl"].result_list] == ["HP-2026-002", "HP-2026-003"]
    assert b"Ukrainian draft" not in listing.content
    assert list(audit.context["cl"].result_list) == []
    hidden = AgreementFactory._meta.model.objects.get(code="HP-2026-001")
    assert client.get(f"/admin/agreements/agreement/{hidden.pk}/change/").status_code == 302


def test_a_delegate_with_staff_status_gets_no_admin_module(client):
    people = cast()
    client.force_login(staff(people.ua_head))

    assert client.get("/admin/agreements/agreement/").status_code == 403
    assert client.get("/admin/core/party/").status_code == 403


def test_admin_writes_are_audited(client):
    people = cast()
    client.force_login(staff(people.secretariat))

    response = client.post(
        "/admin/core/party/add/",
        data={
            "slug": "wfp",
            "kind": "humanitarian",
            "name_en": "World Food Programme",
            "name_uk": "",
            "name_ru": "",
            "time_zones": '["Europe/Rome"]',
        },
    )

    assert response.status_code == 302
    wfp = Party.objects.get(slug="wfp")
    entry = AuditEntry.objects.get(action="party.admin_add")
    assert (entry.actor, entry.object_id, entry.after["name_en"], entry.after["time_zones"]) == (
        people.secretariat,
        str(wfp.pk),
        "World Food Programme",
        ["Europe/Rome"],
    )


def test_agreements_cannot_be_changed_through_the_admin(client):
    people = cast()
    agreement = AgreementFactory(code="HP-2026-002", owner=people.mediator, title="Mediator draft")
    client.force_login(staff(people.secretariat))

    client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", data={"title": "Changed"})

    agreement.refresh_from_db()
    assert agreement.title == "Mediator draft"
    assert client.get("/admin/agreements/agreement/add/").status_code == 403


def test_the_secretariat_sees_accounts_and_the_operator_adds_a_first_account_administrator(
    client,
):
    """A party's accounts are its account administrators' (issue 8, finding 3): the secretariat
    only looks at them; the operator (a superuser, from the command line) makes a party's
    first account administrator here, audited."""
    people = cast()
    client.force_login(staff(people.secretariat))
    assert client.get("/admin/core/user/").status_code == 200
    assert client.get("/admin/core/user/add/").status_code == 403
    assert client.get(f"/admin/talks/round/{people.day1.pk}/change/").status_code == 200
    operator = User.objects.create_superuser("operator", password="an operator's passphrase")
    client.force_login(operator)
    assert client.get(f"/admin/core/user/{people.ua_head.pk}/change/").status_code == 200

    response = client.post(
        "/admin/core/user/add/",
        data={
            "username": "ua-accounts",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "party": people.ukraine.pk,
            "role": "delegate",
            "is_account_admin": "on",
        },
    )

    assert response.status_code == 302
    created = people.ukraine.members.get(username="ua-accounts")
    assert (created.role, created.is_account_admin) == ("delegate", True)
    entry = AuditEntry.objects.get(action="user.admin_add")
    assert (entry.actor, entry.after["username"], entry.after["party"]) == (
        operator,
        "ua-accounts",
        people.ukraine.pk,
    )
    assert "password" not in entry.after
