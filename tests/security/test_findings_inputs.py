"""Issue 8, findings 10 to 14: every input bounded (ranges, dates, uploads, geometry sanity, CSV
exports), each reproduced as it was reported and shown fixed."""

from datetime import timedelta

import pytest

from parley.access.models import AccessTerms
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
# The largest value a PositiveIntegerField holds on every database: 245 000 years of hours.
HUGE_HOURS = 2_147_483_647


def as_user(client, user):
    client.force_login(user)
    return client


# Finding 10: a stored value breaks later reads ----------------------------------------------


def test_finding_10_access_terms_out_of_range_refused_with_a_named_error(client):
    c = access_cast()
    api = as_user(client, c.people.secretariat)
    refused = api.put(
        f"/api/agreements/{c.agreement.code}/access-terms",
        data={"ack_deadline_h": 10**18},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert "ack_deadline_h" in str(refused.json())

    from django.core.exceptions import ValidationError

    from parley.access.services import access_terms_set

    with pytest.raises(ValidationError) as error:
        access_terms_set(
            actor=c.people.secretariat,
            agreement=c.agreement,
            ack_deadline_h=10**18,
            max_vehicles=10**9,
            cargo_limits={"fuel": 1e308},
        )
    assert set(error.value.message_dict) == {"ack_deadline_h", "max_vehicles", "cargo_limits[fuel]"}
    assert error.value.message_dict["ack_deadline_h"] == [
        "Give a whole number from 1 to 8 784 hours (not 1000000000000000000)."
    ]

    page = as_user(client, c.people.secretariat).post(
        f"/access/terms/{c.agreement.code}/", {"ack_deadline_h": "1000000000000000000"}
    )
    assert page.status_code == 200
    assert "8784" in page.content.decode() or "8 784" in page.content.decode()
    accepted = api.put(
        f"/api/agreements/{c.agreement.code}/access-terms",
        data={"ack_deadline_h": 48},
        content_type=JSON,
    )
    assert (accepted.status_code, accepted.json()["ack_deadline_h"]) == (200, 48)


def test_finding_10_a_stored_value_out_of_range_is_clamped_on_read_not_a_500(client):
    c = access_cast()
    movement = notify(c)
    AccessTerms.objects.update_or_create(agreement=c.agreement, defaults={"ack_deadline_h": 24})
    AccessTerms.objects.filter(agreement=c.agreement).update(ack_deadline_h=HUGE_HOURS)
    for user in (c.wfp_liaison, c.people.ua_head, c.people.secretariat):
        api = as_user(client, user)
        listed = api.get("/api/movements")
        assert listed.status_code == 200, user
        assert movement.reference in listed.content.decode()
        assert api.get(f"/api/movements/{movement.reference}").status_code == 200
        assert api.get(f"/access/movements/{movement.reference}/").status_code == 200
        assert api.get("/api/access/latency").status_code == 200
        assert api.get("/access/").status_code == 200

    from parley.access.selectors import acknowledgement_deadline

    movement.refresh_from_db()
    deadline = acknowledgement_deadline(type(movement).objects.get(pk=movement.pk))
    # The deadline reads as the range's end (a year of hours), not 245 000 years.
    released = movement.current_version.released_at
    assert deadline == released + timedelta(hours=24 * 366)
