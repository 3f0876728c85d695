"""`parley monitor classify --engine spark` and `parley monitor backfill`: the same kernel on
Apache Spark.

The incidents are read by Spark (CSV, every column as text, or Parquet) and split into
partitions; the areas file's bytes are broadcast; on each executor a Python worker prepares the
areas once (or maps them from the executor's own `geo.cache`) and then, for each Arrow batch
Spark hands it (`mapInArrow`), converts the batch with the feed's fast path and calls
`geo.classify_arrays`, exactly as the local engine does, and returns the batch's rows. Spark
writes them as a folder of CSV parts (`classify`) or Parquet parts (`backfill`).

What differs from the local engine, by design:
- the output is a folder of parts (one per partition), each CSV part with its own header, the
  rows of a part in input order; together they are the local engine's rows;
- a batch the fast path cannot read (a bad cell) stops the job with the batch's file named; the
  local `parley monitor classify` on that file lists every problem with its line;
- repeated ids (Parley and ACLED feeds) are found by one more Spark job over the ids alone;
- ACLED's notes about days read in UTC are not collected.

`pyspark` is imported only here, so the local engine never pays for it. The master is whatever
`spark-submit` or `SPARK_MASTER` sets, else `local[*]`.
"""

import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parley.engines import geo

from .feeds import FEEDS
from .incidents import take_arrow
from .tabular import Feed, is_parquet

EXIT_INVALID_INPUT = 2
OUTPUT_SCHEMA = pa.schema([
    ("incident_id", pa.string()),
    ("feature_id", pa.string()),
    ("agreement", pa.string()),
    ("relation", pa.string()),
    ("in_window", pa.bool_()),
])
_SPARK_SCHEMA = ("incident_id string, feature_id string, agreement string, relation string, "
                 "in_window boolean")

_BATCH_ROWS_KEY = "spark.sql.execution.arrow.maxRecordsPerBatch"
BATCH_ROWS = 500_000

# Per Python worker: the prepared areas of each areas file seen, by the hash of its bytes.
_PREPARED: dict[str, list[geo.PreparedArea]] = {}


class InvalidBatch(ValueError):
    """A batch the fast path cannot vouch for."""


def classified_batch(
    prepared: Sequence[geo.PreparedArea], feed: Feed, columns: dict[str, pa.Array],
    header: list[str],
) -> pa.RecordBatch:
    """The rows of docs/formats.md §4 for one batch of a feed's columns, as an Arrow batch."""
    incidents = feed.fast(columns, header)
    if incidents is None:
        raise InvalidBatch("a cell the fast reading cannot take")
    incident_idx, feature_idx, relation, in_window = geo.classify_arrays(
        prepared, incidents.lon, incidents.lat, incidents.t_ns, incidents.precision_m,
        t_end_ns=incidents.t_end_ns,
    )
    feature_ids = pa.array([p.area.id for p in prepared], type=pa.string())
    agreements = pa.array([p.area.agreement for p in prepared], type=pa.string())
    relations = pa.array([geo.RELATIONS[geo.INSIDE], geo.RELATIONS[geo.NEAR]])
    features = pa.array(feature_idx, type=pa.int64())
    return pa.RecordBatch.from_arrays([
        take_arrow(incidents.ids, incident_idx),
        feature_ids.take(features),
        agreements.take(features),
        relations.take(pa.array(relation.astype(np.int64) - geo.INSIDE)),
        pa.array(in_window, type=pa.bool_()),
    ], schema=OUTPUT_SCHEMA)


def prepared_areas(raw: bytes) -> list[geo.PreparedArea]:
    """The areas of a (valid) areas file, prepared once per process: from this process's
    memory, the machine's `geo.cache`, or built."""
    key = hashlib.sha256(raw).hexdigest()
    found = _PREPARED.get(key)
    if found is None:
        from parley.engines.geo import cache

        found = cache.load_prepared(raw)
        if found is None:
            found = geo.prepare_areas(geo.parse_areas(_json(raw)))
            cache.store_prepared(raw, found)
        _PREPARED[key] = found
    return found


def batch_kernel(raw_areas: Any, format: str, empty_is_null: bool = False) -> Any:
    """The function `mapInArrow` runs on each partition: batches in, rows out. `raw_areas` is
    a Spark broadcast of the areas file's bytes (or the bytes themselves). Spark's CSV reader
    reads an empty cell as null (`empty_is_null`): it is given back as the empty text the local
    reader sees."""

    def classify_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        raw = getattr(raw_areas, "value", raw_areas)
        prepared = prepared_areas(raw)
        feed = FEEDS[format]
        for batch in batches:
            header = [feed.column_name(name) for name in batch.schema.names]
            columns = {name: batch.column(index) for index, name in enumerate(header)}
            if empty_is_null:
                columns = {name: pc.fill_null(column, "") if column.null_count else column
                           for name, column in columns.items()}
            yield classified_batch(prepared, feed, columns, header)

    return classify_partition


def spark_classify_command(
    *,
    areas: Path,
    incidents: Sequence[Path],
    out: Path,
    format: str = "parley",
    output_format: str = "csv",
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    spark: Any = None,
) -> int:
    """Classify `incidents` (files or folders of one feed) on Spark into the folder `out`."""
    from .cli import _read_areas

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    feed = FEEDS[format]
    problems: list[str] = []
    try:
        raw = Path(areas).read_bytes()
    except OSError as problem:
        raw = None
        problems.append(f"{areas}: cannot be read: {problem.strerror}")
    parsed = _read_areas(Path(areas), raw, problems) if raw is not None else None
    paths = [str(Path(path)) for path in incidents]
    for path in incidents:
        if not Path(path).exists():
            problems.append(f"{path}: cannot be read: No such file or directory")
    if problems or parsed is None:
        return _refuse(problems, stderr)

    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    own = spark is None
    if own:
        # Local mode's Python workers run this interpreter, with Parley importable.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (SparkSession.builder.appName("parley monitor")
                   .config("spark.ui.showConsoleProgress", "false"))
        if os.environ.get("SPARK_MASTER"):
            builder = builder.master(os.environ["SPARK_MASTER"])
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
    if spark.conf.get(_BATCH_ROWS_KEY, "10000") == "10000":
        # Spark's default of 10 000 rows a batch would pay the per-batch cost of visiting
        # every area a hundred times per million incidents.
        spark.conf.set(_BATCH_ROWS_KEY, str(BATCH_ROWS))
    try:
        frame = _read(spark, paths, feed)
        missing = [name for name in feed.columns
                   if name not in {feed.column_name(c) for c in frame.columns}]
        if missing:
            return _refuse([f"{', '.join(paths)}: the header lacks the column"
                            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                            f"{feed.header_hint}"], stderr)
        if feed.unique_ids:
            # A feed whose ids must be unique names its id column first.
            id_column = next(c for c in frame.columns if feed.column_name(c) == feed.columns[0])
            twice = (frame.groupBy(id_column).count().where("count > 1")
                     .limit(3).collect())
            if twice:
                return _refuse([f"{', '.join(paths)}: id {row[0]!r} is used more than once"
                                for row in twice], stderr)
        broadcast = spark.sparkContext.broadcast(raw)
        parquet = all(is_parquet(Path(path)) for path in paths)
        rows = frame.mapInArrow(batch_kernel(broadcast, format, empty_is_null=not parquet),
                                _SPARK_SCHEMA)
        writer = rows.write.mode("overwrite")
        if output_format == "parquet":
            writer.parquet(str(out))
        else:
            writer.option("header", True).option("escape", '"').csv(str(out))
        summary = spark.read.parquet(str(out)) if output_format == "parquet" else (
            spark.read.option("header", True).schema(_SPARK_SCHEMA).csv(str(out)))
        pairs = summary.count()
        in_window = summary.where("in_window").count()
    except PySparkException as problem:
        if "InvalidBatch" in str(problem):
            return _refuse([f"{', '.join(paths)}: a batch has a cell the fast reading cannot "
                            "take; `parley monitor classify` on the file names every problem "
                            "with its line"], stderr)
        raise
    finally:
        if own:
            spark.stop()
    print(f"{pairs} related pairs and {len(parsed)} areas, {in_window} in a window "
          f"(candidate violations), written to {out}/ ({output_format} parts)", file=stdout)
    return 0


def _read(spark: Any, paths: list[str], feed: Feed) -> Any:
    if all(is_parquet(Path(path)) for path in paths):
        return spark.read.parquet(*paths)
    # Every column as text, as the local reader reads it.
    return (spark.read.option("header", True).option("inferSchema", False)
            .option("escape", '"').option("multiLine", feed.newlines_in_values)
            .option("encoding", "UTF-8").csv(paths))


def _refuse(problems: list[str], stderr: TextIO) -> int:
    for problem in problems:
        print(problem, file=stderr)
    print(f"nothing written: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
          "in the input", file=stderr)
    return EXIT_INVALID_INPUT


def _json(raw: bytes) -> Any:
    import json

    return json.loads(raw.decode("utf-8-sig"))
