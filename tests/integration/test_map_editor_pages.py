"""The map editors' server side: what a person pastes (a bare geometry, a Feature, a
collection) is accepted as the route editor and the area editor draw it, and the editors'
maps are given only what the reader may see (sites, hazards, the agreement's areas)."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parley.access.models import Hazard, Movement, Site
from parley.access.presenters import where_on_route
from parley.agreements.forms import AreasConditionsForm
from parley.agreements.models import Agreement
from parley.engines.geo import as_feature_collection
from tests.factories import cast
from tests.factories.access import ROUTE, ROUTE_OUTSIDE, access_cast, notify
from tests.integration.test_access_pages import GPX, cargo_rows
from tests.integration.test_agreements_lifecycle import draft

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def people():
    return cast()

POLYGON = {"type": "Polygon", "coordinates": [[[35.1, 47.4], [35.3, 47.4], [35.3, 47.6],
                                               [35.1, 47.6], [35.1, 47.4]]]}
LINE = {"type": "LineString", "coordinates": [[35.2745, 47.4373], [35.1396, 47.8388]]}


def movement_data(c, route, **overrides):
    depart = (c.start + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Rome"))
    return {"agreement": c.agreement.code, "purpose": "aid", "route": json.dumps(route),
            "schedule": "depart", "depart": depart.strftime("%Y-%m-%dT%H:%M"),
            "zone": "Europe/Rome", "speed_kmh": "40", "vehicles": "truck, AP 1201 KC",
            **cargo_rows(), **overrides}


# -- what is pasted ---------------------------------------------------------------------------

def test_a_bare_geometry_a_feature_and_a_geometry_collection_become_a_collection():
    assert as_feature_collection(POLYGON) == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": POLYGON, "properties": {}}]}
    assert as_feature_collection(LINE, line_width_m=1500)["features"][0]["properties"] == {
        "width_m": 1500}
    feature = {"type": "Feature", "geometry": LINE, "properties": {"width_m": 900}}
    assert as_feature_collection(feature) == {"type": "FeatureCollection", "features": [feature]}
    both = as_feature_collection({"type": "GeometryCollection", "geometries": [POLYGON, LINE]})
    assert [f["geometry"]["type"] for f in both["features"]] == ["Polygon", "LineString"]
    # What is not GeoJSON is left for the validation to name.
    assert as_feature_collection({"type": "Circle"}) == {"type": "Circle"}
    assert as_feature_collection([1, 2]) == [1, 2]


def test_the_area_form_takes_a_bare_line_with_the_width_of_drawn_corridors():
    form = AreasConditionsForm(data={"areas": json.dumps(LINE), "corridor_width": "1500"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["areas"] == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": LINE, "properties": {"width_m": 1500}}]}
    polygon = AreasConditionsForm(data={"areas": json.dumps(POLYGON), "corridor_width": ""})
    assert polygon.is_valid(), polygon.errors
    assert polygon.cleaned_data["areas"]["features"][0]["properties"] == {}


def test_a_draft_saved_from_a_bare_polygon_stores_one_feature_with_an_id(people):
    agreement = draft(people, areas=POLYGON)
    assert agreement.current_version.areas == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "A1", "geometry": POLYGON, "properties": {}}]}


def test_areas_that_are_no_geojson_get_an_error_naming_what_is_accepted(people):
    with pytest.raises(ValidationError) as error:
        draft(people, areas={"type": "Circle", "centre": [35.2, 47.5]})
    assert error.value.message_dict["areas"] == [
        "Give the areas as GeoJSON: a FeatureCollection, a Feature or a geometry (Polygon, "
        "LineString, Point or their Multi forms)."]
    # A bare point is a site whose width a bare geometry cannot carry: the field names it.
    with pytest.raises(ValidationError) as error:
        draft(people, areas={"type": "Point", "coordinates": [35.2, 47.5]})
    assert "width_m" in error.value.message_dict["areas"][0]
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize("route", [
    ROUTE,
    {"type": "Feature", "geometry": ROUTE, "properties": {}},
    {"type": "MultiLineString", "coordinates": [ROUTE["coordinates"]]},
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "MultiLineString",
                                         "coordinates": [ROUTE["coordinates"]]}}]},
], ids=["bare-line", "feature", "multiline-of-one", "collection-of-multiline"])
def test_the_route_is_accepted_in_every_form_the_editor_draws(client, route):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    answer = client.post("/access/movements/new/", {**movement_data(c, route), "notify": "1"})
    assert answer.status_code == 302, answer.context["form"].errors
    assert Movement.objects.get().current_version.route == ROUTE


def test_a_route_of_separate_lines_is_refused_with_a_clear_error(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    two = {"type": "MultiLineString", "coordinates": [ROUTE["coordinates"][:2],
                                                       ROUTE["coordinates"][1:]]}
    answer = client.post("/access/movements/new/", {**movement_data(c, two), "notify": "1"})
    assert answer.status_code == 200
    assert answer.context["form"].errors["route"] == [
        "The route is 2 separate lines; join them into one line, the route of the movement."]
    assert Movement.objects.count() == 0


def test_an_imported_track_stays_in_the_form_after_the_check(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    times = [c.start + timedelta(hours=1, minutes=40 * k) for k in range(3)]
    gpx = GPX.format(*(t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times))
    upload = SimpleUploadedFile("convoy.gpx", gpx.encode(), content_type="application/gpx+xml")
    answer = client.post("/access/movements/new/", {
        **movement_data(c, ROUTE), "route": "", "route_file": upload, "check": "1"})
    assert answer.status_code == 200
    form = answer.context["form"]
    # The editor's field holds the imported line: drawn on the map, sent again with Notify.
    assert json.loads(form["route"].value())["features"][0]["geometry"] == ROUTE
    assert form["times"].value().splitlines() == [t.strftime("%Y-%m-%dT%H:%M:%SZ")
                                                  for t in times]
    assert form["schedule"].value() == "times"


# -- what the editors draw beneath ------------------------------------------------------------

def _site(c, reference, *, lon=35.2, lat=47.6, **kw):
    return Site.objects.create(reference=reference, organisation=c.people.icrc, name=reference,
                               kind=Site.Kind.HOSPITAL, lon=lon, lat=lat, radius_m=500,
                               created_by=c.people.icrc_liaison, **kw)


def test_the_route_editor_is_given_the_areas_the_sites_and_the_hazards_the_reader_may_see(client):
    c = access_cast()
    _site(c, "ICRC-S001")
    _site(c, "ICRC-S002", status=Site.Status.WITHDRAWN)  # ICRC's own: WFP must not see it
    Hazard.objects.create(reference="HZ-0001", kind="mined", reported_by=c.people.monitor_user,
                          geometry={"type": "Point", "coordinates": [35.25, 47.5]})
    Hazard.objects.create(reference="HZ-0002", kind="mined", active=False,
                          reported_by=c.people.monitor_user,
                          geometry={"type": "Point", "coordinates": [35.25, 47.5]})
    client.force_login(c.wfp_liaison)
    page = client.get("/access/movements/new/")
    context = page.context["route_context"]
    ids = [f["id"] for f in context["areas"]["features"]]
    assert ids == ["C1", "ICRC-S001", "HZ-0001"]
    assert context["areas"]["features"][0]["properties"]["agreement"] == c.agreement.code
    assert context["findings"] == []
    html = page.content.decode()
    assert 'data-tools="route"' in html and 'data-context-select="#id_agreement"' in html

    # ICRC, whose withdrawn site it is, sees it under its own route.
    client.force_login(c.people.icrc_liaison)
    own = client.get("/access/movements/new/").context["route_context"]
    assert [f["id"] for f in own["areas"]["features"]] == [
        "C1", "ICRC-S001", "ICRC-S002", "HZ-0001"]


def test_the_findings_are_placed_on_the_route_and_numbered(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    checked = client.post("/access/movements/new/", {**movement_data(c, ROUTE_OUTSIDE),
                                                     "check": "1"})
    findings = checked.context["route_context"]["findings"]
    assert [f["number"] for f in findings] == list(range(1, len(findings) + 1))
    assert findings[0]["where"] == "at point 2 of the route"
    html = checked.content.decode()
    # One map: the editor's (the check no longer draws a second one).
    assert html.count("data-map") == 1
    assert '<span class="finding-number" aria-hidden="true">1</span>' in html


def test_where_on_route_names_the_point_or_the_stretch():
    route = {"type": "LineString", "coordinates": [[35.0, 47.0], [35.1, 47.0], [35.2, 47.0]]}
    assert where_on_route(route, 35.1, 47.0) == "at point 2 of the route"
    assert where_on_route(route, 35.1003, 47.0001) == "at point 2 of the route"
    assert where_on_route(route, 35.15, 47.01) == "between points 2 and 3 of the route"
    assert where_on_route(route, 34.9, 47.0) == "at point 1 of the route"
    assert where_on_route(None, 35.1, 47.0) == ""


def test_the_area_editor_of_a_counter_proposal_shows_the_version_on_the_table_and_what_is_near(
    client,
):
    c = access_cast()
    agreement = c.agreement
    agreement.status = Agreement.Status.PROPOSED
    agreement.save(update_fields=["status"])
    _site(c, "ICRC-S001")                               # by the corridor
    _site(c, "ICRC-S009", lon=30.5, lat=50.45)          # Kyiv: far away
    client.force_login(c.people.ru_delegate)
    page = client.get(f"/agreements/{agreement.code}/counter/")
    assert page.status_code == 200
    features = page.context["editor_context"]["areas"]["features"]
    assert [f["id"] for f in features] == ["C1", "ICRC-S001"]
    assert features[0]["properties"]["phase_label"] == "Version 1, on the table now"
    html = page.content.decode()
    assert 'data-tools="areas"' in html and 'id="id_areas-circle"' in html

    # A new draft has nothing to be near: every site the reader may see.
    new = client.get("/agreements/new/")
    assert [f["id"] for f in new.context["editor_context"]["areas"]["features"]] == [
        "ICRC-S001", "ICRC-S009"]


def test_the_hazard_editor_draws_the_sites_and_hazards_and_takes_a_pasted_point(client):
    c = access_cast()
    _site(c, "ICRC-S001")
    Hazard.objects.create(reference="HZ-0001", kind="mined", reported_by=c.people.monitor_user,
                          geometry={"type": "Point", "coordinates": [35.25, 47.5]})
    client.force_login(c.people.monitor_user)
    page = client.get("/access/hazards/new/")
    assert [f["id"] for f in page.context["hazard_context"]["areas"]["features"]] == [
        "ICRC-S001", "HZ-0001"]
    assert 'data-tools="hazard"' in page.content.decode()
    # What the editor writes for a drawn point: a collection of one feature.
    point = {"type": "Point", "coordinates": [35.3, 47.55]}
    answer = client.post("/access/hazards/new/", {"kind": "shelling", "geometry": json.dumps(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": point, "properties": {}}]})})
    assert answer.status_code == 302
    assert Hazard.objects.get(reference="HZ-0002").geometry == point


def test_the_amendment_editor_draws_the_movement_agreement_under_its_route(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.wfp_liaison)
    page = client.get(f"/access/movements/{movement.reference}/amend/")
    assert page.status_code == 200
    context = page.context["route_context"]
    assert [f["properties"]["agreement"] for f in context["areas"]["features"]] == [
        c.agreement.code]
    html = page.content.decode()
    assert "data-context-select" not in html  # the agreement is the movement's, not chosen
    assert json.loads(page.context["form"]["route"].value())["features"][0]["geometry"] == ROUTE
