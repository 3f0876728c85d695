"""The iCalendar feed of windows per organisation and the CAP 1.2 alerts."""

import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import pytest

from parley.access.cap import NAMESPACE
from parley.agreements.services import calendar_feed_create
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CAP = {"cap": NAMESPACE}


def test_the_organisation_feed_lists_the_windows_it_may_move_in(client):
    c = access_cast()
    _, raw = calendar_feed_create(actor=c.wfp_liaison, label="calendar",
                                  kind="movement_windows")
    feed = client.get(f"/api/access/windows.ics?feed={raw}")
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    text = feed.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert f"DTSTART:{c.start:%Y%m%dT%H%M%S}Z" in text.splitlines()
    assert f"DTEND:{c.start + timedelta(hours=8):%Y%m%dT%H%M%S}Z" in text.splitlines()


def test_a_party_not_bound_gets_an_empty_feed(client):
    c = access_cast()
    _, raw = calendar_feed_create(actor=c.third_delegate, label="calendar",
                                  kind="movement_windows")
    text = client.get(f"/api/access/windows.ics?feed={raw}").content.decode()
    assert text.count("BEGIN:VEVENT") == 0


def test_cap_alert_for_the_next_window_opening_has_the_corridor_as_a_lat_lon_polygon(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.get(f"/api/agreements/{c.agreement.code}/cap.xml")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/cap+xml"
    root = ElementTree.fromstring(answer.content)  # noqa: S314 - our own output
    assert root.tag == f"{{{NAMESPACE}}}alert"
    assert root.findtext("cap:msgType", namespaces=CAP) == "Alert"
    assert root.findtext("cap:scope", namespaces=CAP) == "Restricted"
    info = root.find("cap:info", CAP)
    assert info.findtext("cap:event", namespaces=CAP) == "Humanitarian corridor opens"
    onset = c.start.isoformat()
    assert info.findtext("cap:onset", namespaces=CAP) == onset
    assert info.findtext("cap:expires", namespaces=CAP) == (
        c.start + timedelta(hours=8)).isoformat()
    polygon = info.findtext("cap:area/cap:polygon", namespaces=CAP).split()
    pairs = [tuple(map(float, pair.split(","))) for pair in polygon]
    assert pairs[0] == pairs[-1] and len(pairs) > 4
    # Latitude first: the corridor runs at 47.4–47.9 °N, 35.1–35.3 °E.
    assert all(47.4 < lat < 47.9 and 35.1 < lon < 35.3 for lat, lon in pairs)


def test_cap_alert_for_a_movement_names_no_route_no_plate(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.people.ru_head)
    answer = client.get(f"/api/movements/{movement.reference}/cap.xml")
    text = answer.content.decode()
    root = ElementTree.fromstring(answer.content)  # noqa: S314 - our own output
    info = root.find("cap:info", CAP)
    assert info.findtext("cap:event", namespaces=CAP) == "Humanitarian movement notified"
    assert info.findtext("cap:headline", namespaces=CAP) == "WFP: aid delivery under HP-2026-101"
    assert root.findtext("cap:identifier", namespaces=CAP) == f"parley-{movement.reference}-v1"
    vehicles = len(movement.current_version.vehicles)
    assert info.findtext("cap:description", namespaces=CAP).split(", on the road")[0] == (
        f"Movement {movement.reference} (version 1), {vehicles} "
        f"{'vehicle' if vehicles == 1 else 'vehicles'}"
    )
    assert "AP 1201 KC" not in text
    assert "35.20705" not in text
    client.force_login(c.third_delegate)
    assert client.get(f"/api/movements/{movement.reference}/cap.xml").status_code == 404
