"""A read compiled once gives, with any values in its slots, what the ORM gives."""

import pytest
from django.db.models import Q

from parley.agreements.models import Agreement
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
