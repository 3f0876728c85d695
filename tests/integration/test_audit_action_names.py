"""An agreement's trail names every entry in words, including those another app wrote (the
access terms): no page shows a raw action code such as `access_terms.set`."""

import pytest

from parley.access import services
from tests.factories.access import access_cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_agreement_trail_names_the_access_terms_in_words(client):
    c = access_cast()
    services.access_terms_set(actor=c.people.secretariat, agreement=c.agreement,
                              ack_deadline_h=12)
    client.force_login(c.people.secretariat)

    page = client.get(f"/agreements/{c.agreement.code}/").content.decode()

    assert "set the access terms" in page
    assert "access_terms.set" not in page

