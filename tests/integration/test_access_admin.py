import pytest

from parley.access import services
from parley.access.models import WebhookDelivery
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _receiver_on_this_machine(settings):
    # The receiving server of these tests listens on 127.0.0.1, which webhooks may not reach
    # unless the setting allows it (parley.access.outbound).
    settings.PARLEY_WEBHOOK_ALLOW_PRIVATE = True


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


def test_the_secretariat_reads_each_attempt_of_a_webhook_delivery_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    c = access_cast()
    services.webhook_create(actor=c.people.ru_delegate, url="http://127.0.0.1:9/closed")
    with django_capture_on_commit_callbacks(execute=True):
        notify(c)
    delivery = WebhookDelivery.objects.get()
    c.people.secretariat.is_staff = True
    c.people.secretariat.save()
    client.force_login(c.people.secretariat)
    page = client.get(f"/admin/access/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    [inline] = page.context["inline_admin_formsets"]
    assert [(form.original.number, form.original.error) for form in inline] == [
        (1, "no answer")]
