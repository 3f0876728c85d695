"""A read compiled once gives, with any values in its slots, what the ORM gives."""

import pytest
from django.db.models import Q

from parley.agreements.models import Agreement, AgreementVersion
from parley.core.compiled import KEY_SLOT, TEXT_SLOT, CompiledRead
from parley.core.models import Party
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_compiled_read_gives_what_the_orm_gives_for_every_value():
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, bound_parties=[people.russia])
    AgreementFactory(code="HP-2026-002", owner=people.russia, status="proposed")
    columns = ("code", "owner__slug", "status", "public", "created_at", "bound_parties__slug")
    read = CompiledRead(
        Agreement.objects.filter(code=TEXT_SLOT).order_by("code").values_list(*columns),
        [TEXT_SLOT],
    )
    for code in ("HP-2026-001", "HP-2026-002", "HP-2099-999"):
        assert read.rows(code) == [
            list(row) for row in Agreement.objects.filter(code=code).order_by("code")
            .values_list(*columns)]
    by_owner = CompiledRead(Agreement.objects.filter(owner_id=KEY_SLOT, status=TEXT_SLOT)
                            .values_list("code"), [KEY_SLOT, TEXT_SLOT])
    assert by_owner.rows(people.russia.pk, "proposed") == [["HP-2026-002"]]
    assert by_owner.rows(people.russia.pk, "draft") == []


def test_a_value_not_compiled_as_one_parameter_is_refused():
    with pytest.raises(ValueError, match="slot"):
        CompiledRead(Party.objects.filter(slug="ua").values_list("pk"), [TEXT_SLOT])
    with pytest.raises(ValueError, match="slot"):
        CompiledRead(Party.objects.filter(Q(slug=TEXT_SLOT) | Q(name_en=TEXT_SLOT))
                     .values_list("pk"), [TEXT_SLOT])


def test_a_joined_read_gives_each_row_with_its_matches_or_nulls():
    people = cast()
    with_versions = AgreementFactory(code="HP-2026-001", owner=people.ukraine)
    AgreementVersion.objects.create(
        agreement=with_versions, number=2, areas=with_versions.current_version.areas,
        windows=with_versions.current_version.windows, created_by=people.ua_head)
    without = AgreementFactory(code="HP-2026-002", owner=people.russia)
    without.versions.all().delete()
    agreements = CompiledRead(
        Agreement.objects.filter(owner_id=KEY_SLOT).order_by().values_list("pk", "code"),
        [KEY_SLOT])
    versions = CompiledRead(AgreementVersion.objects.order_by().values_list("agreement_id",
                                                                           "number"))
    joined = agreements.left_join(versions, on=("pk", "agreement_id"),
                                  order_by=("code", "-number"))
    assert joined.rows(people.ukraine.pk) == [
        [with_versions.pk, "HP-2026-001", with_versions.pk, 2],
        [with_versions.pk, "HP-2026-001", with_versions.pk, 1],
    ]
    assert joined.rows(people.russia.pk) == [[without.pk, "HP-2026-002", None, None]]
    # The same slot on both sides: the value goes to both.
    numbered = CompiledRead(AgreementVersion.objects.filter(agreement__owner_id=KEY_SLOT)
                            .order_by().values_list("agreement_id", "number"), [KEY_SLOT])
    both = agreements.left_join(numbered, on=("pk", "agreement_id"), order_by=("number",))
    assert [row[3] for row in both.rows(people.ukraine.pk)] == [1, 2]
    with pytest.raises(ValueError, match="no column"):
        agreements.left_join(versions, on=("pk", "agreement_id"), order_by=("title",))
    with pytest.raises(ValueError, match="no column to join on"):
        agreements.left_join(versions, on=("code", "number_of"), order_by=("code",))
    two_slots = CompiledRead(AgreementVersion.objects.filter(
        agreement__owner_id=KEY_SLOT, agreement__code=TEXT_SLOT).values_list("agreement_id"),
        [KEY_SLOT, TEXT_SLOT])
    with pytest.raises(ValueError, match="slots"):
        agreements.left_join(two_slots, on=("pk", "agreement_id"), order_by=("code",))
