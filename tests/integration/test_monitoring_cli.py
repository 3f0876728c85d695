"""`parley monitor ingest`: a feed file into the database, with progress, all or nothing."""

import io

import pytest

from parley.agreements.models import Agreement
from parley.cli import build_parser
from parley.monitoring.cli import ingest_command
from parley.monitoring.models import Incident
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FIRMS = ("latitude,longitude,brightness,acq_date,acq_time,satellite,confidence,frp\n"
         "47.6390,35.2065,330,2026-03-01,0905,Terra,77,5.1\n"
         "48.9000,37.0000,310,2026-03-01,0905,Terra,60,2.0\n")


@pytest.fixture
def people(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(code="HP-2026-010", owner=people.mediator, process=people.process,
                     status=Agreement.Status.AGREED)
    return people


def test_ingest_reports_counts_and_progress(people, tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(FIRMS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    code = ingest_command(path=path, source="firms", stdout=out, stderr=err)

    assert code == 0
    assert out.getvalue().startswith(
        f"{path}: 2 rows read, 2 incidents added, 0 already known, 1 candidate violation ")
    assert err.getvalue().split()[:3] == ["2", "rows", "read"]
    assert Incident.objects.filter(import_run__started_by=people.monitor_user).count() == 2


def test_ingest_of_a_bad_file_names_rows_and_exits_2(people, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,lat,lon,time,precision_m\na,91,35,2026-03-01T09:00:00Z,0\n",
                    encoding="utf-8")
    err = io.StringIO()

    code = ingest_command(path=path, source="parley", username="secretariat",
                          stdout=io.StringIO(), stderr=err)

    assert code == 2
    assert err.getvalue().splitlines()[-2:] == [
        f"{path}: line 2, lat: 91 is outside ±90 (are lat and lon swapped? lat is the latitude, "
        "-90 to 90; lon the longitude, -180 to 180)",
        f"{path}: nothing imported (1 problem)",
    ]
    assert Incident.objects.count() == 0


def test_a_party_account_may_not_ingest(people, tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(FIRMS, encoding="utf-8")
    err = io.StringIO()
    assert ingest_command(path=path, source="firms", username="ua-head", stdout=io.StringIO(),
                          stderr=err) == 2
    assert Incident.objects.count() == 0


def test_parser_knows_the_subcommand():
    ns = build_parser().parse_args(["monitor", "ingest", "f.csv", "--source", "acled"])
    assert (ns.file, ns.source, ns.user) == ("f.csv", "acled", None)
