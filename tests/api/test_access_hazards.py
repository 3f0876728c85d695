from datetime import timedelta

import pytest

from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
# A mined stretch 300 m east of the middle of the factories' route.
MINED = {"type": "LineString", "coordinates": [[35.2110, 47.6300], [35.2110, 47.6460]]}


def test_a_monitor_reports_a_hazard_and_routes_near_it_are_warned(client):
    c = access_cast()
    client.force_login(c.people.monitor_user)
    reported = client.post("/api/hazards", data={"kind": "mined", "geometry": MINED,
                                                 "note": "Anti-tank mines on the verge"},
                           content_type=JSON)
    assert reported.status_code == 201
    assert (reported.json()["reference"], reported.json()["active"]) == ("HZ-0001", True)
    movement = notify(c)
    [finding] = movement.current_version.findings
    assert (finding["code"], finding["severity"], finding["field"]) == (
        "near_hazard", "warning", "route")
    assert finding["detail"].startswith("the route passes ")
    assert finding["detail"].endswith(
        "m from the mined hazard HZ-0001 (Anti-tank mines on the verge), within the 500 m to "
        "keep clear")
    client.force_login(c.third_delegate)
    assert [f["id"] for f in client.get("/api/hazards.geojson").json()["features"]] == [
        "HZ-0001"]
    client.force_login(c.people.monitor_user)
    cleared = client.post("/api/hazards/HZ-0001/clear", data={"reason": "Cleared by deminers"},
                          content_type=JSON)
    assert cleared.json()["active"] is False
    later = notify(c, depart=c.start + timedelta(hours=2))
    assert later.current_version.findings == []


def test_only_monitors_and_the_secretariat_report_and_bad_geometry_is_named(client):
    c = access_cast()
    client.force_login(c.people.ru_head)
    assert client.post("/api/hazards", data={"kind": "mined", "geometry": MINED},
                       content_type=JSON).status_code == 403
    client.force_login(c.people.monitor_user)
    bad = client.post("/api/hazards", data={"kind": "mined", "geometry": {
        "type": "LineString", "coordinates": [[35.2, 95.0], [35.2, 47.6]]}}, content_type=JSON)
    assert bad.status_code == 422
    assert bad.json() == {"detail": [{
        "field": "geometry",
        "message": "latitude outside ±90, the usual sign of swapped coordinates ([35.2, 95])"}]}
