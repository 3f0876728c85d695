"""The events CSV read by libhxl, the HXL project's own library: its date filters select the
right rows, and #loc+name holds the place, #loc+code the area."""

import copy
import io

import hxl
import hxl.input
import pytest

from parley.agreements.models import Agreement
from parley.monitoring import services
from tests.factories import CORRIDOR, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "id,lat,lon,time,precision_m,type\n"
# Day and month both at most 12: a reader taking the day first puts 4 March in April and
# 8 March in August, on the wrong side of the filters below.
ROWS = ("early,47.6380,35.2070,2026-03-04T00:12:30Z,0,shelling\n"
        "late,47.6380,35.2070,2026-03-08T09:00:00Z,0,shelling\n")


def hxl_rows(text: str, query: str) -> list[str]:
    source = hxl.data(hxl.input.make_input(io.BytesIO(text.encode()),
                                           hxl.input.InputOptions(allow_local=True)))
    return [row.get("#event+id") for row in source.with_rows(query)]


def test_libhxl_filters_events_by_date_and_reads_place_names(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    areas = copy.deepcopy(CORRIDOR)
    areas["features"][0]["properties"]["name"] = "Orikhiv road"
    AgreementFactory(code="HP-2026-501", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED,
                     version__areas=areas,
                     version__windows=[{"start": "2026-03-01T00:00:00Z",
                                        "end": "2026-03-12T00:00:00Z"}])
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    services.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    client.force_login(people.monitor_user)
    text = client.get("/api/monitoring/events.csv").content.decode()

    by_reference = {row.split(",")[4]: row.split(",")[0] for row in text.splitlines()[2:]}
    early, late = by_reference["2026-03-04 00:12:30"], by_reference["2026-03-08 09:00:00"]
    assert hxl_rows(text, "#date+start<2026-03-06") == [early]
    assert hxl_rows(text, "#date+start>2026-03-06") == [late]
    assert sorted(hxl_rows(text, "#loc+name=Orikhiv road")) == sorted([early, late])
    assert sorted(hxl_rows(text, "#loc+code=HP-2026-501/C1")) == sorted([early, late])
