import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parley.access import services
from parley.access.content import MovementContent
from parley.access.models import CoordinateAccessLog, Movement
from tests.factories.access import (
    ROUTE,
    ROUTE_OUTSIDE,
    ROUTE_UKRAINIAN_SIDE,
    SIDES,
    access_cast,
    notify,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

GPX = """<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="47.4373" lon="35.2745"><time>{0}</time></trkpt>
<trkpt lat="47.63805" lon="35.20705"><time>{1}</time></trkpt>
<trkpt lat="47.8388" lon="35.1396"><time>{2}</time></trkpt>
</trkseg></trk></gpx>"""


def cargo_rows(*rows, extra=1):
    """The cargo formset's fields: one row per (item, quantity, unit), then `extra` empty."""
    data = {"cargo-TOTAL_FORMS": str(len(rows) + extra), "cargo-INITIAL_FORMS": "0",
            "cargo-MIN_NUM_FORMS": "0", "cargo-MAX_NUM_FORMS": "200"}
    for index, (item, quantity, unit) in enumerate(rows):
        data.update({f"cargo-{index}-item": item, f"cargo-{index}-quantity": quantity,
                     f"cargo-{index}-unit": unit})
    return data


def form_data(c, route=ROUTE, **overrides):
    depart = (c.start + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Rome"))
    data = {
        "agreement": c.agreement.code, "purpose": "aid",
        "route": json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": route, "properties": {"width_m": 2000}}]}),
        "schedule": "depart", "depart": depart.strftime("%Y-%m-%dT%H:%M"),
        "zone": "Europe/Rome", "speed_kmh": "40",
        "vehicles": "truck, AP 1201 KC\ntruck, AP 1202 KC",
        "personnel": "Giulia Romano\nDriver 1", **cargo_rows(("wheat flour", "40", "t")),
        "crossings": "Vasylivka checkpoint",
    }
    data.update(overrides)
    return data


def test_check_shows_the_finding_then_notify_with_the_fixed_route(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    checked = client.post("/access/movements/new/", {**form_data(c, route=ROUTE_OUTSIDE),
                                                     "check": "1"})
    assert checked.status_code == 200
    assert Movement.objects.count() == 0
    html = checked.content.decode()
    assert 'data-code="route_outside_area"' in html
    # The finding is placed on the route editor's map, next to the point it concerns.
    finding = checked.context["route_context"]["findings"][0]
    assert (finding["number"], finding["code"], finding["severity"]) == (
        1, "route_outside_area", "blocking")
    assert [finding["lon"], finding["lat"]] == pytest.approx([35.30705, 47.63805], abs=1e-3)
    assert finding["where"] == "at point 2 of the route"
    assert 'id="route-context"' in html and 'data-context="#route-context"' in html
    # A check is advice shown beside the form, not an error on it.
    assert checked.context["form"].errors == {}

    refused = client.post("/access/movements/new/", {**form_data(c, route=ROUTE_OUTSIDE),
                                                     "notify": "1"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["route"] == [
        "The route leaves the agreed areas: The route goes 6,329 m outside every area of "
        "agreement HP-2026-101 (more than 50 m allowed), farthest at longitude 35.307050, "
        "latitude 47.638050."]
    assert Movement.objects.count() == 0

    clean = client.post("/access/movements/new/", {**form_data(c), "check": "1"})
    assert 'id="no-findings"' in clean.content.decode()
    notified = client.post("/access/movements/new/", {**form_data(c), "notify": "1"})
    movement = Movement.objects.get()
    assert notified.status_code == 302
    assert notified["Location"] == f"/access/movements/{movement.reference}/"
    version = movement.current_version
    assert (version.depart, version.vehicles, version.cargo) == (
        c.start + timedelta(hours=1),
        [{"type": "truck", "plate": "AP 1201 KC"}, {"type": "truck", "plate": "AP 1202 KC"}],
        [{"item": "wheat flour", "quantity": 40.0, "unit": "t"}])


def test_a_gpx_track_gives_the_route_and_the_times(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    times = [c.start + timedelta(hours=1, minutes=40 * k) for k in range(3)]
    gpx = GPX.format(*(t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times))
    upload = SimpleUploadedFile("convoy.gpx", gpx.encode(), content_type="application/gpx+xml")
    answer = client.post("/access/movements/new/", {**form_data(c, route=None), "route": "",
                                                    "route_file": upload, "notify": "1"})
    assert answer.status_code == 302
    version = Movement.objects.get().current_version
    assert version.route == ROUTE
    assert version.times == [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times]
    assert (version.depart, version.speed_kmh) == (None, None)


def test_form_errors_name_the_line(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.post("/access/movements/new/", {
        **form_data(c), **cargo_rows(("wheat flour", "forty", "t")), "vehicles": "truck,",
        "notify": "1"})
    assert answer.context["form"].cargo_errors() == ["cargo, row 1, quantity: Enter a number."]
    assert Movement.objects.count() == 0
    answer = client.post("/access/movements/new/", {**form_data(c), "vehicles": "truck,",
                                                    "notify": "1"})
    assert answer.context["form"].errors["vehicles"] == ["line 1: must be a non-empty text ('')"]


def test_the_detail_page_for_each_role_and_the_coordinate_log(client):
    c = access_cast()
    movement = notify(c)
    url = f"/access/movements/{movement.reference}/"
    client.force_login(c.people.ru_head)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "AP 1201 KC" in html
    assert "not a security guarantee" in html
    assert 'value="acknowledge"' in html
    assert "Who viewed the coordinates" not in html
    client.force_login(c.wfp_liaison)
    html = client.get(url).content.decode()
    assert "Who viewed the coordinates" in html
    assert [(row["entry"].user.username, row["entry"].via)
            for row in client.get(url).context["coordinate_views"]] == [("ru-head", "page")]
    assert CoordinateAccessLog.objects.count() == 1


def test_a_party_not_crossed_and_another_organisation_get_404_on_every_page(client):
    c = access_cast()
    movement = notify(c)
    for user in (c.third_delegate, c.people.icrc_liaison, c.people.observer_user):
        client.force_login(user)
        for path in ("", "check-in/", "amend/"):
            assert client.get(f"/access/movements/{movement.reference}/{path}").status_code == 404
        assert client.post(f"/access/movements/{movement.reference}/acknowledge/",
                           {"version": 1}).status_code == 404
        dashboard = client.get("/access/")
        assert movement.reference not in dashboard.content.decode()
    assert CoordinateAccessLog.objects.count() == 0


def test_a_route_on_the_ukrainian_side_is_404_on_russias_pages(client):
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)
    client.force_login(c.people.ru_head)
    for path in ("", "check-in/", "amend/"):
        assert client.get(f"/access/movements/{movement.reference}/{path}").status_code == 404
    assert client.post(f"/access/movements/{movement.reference}/acknowledge/",
                       {"version": 1}).status_code == 404
    assert movement.reference not in client.get("/access/").content.decode()
    assert movement.reference not in client.get("/").content.decode()
    client.force_login(c.people.ua_head)
    assert client.get(f"/access/movements/{movement.reference}/").status_code == 200
    assert movement.reference in client.get("/").content.decode()


def test_acknowledge_and_object_from_the_page(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.people.ua_head)
    client.post(f"/access/movements/{movement.reference}/acknowledge/", {"version": 1})
    client.force_login(c.people.ru_delegate)
    client.post(f"/access/movements/{movement.reference}/object/",
                {"version": 1, "reason": "Mines at km 12"})
    movement.refresh_from_db()
    assert movement.status == "acknowledged"
    page = client.get(f"/access/movements/{movement.reference}/").content.decode()
    assert "Mines at km 12" in page


def test_check_in_page_and_completion(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.wfp_driver)
    url = f"/access/movements/{movement.reference}/check-in/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"lon": "35.2745", "lat": "97", "place": "Vasylivka"})
    assert answer.context["form"].errors == {"lat": ["Give a latitude between -90 and 90."]}
    client.post(url, {"lon": "35.2745", "lat": "47.4373", "place": "Vasylivka checkpoint",
                      "despite_warnings": "1"})
    movement.refresh_from_db()
    assert movement.status == "under_way"
    client.force_login(c.wfp_liaison)
    client.post(f"/access/movements/{movement.reference}/complete/", {"reason": "Delivered"})
    movement.refresh_from_db()
    assert (movement.status, movement.reason) == ("completed", "Delivered")


def test_check_in_warns_and_records_only_once_confirmed(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.wfp_driver)
    url = f"/access/movements/{movement.reference}/check-in/"
    version = movement.current_version

    far = client.post(url, {"lon": "36.5", "lat": "47.4373", "place": "Somewhere else",
                            "note": "Fuel stop"})

    warnings = far.context["warnings"]
    assert far.context["confirming"] is True
    assert movement.check_ins.count() == 0
    assert [w for w in warnings if "before the scheduled start" in w]
    assert [w for w in warnings if w.startswith("Not yet acknowledged by ")]
    assert [w for w in warnings if w.startswith("This position is ") and "km from the notified "
            "route" in w]
    kilometres = float(next(w for w in warnings if w.startswith("This position"))
                       .split()[3].replace(",", ""))
    assert 80 < kilometres < 100
    assert version.starts_at > movement.created_at

    recorded = client.post(url, {"lon": "36.5", "lat": "47.4373", "place": "Somewhere else",
                                 "note": "Fuel stop", "despite_warnings": "1"}, follow=True)

    assert movement.check_ins.count() == 1
    assert [(row["place"], row["position"], row["note"])
            for row in recorded.context["check_ins"]] == [
        ("Somewhere else", "47.43730, 36.50000", "Fuel stop")]
    assert "UTC · " in recorded.context["check_ins"][0]["when"]


def test_the_dashboard_per_role(client):
    c = access_cast()
    movement = notify(c)
    held = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    client.force_login(c.people.ua_head)
    page = client.get("/access/")
    assert [row["movement"] for row in page.context["awaiting"]] == [movement]
    assert page.context["held"] == []
    # A party's own acknowledgement statistics only (docs/security.md, "History").
    assert [(row["party"].slug, row["median"]) for row in page.context["latency"]] == [
        ("ukraine", "—")]
    client.force_login(c.people.secretariat)
    page = client.get("/access/")
    assert [row["movement"] for row in page.context["held"]] == [held]
    assert [(row["party"].slug, row["median"]) for row in page.context["latency"]] == [
        ("russia", "—"), ("ukraine", "—")]
    services.movement_override(actor=c.people.secretariat, movement=held, reason="Agreed by phone")
    client.force_login(c.wfp_liaison)
    assert client.get("/access/new/").status_code == 404
    assert client.get("/access/movements/new/").status_code == 200
    client.force_login(c.people.ua_head)
    assert client.get("/access/movements/new/").status_code == 404


def test_sites_are_notified_amended_and_withdrawn_from_the_pages(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.post("/access/sites/new/", {"name": "Orikhiv hospital", "kind": "hospital",
                                                "lon": "35.7853", "lat": "47.5679",
                                                "radius_m": "300"})
    assert answer.status_code == 302
    amend = client.post("/access/sites/WFP-S001/amend/", {
        "name": "Orikhiv hospital", "kind": "hospital", "lon": "35.7853", "lat": "47.5679",
        "radius_m": "60000"})
    assert amend.context["form"].errors == {
        "radius_m": ["Give a radius in whole metres from 1 to 50 000."]}
    client.post("/access/sites/WFP-S001/amend/", {
        "name": "Orikhiv hospital", "kind": "hospital", "lon": "35.7853", "lat": "47.5679",
        "radius_m": "500"})
    client.force_login(c.people.ru_head)
    page = client.get("/access/")
    assert [(row["site"].radius_m, row["amend"], row["withdraw"])
            for row in page.context["sites"]] == [(500, False, False)]
    assert client.get("/access/sites/WFP-S001/amend/").status_code == 404
    client.force_login(c.wfp_liaison)
    client.post("/access/sites/WFP-S001/withdraw/", {"reason": "Hospital moved"})
    client.force_login(c.people.ru_head)
    assert client.get("/access/").context["sites"] == []


def test_the_secretariat_sets_the_access_terms_from_the_page(client):
    c = access_cast()
    url = f"/access/terms/{c.agreement.code}/"
    client.force_login(c.people.ua_head)
    assert client.get(url).status_code == 404
    client.force_login(c.people.secretariat)
    assert [agreement.code for agreement, _ in client.get("/access/").context["terms"]] == [
        c.agreement.code]
    bad = client.post(url, {"ack_deadline_h": "12", "cargo_limits": "fuel; lots"})
    assert bad.context["form"].errors == {"cargo_limits": ["line 1: write item; quantity"]}
    client.post(url, {"ack_deadline_h": "12", "max_vehicles": "6",
                      "cargo_limits": "fuel; 2000\nwheat flour; 80"})
    terms = c.agreement.access_terms
    assert (terms.ack_deadline_h, terms.max_vehicles, terms.cargo_limits) == (
        12, 6, {"fuel": 2000.0, "wheat flour": 80.0})


def test_a_monitor_reports_a_drawn_hazard_and_clears_it_from_the_pages(client):
    c = access_cast()
    client.force_login(c.people.ru_head)
    assert client.get("/access/hazards/new/").status_code == 404
    client.force_login(c.people.monitor_user)
    drawn = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "A1", "properties": {"width_m": 2000},
        "geometry": {"type": "LineString", "coordinates": [[35.211, 47.63], [35.211, 47.646]]}}]}
    answer = client.post("/access/hazards/new/", {"kind": "mined", "geometry": json.dumps(drawn),
                                                  "note": "Mines on the verge"})
    assert answer.status_code == 302
    page = client.get("/access/")
    assert [h.reference for h in page.context["hazards"]] == ["HZ-0001"]
    assert page.context["sites_map"]["features"][0]["geometry"] == drawn["features"][0][
        "geometry"]
    client.post("/access/hazards/HZ-0001/clear/", {"reason": "Demined"})
    assert client.get("/access/").context["hazards"] == []


def test_the_versions_show_what_an_amendment_changed_in_words(client):
    c = access_cast()
    movement = notify(c)
    services.movement_amend(
        actor=c.wfp_liaison, movement=movement, version=1,
        content=MovementContent(
            speed_kmh=50, route=ROUTE_UKRAINIAN_SIDE,
            vehicles=[{"type": "truck", "plate": "AP 1201 KC"}, {"type": "van", "plate": "WFP 9"}],
            cargo=[{"item": "wheat flour", "quantity": 40, "unit": "t"},
                   {"item": "bottled water", "quantity": 12000, "unit": "l"}],
        ),
    )
    client.force_login(c.wfp_liaison)
    page = client.get(f"/access/movements/{movement.reference}/")
    [latest, first] = page.context["history"]
    start = c.start.astimezone(ZoneInfo("Europe/Rome")) + timedelta(hours=1)
    day = f"{start.day} {start:%b %Y} {start:%H:%M}"
    assert latest["changes"] == [
        {"field": "route", "label": "route", "text": "34 km shorter (46 km → 11 km)"},
        {"field": "schedule", "label": "schedule",
         "text": f"{day}–{start + timedelta(minutes=68):%H:%M} Rome time → "
                 f"{day}–{start + timedelta(minutes=13):%H:%M} Rome time · "
                 "average speed 40 → 50 km/h"},
        {"field": "vehicles", "label": "vehicles",
         "text": "added: van WFP 9; removed: truck AP 1202 KC"},
        {"field": "cargo", "label": "cargo", "text": "added: bottled water, 12,000 litres (l)"},
    ]
    html = page.content.decode()
    table = html.split('id="cargo"')[1].split("</table>")[0]
    assert "<td>bottled water</td><td class=\"number\">12,000</td><td>litres (l)</td>" in table
    assert first["changes"] == []
