"""`late_notice`: notice of exactly the lead time is enough; one second less is not."""

import pytest

from parley.engines import geo
from parley.engines.deconflict import LATE_NOTICE, check_movements, parse_movements

pytestmark = pytest.mark.unit

ROUTE = [[35.70, 47.52], [35.70, 47.55]]
WINDOW = [{"start": "2026-03-03T06:00:00Z", "end": "2026-03-03T18:00:00Z"}]
TIMES = ["2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z"]


def notice_findings(build, notified_at, lead_time_h=48, **schedule):
    areas = geo.parse_areas(build.collection(build.area(windows=WINDOW, lead_time_h=lead_time_h)))
    if not schedule:
        schedule = {"times": TIMES}
    movement = build.movement(ROUTE, notified_at=notified_at, **schedule)
    findings = check_movements(areas, parse_movements(build.collection(movement)))
    assert [f.code for f in findings] in ([], [LATE_NOTICE])
    return findings


def test_notice_of_exactly_the_lead_time_is_enough(build):
    assert notice_findings(build, "2026-03-01T08:00:00Z") == []
    assert notice_findings(build, "2026-03-01T10:00:00+02:00") == []


def test_one_second_late(build):
    [finding] = notice_findings(build, "2026-03-01T08:00:01Z")
    assert (finding.movement_id, finding.code, finding.severity) == ("M1", LATE_NOTICE, "blocking")
    assert finding.detail == (
        "47 h 59 min 59 s of notice given, 48 h required by agreement HP-2026-004 "
        "(notified at 2026-03-01T08:00:01Z, the movement starts at 2026-03-03T08:00:00Z)"
    )
    assert (finding.lon, finding.lat) == (35.70, 47.52)


def test_fractional_lead_time(build):
    assert notice_findings(build, "2026-03-03T07:30:00Z", lead_time_h=0.5) == []
    [finding] = notice_findings(build, "2026-03-03T07:30:00.5Z", lead_time_h=0.5)
    assert finding.detail.startswith("29 min 59.5 s of notice given, 30 min required")


def test_without_a_lead_time_notice_before_departure_is_enough(build):
    assert notice_findings(build, "2026-03-03T08:00:00Z", lead_time_h=None) == []
    [finding] = notice_findings(build, "2026-03-03T08:00:01Z", lead_time_h=None)
    assert finding.detail == (
        "notified 1 s after the movement starts, 0 s required by agreement HP-2026-004 "
        "(notified at 2026-03-03T08:00:01Z, the movement starts at 2026-03-03T08:00:00Z)"
    )


def test_departure_from_depart_and_speed(build):
    schedule = {"depart": "2026-03-03T10:00:00+02:00", "speed_kmh": 20}
    assert notice_findings(build, "2026-03-01T08:00:00Z", **schedule) == []
    assert len(notice_findings(build, "2026-03-01T08:00:00.000001Z", **schedule)) == 1
