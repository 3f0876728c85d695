"""The agreements index's "area on a map": `bbox=minlon,minlat,maxlon,maxlat` keeps the visible
agreements whose areas meet the box (server-side), never another party's hidden one."""

import re

import pytest
from django.urls import reverse

from parley.engines.geo import bbox_intersects
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = reverse("agreements:agreement_list")


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def polygon(west, south, east, north, ident="A1"):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "id": ident, "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {}}


def circle(lon, lat, width_m, ident="S1"):
    return {"type": "Feature", "id": ident,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"width_m": width_m}}


def listed(response) -> list[str]:
    return re.findall(r'<tr data-agreement="([^"]+)"', response.content.decode())


@pytest.fixture
def world():
    people = cast()
    # Kherson: a Ukrainian proposal and the Russian side's hidden draft over the same area.
    AgreementFactory(code="HP-2026-201", owner=people.ukraine, process=people.process,
                     status="proposed", version__areas=fc(polygon(32.5, 46.5, 32.8, 46.7)))
    AgreementFactory(code="HP-2026-202", owner=people.russia, process=people.process,
                     version__areas=fc(polygon(32.55, 46.55, 32.75, 46.65)))
    # Zaporizhzhia: a circle around the plant, agreed and public.
    AgreementFactory(code="LC-2026-203", kind="ceasefire", owner=people.mediator,
                     process=people.process, status="agreed", public=True,
                     version__areas=fc(circle(34.5858, 47.5119, 30000)))
    return people


def test_the_box_keeps_agreements_whose_areas_meet_it_and_never_the_hidden_one(client, world):
    client.force_login(world.ua_head)

    kherson = client.get(URL, {"bbox": "32.0,46.3,33.0,46.9"})
    everything = client.get(URL, {"bbox": "30,45,37,49"})

    assert kherson.status_code == 200
    assert listed(kherson) == ["HP-2026-201"]
    assert "HP-2026-202" not in kherson.content.decode()
    assert listed(everything) == ["HP-2026-201", "LC-2026-203"]


def test_the_other_party_finds_its_own_draft_but_not_ours_while_it_is_a_draft(client, world):
    client.force_login(world.ru_head)

    response = client.get(URL, {"bbox": "32.0,46.3,33.0,46.9"})

    assert listed(response) == ["HP-2026-201", "HP-2026-202"]


def test_a_circle_counts_by_its_width_not_its_centre(client, world):
    client.force_login(world.ua_head)
    # 0.15 degrees of longitude east of the plant is about 11 km: inside the 15 km radius.
    near = client.get(URL, {"bbox": "34.735,47.45,34.9,47.6"})
    far = client.get(URL, {"bbox": "34.85,47.45,35.0,47.6"})

    assert listed(near) == ["LC-2026-203"]
    assert listed(far) == []


def test_the_box_combines_with_the_other_filters(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL, {"bbox": "30,45,37,49", "status": "agreed"})

    assert listed(response) == ["LC-2026-203"]


@pytest.mark.parametrize(("value", "message"), [
    ("32,46,33", "Give four numbers separated by commas"),
    ("a,b,c,d", "Give four numbers separated by commas"),
    ("32,46,nan,47", "Give four numbers separated by commas"),
    ("200,46,210,47", "Longitudes (the first and third numbers) must be within -180..180."),
    ("32,-95,33,47", "Latitudes (the second and fourth numbers) must be within -90..90."),
    ("33,46,32,47", "West must be less than east and south less than north."),
])
def test_a_bad_box_is_named_on_its_field_and_left_out(client, world, value, message):
    client.force_login(world.ua_head)

    response = client.get(URL, {"bbox": value})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-errors-for="bbox"' in page
    assert message in page
    assert listed(response) == ["HP-2026-201", "LC-2026-203"]


def test_the_index_map_carries_the_box_and_the_listed_areas(client, world):
    client.force_login(world.ua_head)

    page = client.get(URL, {"bbox": "32.0,46.3,33.0,46.9"}).content.decode()

    assert 'data-bbox-input="#id_bbox"' in page
    assert 'data-bbox="32.0,46.3,33.0,46.9"' in page
    assert '"id": "A1"' in page or '"id":"A1"' in page


def test_bbox_intersects_reads_lines_by_their_corridor_width():
    line = {"type": "Feature", "geometry": {"type": "LineString",
                                            "coordinates": [[35.0, 47.0], [35.0, 48.0]]},
            "properties": {"width_m": 4000}}
    # The corridor reaches 2 km (about 0.026 degrees of longitude at 47 N) east of the line.
    assert bbox_intersects(fc(line), (35.02, 47.2, 35.1, 47.3))
    assert not bbox_intersects(fc(line), (35.04, 47.2, 35.1, 47.3))
    assert not bbox_intersects({"features": [{"geometry": {"type": "Nope"}}]}, (0, 0, 1, 1))
