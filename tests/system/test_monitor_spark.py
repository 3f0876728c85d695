"""`parley monitor classify --engine spark` and `backfill`: the same rows as the local engine.

Spark runs in local mode, one session for the module (starting one takes most of the time).
Skipped, with the reason, where pyspark or java is missing, except in CI (`CI` set), where the
Spark engine must be tested.
"""

import csv
import io
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from parley.engines.monitor.cli import classify_command

pytestmark = [pytest.mark.system]

DATA = Path(__file__).parents[1] / "data"


def _spark_or_skip():
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing.append("java is not installed (Debian: openjdk-17-jre-headless)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("the Spark engine must be tested in CI: " + "; ".join(missing))
        pytest.skip("; ".join(missing))


@pytest.fixture(scope="module")
def spark():
    _spark_or_skip()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("parley tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _incidents(path: Path, n: int, seed: int) -> None:
    """Incidents over the sample areas' region: exact, 500 m, 5 km and 25 km precision."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 40 * 86_400, n)
    times = np.datetime64("2026-03-01T00:00:00", "s") + seconds.astype("timedelta64[s]")
    precision = rng.choice(np.array(["", "0", "500", "5000", "25000"]), n)
    table = pa.table({
        "id": pa.array([f"I-{i}" for i in range(n)]),
        "lat": np.round(rng.uniform(46.4, 48.7, n), 6),
        "lon": np.round(rng.uniform(32.3, 38.1, n), 6),
        "time": pa.array(np.char.add(np.datetime_as_string(times), "Z")),
        "precision_m": pa.array(precision),
    })
    pa_csv.write_csv(table, path, write_options=pa_csv.WriteOptions(quoting_style="needed"))


def _local_rows(tmp_path: Path, incidents: Path, format: str = "parley") -> list[tuple]:
    out = tmp_path / "local.csv"
    code = classify_command(areas=DATA / "areas.geojson", incidents=incidents, out=out,
                            format=format, stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    with out.open(newline="") as handle:
        return sorted(tuple(row) for row in list(csv.reader(handle))[1:])


def _csv_parts(folder: Path) -> list[tuple]:
    rows = []
    for part in sorted(folder.glob("part-*.csv")):
        with part.open(newline="") as handle:
            lines = list(csv.reader(handle))
        assert lines[0] == ["incident_id", "feature_id", "agreement", "relation", "in_window"]
        rows += [tuple(row) for row in lines[1:]]
    return sorted(rows)


def test_spark_gives_the_local_engines_rows_for_csv_and_parquet(spark, tmp_path):
    from parley.engines.monitor.spark import spark_classify_command

    incidents = tmp_path / "incidents.csv"
    _incidents(incidents, 20_000, seed=3)
    expected = _local_rows(tmp_path, incidents)
    assert len(expected) > 400
    assert {row[3] for row in expected} == {"inside", "near"}
    assert {row[4] for row in expected} == {"true", "false"}

    out = tmp_path / "spark-out"
    stdout = io.StringIO()
    code = spark_classify_command(areas=DATA / "areas.geojson", incidents=[incidents], out=out,
                                  spark=spark, stdout=stdout, stderr=io.StringIO())
    assert code == 0
    assert _csv_parts(out) == expected
    assert f"{len(expected)} related pairs" in stdout.getvalue()

    # Parquet in, partitioned in two files, and Parquet out (the backfill's form).
    table = pa_csv.read_csv(incidents, convert_options=pa_csv.ConvertOptions(
        column_types=dict.fromkeys(["id", "lat", "lon", "time", "precision_m"], pa.string()),
        strings_can_be_null=False))
    table = table.set_column(4, "precision_m", pa.array(
        [float(value or 0) for value in table.column("precision_m").to_pylist()]))
    archive = tmp_path / "archive"
    archive.mkdir()
    pq.write_table(table.slice(0, 9_000), archive / "a.parquet")
    pq.write_table(table.slice(9_000), archive / "b.parquet")
    code = spark_classify_command(areas=DATA / "areas.geojson",
                                  incidents=[archive / "a.parquet", archive / "b.parquet"],
                                  out=tmp_path / "parquet-out", output_format="parquet",
                                  spark=spark, stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    written = pq.read_table(tmp_path / "parquet-out")
    assert sorted(
        (r["incident_id"], r["feature_id"], r["agreement"], r["relation"],
         "true" if r["in_window"] else "false")
        for r in written.to_pylist()
    ) == expected


def test_spark_reads_the_acled_and_firms_samples_as_the_local_engine_does(spark, tmp_path):
    from parley.engines.monitor.spark import spark_classify_command

    for format in ("acled", "firms"):
        incidents = DATA / "monitor" / f"{format}.csv"
        expected = _local_rows(tmp_path, incidents, format)
        out = tmp_path / f"{format}-out"
        code = spark_classify_command(areas=DATA / "areas.geojson", incidents=[incidents],
                                      out=out, format=format, spark=spark,
                                      stdout=io.StringIO(), stderr=io.StringIO())
        assert code == 0
        assert _csv_parts(out) == expected
        assert expected


def test_a_bad_cell_or_a_repeated_id_writes_nothing_and_says_why(spark, tmp_path):
    from parley.engines.monitor.spark import spark_classify_command

    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat,lon,time,precision_m\nA,47.85,35.25,2026-03-01T09:00:00Z,0\n"
                   "B,north,35.25,2026-03-01T09:00:00Z,0\n")
    twice = tmp_path / "twice.csv"
    twice.write_text("id,lat,lon,time,precision_m\nA,47.85,35.25,2026-03-01T09:00:00Z,0\n"
                     "A,47.86,35.25,2026-03-01T09:00:00Z,0\n")
    for path, reason in ((bad, "a cell the fast reading cannot take"),
                         (twice, "id 'A' is used more than once")):
        out = tmp_path / f"{path.stem}-out"
        stderr = io.StringIO()
        code = spark_classify_command(areas=DATA / "areas.geojson", incidents=[path], out=out,
                                      spark=spark, stdout=io.StringIO(), stderr=stderr)
        assert code == 2
        assert reason in stderr.getvalue()
        assert "nothing written: 1 problem in the input" in stderr.getvalue()
        assert not list(out.glob("part-*"))
