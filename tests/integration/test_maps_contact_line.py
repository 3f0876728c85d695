"""The contact line: the secretariat imports it (validated, replaced at once, audited); every
signed-in person sees it on the maps; a party can neither import one nor see anything more."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.agreements import selectors, services
from parley.agreements.models import ContactLine
from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from tests.factories import cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LINE = {"type": "LineString", "coordinates": [[33.5, 46.8], [34.6, 47.4], [35.9, 47.5]]}
DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def people():
    return cast()


def test_the_secretariat_imports_a_line_that_replaces_the_current_one_with_an_audit_entry(people):
    first = services.contact_line_import(actor=people.secretariat, geometry=LINE, valid_on=DAY,
                                         source="OSCE report 1")
    second = services.contact_line_import(
        actor=people.secretariat,
        geometry={"type": "Feature", "properties": {},
                  "geometry": {"type": "MultiLineString",
                               "coordinates": [LINE["coordinates"], [[36.0, 47.6], [37.2, 48.0]]]}},
        valid_on=DAY + datetime.timedelta(days=1), source="OSCE report 2")

    assert selectors.contact_line_current(actor=people.ru_head) == second
    assert second.geometry["type"] == "MultiLineString"
    entries = AuditEntry.objects.filter(action="contact_line.import").order_by("id")
    assert [e.object_id for e in entries] == [str(first.pk), str(second.pk)]
    assert entries[1].before == {"line": first.pk, "valid_on": "2026-12-01"}
    assert entries[1].after["positions"] == 5
    assert entries[1].after["valid_on"] == "2026-12-02"


@pytest.mark.parametrize("who", ["ua_head", "ru_delegate", "icrc_liaison", "monitor_user",
                                 "observer_user"])
def test_no_one_but_the_secretariat_imports_a_line(people, who):
    with pytest.raises(Forbidden):
        services.contact_line_import(actor=getattr(people, who), geometry=LINE, valid_on=DAY)
    assert not ContactLine.objects.exists()
    assert not AuditEntry.objects.filter(action="contact_line.import").exists()


def test_an_anonymous_caller_gets_not_found_and_sees_no_line(people):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        services.contact_line_import(actor=AnonymousUser(), geometry=LINE, valid_on=DAY)
    services.contact_line_import(actor=people.secretariat, geometry=LINE, valid_on=DAY)
    assert selectors.contact_line_current(actor=AnonymousUser()) is None


@pytest.mark.parametrize(("geometry", "message"), [
    ("{not json", "This is not JSON"),
    ({"type": "Polygon", "coordinates": [[[30, 46], [31, 46], [31, 47], [30, 46]]]},
     "feature 1: the contact line must be a LineString or MultiLineString, not Polygon."),
    ({"type": "LineString", "coordinates": [[33.5, 46.8]]},
     "feature 1: a line needs at least two positions."),
    ({"type": "LineString", "coordinates": [[33.5, 46.8], [47.4, 134.6]]},
     "feature 1, position 2: longitude must be within -180..180 and latitude within -90..90"),
    ({"type": "LineString", "coordinates": [[33.5, 46.8], ["34", 47]]},
     "feature 1, position 2: expected [longitude, latitude] numbers."),
    ({"type": "MultiLineString", "coordinates": [LINE["coordinates"], [[1, 2]]]},
     "feature 1, line 2: a line needs at least two positions."),
    ({"type": "FeatureCollection", "features": []}, "The FeatureCollection has no features."),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": LINE},
                                                {"type": "Feature", "geometry": None}]},
     "feature 2 has no geometry."),
])
def test_bad_geojson_is_refused_with_the_part_and_position_at_fault(people, geometry, message):
    with pytest.raises(ValidationError) as caught:
        services.contact_line_import(actor=people.secretariat, geometry=geometry, valid_on=DAY)
    assert message in caught.value.message_dict["geometry"][0]
    assert not ContactLine.objects.exists()


def test_a_missing_date_is_named(people):
    with pytest.raises(ValidationError) as caught:
        services.contact_line_import(actor=people.secretariat, geometry=LINE, valid_on=None)
    assert "valid_on" in caught.value.message_dict


def test_the_page_imports_a_file_and_the_maps_read_the_line(client, people):
    client.force_login(people.secretariat)
    upload = SimpleUploadedFile("line.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": LINE}]}
    ).encode(), content_type="application/geo+json")

    response = client.post(reverse("agreements:contact_line"),
                           {"file": upload, "valid_on": "2026-12-01", "source": "OSCE"})

    assert response.status_code == 302
    client.force_login(people.ru_delegate)
    data = client.get(reverse("agreements:contact_line_data")).json()
    assert data["geometry"] == LINE
    assert data["properties"]["valid_on"] == "2026-12-01"
    assert data["properties"]["label"] == "Contact line as of 1 Dec 2026"
    page = client.get(reverse("agreements:map")).content.decode()
    assert f'data-contact-line="{reverse("agreements:contact_line_data")}"' in page


def test_the_page_shows_a_bad_file_error_on_the_field(client, people):
    client.force_login(people.secretariat)
    upload = SimpleUploadedFile("line.geojson", b'{"type": "Point", "coordinates": [30, 50]}')

    response = client.post(reverse("agreements:contact_line"),
                           {"file": upload, "valid_on": "2026-12-01"})

    assert response.status_code == 422
    assert "not Point" in response.content.decode()
    assert not ContactLine.objects.exists()


def test_a_party_may_read_the_page_but_not_import(client, people):
    client.force_login(people.ua_head)
    assert client.get(reverse("agreements:contact_line")).status_code == 200
    response = client.post(reverse("agreements:contact_line"),
                           {"geometry": json.dumps(LINE), "valid_on": "2026-12-01"})
    assert response.status_code == 403
    assert not ContactLine.objects.exists()
    assert b"contact-line-form" not in client.get(reverse("agreements:contact_line")).content


def test_the_api_imports_for_the_secretariat_only(client, people):
    body = {"geometry": LINE, "valid_on": "2026-12-01", "source": "API"}
    client.force_login(people.ru_head)
    assert client.get("/api/contact-line").status_code == 404
    refused = client.post("/api/contact-line", body, content_type="application/json")
    assert refused.status_code == 403
    client.force_login(people.secretariat)
    bad = client.post("/api/contact-line", {**body, "geometry": {"type": "Point"}},
                      content_type="application/json")
    assert bad.status_code in (400, 422)
    assert "not Point" in bad.content.decode()
    done = client.post("/api/contact-line", body, content_type="application/json")
    assert done.status_code == 201, done.content
    client.force_login(people.ua_delegate)
    read = client.get("/api/contact-line").json()
    assert read["geometry"] == LINE and read["valid_on"] == "2026-12-01"
