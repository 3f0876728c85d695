"""Peak memory of reading a file of bad rows (issue 8, finding 12).

    PYTHONPATH=src python bench/bad_rows.py [--rows 750000] [--keep 300]

Writes a Parley incident CSV (docs/formats.md §3) of ROWS rows, each with a time that is not
a date (about 21 MB for 750 000 rows), reads it as the import does (the fast reading gives up,
the exact reading names the problems, as `parley.monitoring.services.imports` does) and prints
the rows, the problems counted and kept, the time taken and the peak resident memory of the
whole process (ru_maxrss).
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=750_000)
    parser.add_argument("--keep", type=int, default=300)
    # The import's batch (MONITORING_IMPORT_BATCH_ROWS, IMPORT_BATCH_ROWS = 100 000).
    parser.add_argument("--batch-rows", type=int, default=100_000)
    arguments = parser.parse_args()
    from parley.engines import monitor
    from parley.engines.monitor.tabular import NeedsExactReading, fast_batches, read_exact

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad.csv"
        with path.open("w") as stream:
            stream.write("id,lat,lon,time,precision_m\n")
            for row in range(arguments.rows):
                stream.write(f"r{row},48.{row % 1000},37.5,bad,0\n")
        size = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        try:
            try:
                for _ in fast_batches(path, monitor.PARLEY, arguments.batch_rows):
                    pass
            except NeedsExactReading:
                pass
            try:
                read_exact(path, monitor.PARLEY, keep=arguments.keep)
            except TypeError:  # before the bounded reading: no `keep`
                read_exact(path, monitor.PARLEY)
        except monitor.IncidentValidationError as error:
            kept = len(error.errors)
            total = getattr(error, "total", kept)
        else:
            sys.exit("the file was accepted")
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"file: {arguments.rows:,} rows, {size / 1e6:.1f} MB")
    print(f"problems: {total:,} counted, {kept:,} kept")
    print(f"time: {elapsed:.1f} s")
    print(f"peak RSS: {peak / 1024:.0f} MB (before reading {before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
