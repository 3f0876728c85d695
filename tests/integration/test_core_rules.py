import pytest

from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.core.models import ApiToken
from parley.core.rules import is_delegate, is_head_of_delegation, is_member_of, is_secretariat
from parley.core.selectors import api_token_list, party_list
from parley.core.services import api_token_authenticate, api_token_create, api_token_revoke
from tests.factories import UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_role_predicates():
    people = cast()
    # A "secretariat" role outside the mediator's party does not make anyone the secretariat.
    impostor = UserFactory(username="impostor", party=people.russia, role="secretariat")

    assert [u.username for u in (people.secretariat, impostor) if is_secretariat(u)] == [
        "secretariat"
    ]
    assert [is_head_of_delegation(u) for u in (people.ua_head, people.ua_delegate)] == [True, False]
    assert [is_delegate(u) for u in (people.ua_head, people.ua_delegate, people.icrc_liaison)] == [
        True,
        True,
        False,
    ]
    assert is_member_of(people.ua_delegate, people.ukraine) is True
    assert is_member_of(people.ua_delegate, people.russia) is False


def test_party_list_needs_a_party():
    people = cast()
    stranger = UserFactory(username="stranger", party=None)

    assert party_list(actor=stranger).count() == 0
    assert party_list(actor=people.observer_user).count() == 6


def test_a_token_is_shown_once_stored_as_a_digest_and_revocable():
    people = cast()
    token, raw = api_token_create(actor=people.ua_head, name="laptop")
    _, other_raw = api_token_create(actor=people.ru_head, name="phone")

    assert raw.startswith("prl_")
    assert ApiToken.objects.get(pk=token.pk).digest == ApiToken.digest_of(raw)
    assert api_token_authenticate(raw=raw) == people.ua_head
    assert [t.name for t in api_token_list(actor=people.ua_head)] == ["laptop"]
    with pytest.raises(NotFound):
        api_token_revoke(actor=people.ru_head, token=token)

    api_token_revoke(actor=people.ua_head, token=token)

    assert api_token_authenticate(raw=raw) is None
    assert api_token_authenticate(raw=other_raw) == people.ru_head
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "api_token.create",
        "api_token.create",
        "api_token.revoke",
    ]


def test_a_deactivated_users_token_stops_working():
    people = cast()
    _, raw = api_token_create(actor=people.ua_head, name="laptop")
    people.ua_head.is_active = False
    people.ua_head.save(update_fields=["is_active"])

    assert api_token_authenticate(raw=raw) is None
