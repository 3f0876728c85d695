"""The cargo manifest as rows (item, quantity, unit) in the movement form: good rows are stored
as the API stores them, a bad row is named with its field and nothing is written, the amend form
brings the stored rows back (a unit outside the list included), removed and empty rows are no
cargo, and the agreement's cargo limits are checked as before."""

import pytest

from parley.access import services
from parley.access.content import MovementContent
from parley.access.models import Movement
from parley.audit.models import AuditEntry
from tests.factories.access import access_cast, notify
from tests.integration.test_access_pages import cargo_rows, form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NEW = "/access/movements/new/"


def test_good_rows_are_stored_as_item_quantity_and_unit(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.post(NEW, {**form_data(c), **cargo_rows(
        ("wheat flour", "40", "t"), ("", "", ""), ("insulin", "1500", "doses"),
        ("bottled water", "12000.5", "l"), extra=2), "notify": "1"})
    assert answer.status_code == 302
    assert Movement.objects.get().current_version.cargo == [
        {"item": "wheat flour", "quantity": 40.0, "unit": "t"},
        {"item": "insulin", "quantity": 1500.0, "unit": "doses"},
        {"item": "bottled water", "quantity": 12000.5, "unit": "l"}]


def test_a_bad_row_is_named_with_its_field_and_nothing_is_written(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    entries = AuditEntry.objects.count()
    answer = client.post(NEW, {**form_data(c), **cargo_rows(
        ("wheat flour", "40", "t"), ("insulin", "-3", "doses"), ("", "12", "boxes"),
        ("tents", "20", "tonnes of tents")), "notify": "1"})
    assert answer.status_code == 200
    assert answer.context["form"].cargo_errors() == [
        "cargo, row 2, quantity: Ensure this value is greater than or equal to 0.",
        "cargo, row 3, item: Name the item.",
        "cargo, row 4, unit: Select a valid choice. tonnes of tents is not one of the "
        "available choices."]
    html = answer.content.decode()
    assert 'data-errors-for="cargo-1-quantity"' in html
    assert 'data-errors-for="cargo-2-item"' in html
    # What was typed stays in the rows to be corrected.
    assert 'name="cargo-0-item" value="wheat flour"' in html
    assert (Movement.objects.count(), AuditEntry.objects.count()) == (0, entries)


def test_an_engine_error_lands_on_its_row(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.post(NEW, {**form_data(c), **cargo_rows(
        ("wheat flour", "40", "t"), ("", "", ""), ("fuel", "2000000000", "l")), "notify": "1"})
    assert answer.status_code == 200
    assert answer.context["form"].cargo_errors() == [
        "cargo, row 3, quantity: must be at most 1 000 000 000 (2000000000.0)"]
    assert Movement.objects.count() == 0


def test_the_amend_form_brings_back_the_rows_and_a_removed_row_is_dropped(client):
    c = access_cast()
    movement = notify(c)
    services.movement_amend(actor=c.wfp_liaison, movement=movement, version=1, content=(
        MovementContent(cargo=[{"item": "wheat flour", "quantity": 40, "unit": "t"},
                               {"item": "blankets", "quantity": 300, "unit": "bales"}])))
    client.force_login(c.wfp_liaison)
    url = f"/access/movements/{movement.reference}/amend/"
    form = client.get(url).context["form"]
    rows = form.cargo_rows
    assert [row.initial for row in rows.forms[:2]] == [
        {"item": "wheat flour", "quantity": 40, "unit": "t"},
        {"item": "blankets", "quantity": 300, "unit": "bales"}]
    assert ("bales", "bales") in rows.forms[1].fields["unit"].choices
    assert ("t", "tonnes (t)") in rows.forms[0].fields["unit"].choices
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(route=form.initial["route"], depart=form.initial["depart"]
                .strftime("%Y-%m-%dT%H:%M"), notify="1", **cargo_rows(
                    ("wheat flour", "40", "t"), ("blankets", "300", "bales"),
                    ("tents", "20", "pallets")))
    data["cargo-1-DELETE"] = "on"
    data["cargo-INITIAL_FORMS"] = "2"
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.context["form"].errors
    movement.refresh_from_db()
    assert movement.current_version.cargo == [
        {"item": "wheat flour", "quantity": 40.0, "unit": "t"},
        {"item": "tents", "quantity": 20.0, "unit": "pallets"}]


def test_the_agreements_cargo_limits_are_checked_as_before(client):
    c = access_cast()
    services.access_terms_set(actor=c.people.secretariat, agreement=c.agreement,
                              cargo_limits={"wheat flour": 30})
    client.force_login(c.wfp_liaison)
    answer = client.post(NEW, {**form_data(c), "check": "1"})
    [finding] = [f for f in answer.context["findings"] if f["code"] == "cargo_limit"]
    assert finding["text"] == ("40 t of wheat flour notified; agreement HP-2026-101 allows at "
                               "most 30 per movement.")
