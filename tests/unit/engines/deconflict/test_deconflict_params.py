"""`Finding.params`: the facts of each finding as plain values, for wording it in any language;
the CSV's English `detail` is unchanged (test_deconflict_cli)."""

import json
from pathlib import Path

import pytest

from parley.engines import deconflict, geo

pytestmark = pytest.mark.unit

SAMPLE = Path(__file__).parents[3] / "data" / "deconflict"


def sample_params() -> list[tuple[str, str, dict]]:
    areas = geo.parse_areas(json.loads((SAMPLE / "areas.geojson").read_text()))
    movements = deconflict.parse_movements(
        json.loads((SAMPLE / "movements.geojson").read_text()),
        agreements={area.agreement for area in areas},
    )
    hazards = deconflict.parse_hazards(json.loads((SAMPLE / "hazards.geojson").read_text()))
    found = deconflict.check_movements(areas, movements, hazards)
    return [(f.movement_id, f.code, f.params) for f in found]


def test_each_finding_of_the_sample_carries_its_facts():
    congestion = {
        "count": 3,
        "movements": ["MSF-005", "SES-006", "MSF-007"],
        "crossing": "X-1",
        "window": ["2026-03-31T08:00:00Z", "2026-03-31T09:00:00Z"],
        "capacity": 2,
    }
    agreement = "HP-2026-004"
    assert sample_params() == [
        (
            "WFP-002",
            "route_outside_area",
            {"agreement": agreement, "distance_m": 661, "limit_m": 50},
        ),
        (
            "WFP-002",
            "near_hazard",
            {
                "hazard": "HZ-1",
                "kind": "mined",
                "note": "anti-tank mines reported on the shoulder",
                "distance_m": 391,
                "buffer_m": 500.0,
            },
        ),
        (
            "UNHCR-003",
            "outside_window",
            {
                "agreement": agreement,
                "window": ["2026-03-29T07:00:00Z", "2026-03-29T11:00:00Z"],
                "end": "2026-03-29T11:20:00Z",
                "case": "still_under_way",
            },
        ),
        (
            "ICRC-004",
            "late_notice",
            {
                "agreement": agreement,
                "notice_s": 75600.0,
                "required_s": 172800.0,
                "notified_at": "2026-03-29T11:00:00Z",
                "start": "2026-03-30T08:00:00Z",
            },
        ),
        ("MSF-005", "crossing_congestion", congestion),
        ("MSF-005", "vehicle_limit", {"agreement": agreement, "count": 12, "limit": 10}),
        ("SES-006", "crossing_congestion", congestion),
        (
            "SES-006",
            "cargo_limit",
            {
                "agreement": agreement,
                "item": "fuel",
                "quantity": 12000.0,
                "units": "l",
                "limit": 10000.0,
            },
        ),
        ("MSF-007", "crossing_congestion", congestion),
    ]
