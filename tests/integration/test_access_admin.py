import pytest

from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_secretariat_reads_movements_in_the_admin_and_nobody_changes_them(client):
    c = access_cast()
    movement = notify(c)
    c.people.secretariat.is_staff = True
    c.people.secretariat.save()
    client.force_login(c.people.secretariat)
    listing = client.get("/admin/access/movement/")
    assert listing.status_code == 200
    assert movement.reference in listing.content.decode()
    assert client.get(f"/admin/access/movement/{movement.pk}/change/").status_code == 200
    assert client.post(f"/admin/access/movement/{movement.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    c.people.ru_head.is_staff = True
    c.people.ru_head.save()
    client.force_login(c.people.ru_head)
    assert client.get("/admin/access/movement/").status_code == 403
