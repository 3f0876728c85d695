import pytest

from parley.audit.models import AppendOnlyError, AuditEntry
from parley.audit.services import audit_append
from tests.factories import cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_audit_entries_cannot_be_changed_or_deleted_one_by_one_or_in_bulk():
    people = cast()
    entry = audit_append(
        actor=people.secretariat, action="party.admin_change", obj=people.icrc,
        before={"name_en": "ICRC"}, after={"name_en": "International Committee of the Red Cross"},
    )

    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert list(AuditEntry.objects.values_list("note", "party__slug")) == [("", "switzerland")]


@pytest.mark.parametrize("who", ["member", "nobody"])
def test_an_appended_entry_reads_back_as_the_orm_would_have_written_it(who):
    people = cast()
    actor = people.ua_head if who == "member" else None
    written = audit_append(
        actor=actor, action="agreement.propose", obj=people.icrc,
        before=None, after={"title": "Пауза в Києві", "windows": [[1, 2.5]], "ok": True},
        note="через посередника",
    )
    orm = AuditEntry(actor=actor, party=getattr(actor, "party", None), action="agreement.propose",
                     object_type="core.party", object_id=str(people.icrc.pk), before=None,
                     after=written.after, note=written.note)
    orm.save()

    def row(pk):
        return AuditEntry.objects.filter(pk=pk).values(
            "actor", "party", "action", "object_type", "object_id", "before", "after", "note").get()

    stored = AuditEntry.objects.get(pk=written.pk)
    assert row(written.pk) == row(orm.pk)
    assert stored.at == written.at
    assert (stored.actor_id, stored.party_id) == (
        (people.ua_head.pk, people.ua_head.party_id) if actor else (None, None))
    assert stored.after == {"title": "Пауза в Києві", "windows": [[1, 2.5]], "ok": True}
