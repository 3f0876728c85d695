"""Person lists: upload (row by row, all or nothing, idempotent), correction, encryption at rest,
the identity-view log, and need-to-know with a second pair of parties whose persons could leak."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from parley.exchanges import crypto, selectors, services
from parley.exchanges.models import IdentityView, Person, PersonList
from tests.factories import PartyFactory, UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = ("record_id,family_name,given_name,patronymic,date_of_birth,military_unit,category,"
          "health\n")
HELD = HEADER + (
    "RU-1,Коваленко,Александр,Александрович,12.03.1994,в/ч А1234,pow,\n"
    "RU-2,Олейник,Алексей,Викторович,20.10.1982,A7891,pow,seriously wounded\n"
    "RU-3,Мельник,Наталья,Ивановна,1990-01-05,,detained_civilian,\n"
)


@pytest.fixture
def people():
    return cast()


@pytest.fixture
def stranger():
    """A second pair of belligerents: Ruritania's persons must never reach Ukraine's users."""
    ruritania = PartyFactory(slug="ruritania", name_en="Ruritania")
    PartyFactory(slug="borduria", name_en="Borduria")
    return UserFactory(username="ruritania-delegate", party=ruritania)


def upload(user, counterpart, text, *, side="held", title="Held", filename="list.csv"):
    return services.person_list_upload(actor=user, side=side, counterpart=counterpart,
                                       title=title, content=text.encode(), filename=filename)


def test_upload_saves_every_row_encrypted_and_twice_changes_nothing(people):
    report = upload(people.ru_delegate, people.ukraine, HELD)

    assert (report.created, report.updated, report.withdrawn, report.unchanged) == (3, 0, 0, 0)
    persons = list(Person.objects.order_by("row_number"))
    assert [(p.category, p.seriously_wounded_or_sick) for p in persons] == [
        ("pow", False), ("pow", True), ("detained_civilian", False)]
    assert crypto.unseal(persons[0].identity_token)["given_name"] == "Александр"
    again = upload(people.ru_delegate, people.ukraine, HELD)
    assert (again.created, again.updated, again.withdrawn, again.unchanged) == (0, 0, 0, 3)
    assert AuditEntry.objects.filter(action="exchanges.list_upload").count() == 1


def test_raw_database_column_holds_no_name(people):
    upload(people.ru_delegate, people.ukraine, HELD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_token FROM exchanges_person")
        raw = " ".join(row[0] for row in cursor.fetchall())
    for word in ("Коваленко", "Александр", "1994", "А1234", "Олейник"):
        assert word not in raw
    assert raw.startswith("gAAAA")  # a Fernet token


def test_a_bad_row_rejects_the_whole_file_and_names_every_row(people):
    upload(people.ru_delegate, people.ukraine, HELD)
    bad = HEADER + (
        "RU-1,Коваленко,Александр,Александрович,12.03.1994,в/ч А1234,pow,\n"
        "RU-4,Петренко,Иван,,31.02.1990,,pow,\n"
        "RU-5,Бойко,Иван,,1991-01-01,,spy,\n"
    )
    with pytest.raises(ValidationError) as caught:
        upload(people.ru_delegate, people.ukraine, bad)
    assert sorted(caught.value.message_dict) == ["rows[3].date_of_birth"]
    bad_category = HEADER + "RU-5,Бойко,Иван,,1991-01-01,,spy,\n"
    with pytest.raises(ValidationError) as caught:
        upload(people.ru_delegate, people.ukraine, bad_category)
    assert list(caught.value.message_dict) == ["rows[2].category"]
    assert Person.objects.count() == 3
    assert not Person.objects.filter(withdrawn=True).exists()


def test_reupload_updates_changed_rows_and_withdraws_missing_ones(people):
    upload(people.ru_delegate, people.ukraine, HELD)
    changed = HEADER + (
        "RU-1,Коваленко,Александр,Александрович,12.03.1994,в/ч А1234,pow,\n"
        "RU-2,Олейник,Алексей,Викторович,20.10.1983,A7891,pow,seriously wounded\n"
    )
    report = upload(people.ru_delegate, people.ukraine, changed)
    assert (report.created, report.updated, report.withdrawn, report.unchanged) == (0, 1, 1, 1)
    assert Person.objects.filter(withdrawn=True).count() == 1


def test_correction_audits_field_names_not_values(people):
    upload(people.ru_delegate, people.ukraine, HELD)
    person = Person.objects.order_by("row_number").first()
    services.person_correct(actor=people.ru_delegate, person=person,
                            changes={"family_name": "Коваленко-Петров"})
    entry = AuditEntry.objects.get(action="exchanges.person_correct")
    assert entry.after == {"fields": ["family_name"]}
    assert crypto.unseal(Person.objects.get(pk=person.pk).identity_token)["family_name"] == \
        "Коваленко-Петров"
    with pytest.raises(Forbidden):
        services.person_correct(actor=people.ua_delegate, person=person,
                                changes={"family_name": "X"})
    with pytest.raises(NotFound):
        services.person_correct(actor=people.observer_user, person=person,
                                changes={"family_name": "X"})


def test_who_sees_a_list(people, stranger):
    upload(people.ru_delegate, people.ukraine, HELD)
    borduria = PartyFactory(slug="borduria")
    upload(stranger, borduria, HEADER + "RR-1,Ruritanov,Pavel,,1980-01-01,,pow,\n",
           title="Ruritania holds")
    ours = PersonList.objects.get(party=people.russia)
    theirs = PersonList.objects.get(party=stranger.party)

    def visible(user):
        return sorted(pl.title for pl in selectors.visible_lists(actor=user))

    assert visible(people.ua_head) == ["Held"]
    assert visible(people.ru_delegate) == ["Held"]
    assert visible(people.icrc_liaison) == ["Held", "Ruritania holds"]
    assert visible(people.secretariat) == ["Held", "Ruritania holds"]
    assert visible(stranger) == ["Ruritania holds"]
    wfp = UserFactory(username="wfp", party=PartyFactory(slug="wfp", kind="humanitarian"))
    for outsider in (people.monitor_user, people.observer_user, wfp):
        assert visible(outsider) == []
        with pytest.raises(NotFound):
            selectors.person_list_get(actor=outsider, pk=ours.pk)
    with pytest.raises(NotFound):
        selectors.person_list_get(actor=people.ua_head, pk=theirs.pk)
    with pytest.raises(NotFound):
        selectors.person_get(actor=people.ua_head, pk=theirs.persons.get().pk)


def test_every_view_is_logged_and_only_allowed_identities_are_revealed(people, stranger):
    upload(people.ru_delegate, people.ukraine, HELD)
    persons = list(Person.objects.select_related("person_list"))
    shown = services.identities_reveal(actor=people.ua_head, persons=persons,
                                       surface=IdentityView.Surface.PAGE)
    assert sorted(identity["record_id"] for identity in shown.values()) == ["RU-1", "RU-2",
                                                                             "RU-3"]
    assert services.identities_reveal(actor=people.observer_user, persons=persons,
                                      surface=IdentityView.Surface.PAGE) == {}
    assert services.identities_reveal(actor=stranger, persons=persons,
                                      surface=IdentityView.Surface.PAGE) == {}
    log = selectors.person_views(actor=people.ru_delegate, person=persons[0])
    assert [(view.viewer.username, view.surface) for view in log] == [("ua-head", "page")]


def test_public_figures_are_counts_only(people):
    upload(people.ru_delegate, people.ukraine, HELD)
    assert selectors.public_figures() == [
        {"party": "russia", "side": "held", "category": "detained_civilian", "count": 1},
        {"party": "russia", "side": "held", "category": "pow", "count": 2},
    ]


def test_without_a_key_nothing_is_stored(people, settings, tmp_path):
    settings.IDENTITY_KEYS = []
    settings.IDENTITY_KEY_FILE = tmp_path / "missing.keys"
    with pytest.raises(ImproperlyConfigured):
        upload(people.ru_delegate, people.ukraine, HELD)
    assert Person.objects.count() == 0


def test_key_rotation_reencrypts_under_the_new_key(people, settings):
    from cryptography.fernet import Fernet

    upload(people.ru_delegate, people.ukraine, HELD)
    old_key = settings.IDENTITY_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [new_key, old_key]
    assert services.identities_rotate() == 3
    settings.IDENTITY_KEYS = [new_key]
    names = sorted(crypto.unseal(p.identity_token)["family_name"] for p in Person.objects.all())
    assert names == ["Коваленко", "Мельник", "Олейник"]


def test_only_a_belligerent_delegation_uploads(people):
    for user in (people.icrc_liaison, people.secretariat, people.observer_user):
        with pytest.raises(Forbidden):
            upload(user, people.ukraine, HELD)
    with pytest.raises(ValidationError) as caught:
        upload(people.ru_delegate, people.russia, HELD)
    assert list(caught.value.message_dict) == ["counterpart"]


def test_the_list_filter_finds_a_name_in_any_spelling(people):
    person_list = upload(people.ru_delegate, people.ukraine, HELD).person_list

    def found(query):
        return [crypto.unseal(p.identity_token)["record_id"] for p in selectors.person_rows(
            actor=people.ua_head, person_list=person_list, query=query)]

    assert found("Kovalenko") == ["RU-1"]
    assert found("Oleinik") == ["RU-2"]
    assert found("A7891") == ["RU-2"]
    assert found("Shevchenko") == []
    with pytest.raises(NotFound):
        selectors.person_rows(actor=people.observer_user, person_list=person_list)
