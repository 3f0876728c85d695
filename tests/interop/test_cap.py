"""CAP 1.2 alerts read as a CAP consumer reads them: valid against the OASIS schema (shipped
in tests/interop/data with its licence), Updates and Cancels that reference what they replace,
a `sent` that does not change between fetches, nothing `Actual` before it is agreed."""

import xml.etree.ElementTree as ElementTree
from datetime import timedelta
from pathlib import Path

import pytest
from lxml import etree

from parley.access import services
from parley.access.cap import NAMESPACE
from parley.access.content import MovementContent
from parley.agreements.models import Agreement
from tests.factories import AgreementFactory, cast
from tests.factories.access import access_cast, iso, notify, window_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CAP = {"cap": NAMESPACE}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "CAP-v1.2-schema.xsd")))


def valid_alert(answer) -> ElementTree.Element:
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/cap+xml"
    document = etree.fromstring(answer.content)  # noqa: S320 - our own output
    SCHEMA.assertValid(document)
    return ElementTree.fromstring(answer.content)  # noqa: S314 - our own output


def text(root, path):
    return root.findtext(path, namespaces=CAP)


def test_notify_amend_cancel_each_alert_references_the_ones_it_replaces(client):
    c = access_cast()
    movement = notify(c)
    client.force_login(c.people.ru_head)
    url = f"/api/movements/{movement.reference}/cap.xml"

    first = valid_alert(client.get(url))
    assert text(first, "cap:msgType") == "Alert"
    assert text(first, "cap:references") is None
    first_id, first_sent = text(first, "cap:identifier"), text(first, "cap:sent")
    assert first_id == f"parley-{movement.reference}-v1"
    assert text(valid_alert(client.get(url)), "cap:sent") == first_sent  # fixed, not fetch time

    services.movement_amend(actor=c.wfp_liaison, movement=movement,
                            content=MovementContent(depart=c.start + timedelta(hours=2)))
    second = valid_alert(client.get(url))
    assert text(second, "cap:msgType") == "Update"
    assert text(second, "cap:identifier") == f"parley-{movement.reference}-v2"
    assert text(second, "cap:references") == f"parley@geneva-talks.invalid,{first_id},{first_sent}"

    services.movement_cancel(actor=c.wfp_liaison, movement=movement, reason="Road closed")
    cancel = valid_alert(client.get(url))
    assert text(cancel, "cap:msgType") == "Cancel"
    assert text(cancel, "cap:identifier") == f"parley-{movement.reference}-v2-cancelled"
    references = text(cancel, "cap:references").split()
    assert [reference.split(",")[1] for reference in references] == [
        first_id, f"parley-{movement.reference}-v2"]
    assert references[1].split(",")[2] == text(second, "cap:sent")


def test_an_agreement_not_yet_agreed_is_a_draft_and_only_possible(client):
    people = cast()
    start = window_start()
    AgreementFactory(code="HP-2026-201", status=Agreement.Status.PROPOSED, owner=people.mediator,
                     version__windows=[{"start": iso(start),
                                        "end": iso(start + timedelta(hours=4))}])
    client.force_login(people.ua_head)
    alert = valid_alert(client.get("/api/agreements/HP-2026-201/cap.xml"))
    assert text(alert, "cap:status") == "Draft"
    assert text(alert, "cap:info/cap:certainty") == "Possible"


def test_an_agreed_window_is_actual_likely_and_keeps_its_sent_time(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    url = f"/api/agreements/{c.agreement.code}/cap.xml"
    alert = valid_alert(client.get(url))
    assert text(alert, "cap:status") == "Actual"
    assert text(alert, "cap:info/cap:certainty") == "Likely"
    assert text(alert, "cap:info/cap:event") == "Humanitarian corridor opens"
    again = valid_alert(client.get(url))
    assert text(again, "cap:sent") == text(alert, "cap:sent")
    assert text(again, "cap:identifier") == text(alert, "cap:identifier")


def test_a_suspended_agreement_cancels_the_alert_of_its_next_window(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    url = f"/api/agreements/{c.agreement.code}/cap.xml"
    agreed = valid_alert(client.get(url))
    from parley.agreements.services import agreement_suspend

    agreement_suspend(actor=c.people.secretariat, agreement=c.agreement, reason="Shelling")
    cancel = valid_alert(client.get(url))
    assert text(cancel, "cap:msgType") == "Cancel"
    assert text(cancel, "cap:references") == ",".join(
        ["parley@geneva-talks.invalid", text(agreed, "cap:identifier"), text(agreed, "cap:sent")])
    assert text(cancel, "cap:note") == "The agreement is suspended."


def test_a_local_ceasefire_is_not_announced_as_a_pause(client):
    c = access_cast()
    Agreement.objects.filter(pk=c.agreement.pk).update(kind=Agreement.Kind.CEASEFIRE)
    client.force_login(c.wfp_liaison)
    alert = valid_alert(client.get(f"/api/agreements/{c.agreement.code}/cap.xml"))
    assert text(alert, "cap:info/cap:event") == "Local ceasefire begins"


HOLED = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": "A1",
    "geometry": {"type": "Polygon", "coordinates": [
        [[35.0, 47.0], [35.3, 47.0], [35.3, 47.3], [35.0, 47.3], [35.0, 47.0]],
        [[35.1, 47.1], [35.2, 47.1], [35.2, 47.2], [35.1, 47.2], [35.1, 47.1]]]},
    "properties": {"agreement": "HP-2026-101", "kind": "pause"}}]}


def test_an_area_with_a_hole_is_sent_as_pieces_that_leave_the_hole_out(client):
    from shapely.geometry import Point, Polygon
    from shapely.ops import unary_union

    c = access_cast(areas=HOLED)
    client.force_login(c.wfp_liaison)
    alert = valid_alert(client.get(f"/api/agreements/{c.agreement.code}/cap.xml"))
    rings = [[tuple(map(float, pair.split(",")))[::-1] for pair in polygon.text.split()]
             for polygon in alert.iter(f"{{{NAMESPACE}}}polygon")]
    assert len(rings) >= 2
    union = unary_union([Polygon(ring) for ring in rings])
    assert not union.contains(Point(35.15, 47.15))
    assert union.contains(Point(35.05, 47.15)) and union.contains(Point(35.25, 47.05))


def test_a_corridor_alert_is_simplified_to_a_few_hundred_points_or_fewer(client):
    c = access_cast()
    client.force_login(c.wfp_liaison)
    alert = valid_alert(client.get(f"/api/agreements/{c.agreement.code}/cap.xml"))
    points = sum(len(polygon.text.split()) for polygon in alert.iter(f"{{{NAMESPACE}}}polygon"))
    assert 4 <= points <= 300
