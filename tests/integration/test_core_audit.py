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
