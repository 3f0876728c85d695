"""`parley monitor classify` end to end against the GeoPandas baseline, each a whole process on
the same files, in the same run.

    .venv/bin/python bench/monitor.py [--n 2000000] [--m 210] [--seed 7] [--runs 3]
    .venv/bin/python bench/monitor.py --stream-20m
    .venv/bin/python bench/monitor.py --n 20000000 --spark --no-baseline

Generates M agreement areas between Zaporizhzhia and Donetsk (polygons of 8 to 5 000 vertices,
some with holes, some MultiPolygons; corridors 1-5 km wide and up to a few hundred km long;
protected sites of one to three points) and N incidents over two months (March and April 2027)
with exact, 5 km and 25 km location precision; half the areas have daily windows in Europe/Kyiv
that run across the clock change of 2027-03-28. Then, `--runs` times, alternating:
- Parley: `parley monitor classify AREAS INCIDENTS -o OUT`, a process of its own;
- the baseline: `python bench/baselines/geopandas_baseline.py AREAS INCIDENTS OUT` (the shared
  baseline, kept verbatim: one metric CRS, one `sjoin` with `dwithin`, the exact distance per
  pair, the windows with dateutil), a process of its own;
and prints each wall time, CPU time and peak memory, the machine's load beside them, the ratio,
and the rows where Parley differs from the baseline and from its own exact classification (the
shapely test on every candidate, no grid), each with its distance to the deciding edge.
`--spark` also runs `--engine spark` (local mode) on the same files.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

HERE = Path(__file__).resolve().parent
REGION = (34.5, 46.8, 38.5, 48.8)  # lon/lat box of the areas: Zaporizhzhia to Donetsk
# Incidents are reported over a wider box (southern and eastern Ukraine), most far from any area.
INCIDENT_REGION = (31.0, 45.5, 40.0, 50.5)
START = np.datetime64("2027-03-01T00:00:00", "s")
SECONDS = (31 + 30) * 86_400  # March and April 2027; Kyiv moves its clocks on 28 March
PRECISIONS = np.array([0.0] * 6 + [5_000.0] * 3 + [25_000.0])  # 60 % exact, 30 % 5 km, 10 % 25 km


def make_areas(m: int, rng: np.random.Generator) -> dict:
    """A FeatureCollection: 45 % polygons (a quarter with a hole, one in six a MultiPolygon),
    30 % corridors, 25 % sites."""
    west, south, east, north = REGION
    features = []
    for index in range(m):
        lon0 = rng.uniform(west + 0.3, east - 0.3)
        lat0 = rng.uniform(south + 0.2, north - 0.2)
        kind = ("polygon", "corridor", "site")[int(rng.choice(3, p=[0.45, 0.30, 0.25]))]
        properties = {"agreement": f"HP-2027-{index // 2:03d}", "kind": "pause",
                      "windows": windows(rng)}
        if kind == "polygon":
            parts = 1 if rng.random() < 5 / 6 else int(rng.integers(2, 4))
            if parts == 1:
                geometry = {"type": "Polygon", "coordinates": polygon(lon0, lat0, rng)}
            else:
                geometry = {"type": "MultiPolygon", "coordinates": [
                    polygon(lon0 + 0.4 * part, lat0 + 0.1 * part, rng, largest_km=8)
                    for part in range(parts)]}
        elif kind == "corridor":
            geometry = {"type": "LineString", "coordinates": corridor(lon0, lat0, rng)}
            properties["width_m"] = float(rng.choice([1000, 2000, 3000, 5000]))
        else:
            count = int(rng.integers(1, 4))
            points = [[round(lon0 + rng.normal(0, 0.05), 6), round(lat0 + rng.normal(0, 0.05), 6)]
                      for _ in range(count)]
            geometry = {"type": "MultiPoint", "coordinates": points}
            properties["width_m"] = float(rng.choice([2000, 5000, 10000]))
            properties["kind"] = "site"
        features.append({"type": "Feature", "id": f"A{index:03d}", "geometry": geometry,
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def polygon(lon0: float, lat0: float, rng: np.random.Generator, largest_km: float = 15) -> list:
    """A star-shaped ring of 8 to 5 000 vertices, 3 to `largest_km` km across, a hole in one of
    four."""
    vertices = int(rng.choice([8, 50, 200, 1000, 5000]))
    radius_km = rng.uniform(3, largest_km)
    rings = [ring(lon0, lat0, radius_km, vertices, rng)]
    if rng.random() < 0.25:
        rings.append(ring(lon0, lat0, radius_km * 0.2, 40, rng)[::-1])
    return rings


def ring(lon0, lat0, radius_km, vertices, rng) -> list:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    wobble = 1 + 0.25 * np.sin(angles * rng.integers(2, 7)) + rng.uniform(-0.05, 0.05, vertices)
    r_deg = radius_km * wobble / 111.0
    lons = lon0 + r_deg * np.cos(angles) / math.cos(math.radians(lat0))
    lats = lat0 + r_deg * np.sin(angles)
    coords = [[round(x, 7), round(y, 7)] for x, y in zip(lons, lats, strict=True)]
    return [*coords, coords[0]]


def corridor(lon0, lat0, rng) -> list:
    """A wandering line of 2 to 60 vertices, 20 to 300 km long, kept inside the region."""
    west, south, east, north = REGION
    vertices = int(rng.integers(2, 60))
    length_km = float(rng.choice([20, 60, 150, 300]))
    step_deg = length_km / 111.0 / max(vertices - 1, 1)
    heading = rng.uniform(0, 2 * np.pi)
    coords = [[lon0, lat0]]
    for _ in range(vertices - 1):
        heading += rng.normal(0, 0.3)
        lon = coords[-1][0] + step_deg * math.cos(heading) / 0.67
        lat = coords[-1][1] + step_deg * math.sin(heading)
        if not (west < lon < east and south < lat < north):
            heading += math.pi
            lon = coords[-1][0] + step_deg * math.cos(heading) / 0.67
            lat = coords[-1][1] + step_deg * math.sin(heading)
        coords.append([lon, lat])
    return [[round(x, 7), round(y, 7)] for x, y in coords]


def windows(rng) -> list:
    """Half daily windows in Europe/Kyiv from March into April, across the clock change of
    2027-03-28 (the local hours stay, the UTC ones move by an hour); half fixed windows."""
    if rng.random() < 0.5:
        day = int(rng.integers(1, 27))
        return [{"rrule": f"FREQ=DAILY;COUNT={int(rng.integers(5, 40))}",
                 "dtstart": f"2027-03-{day:02d}T{int(rng.integers(5, 14)):02d}:30:00",
                 "tz": "Europe/Kyiv", "duration": f"PT{int(rng.integers(2, 9))}H"}]
    day = int(rng.integers(1, 25))
    return [{"start": f"2027-04-{day:02d}T08:00:00+03:00",
             "end": f"2027-04-{day + int(rng.integers(1, 6)):02d}T20:00:00+03:00"}]


def incident_table(n: int, rng: np.random.Generator, first: int = 0) -> pa.Table:
    west, south, east, north = INCIDENT_REGION
    seconds = rng.integers(0, SECONDS, n)
    times = np.char.add(np.datetime_as_string(START + seconds.astype("timedelta64[s]")), "Z")
    precision = rng.choice(PRECISIONS, n)
    return pa.table({
        "id": pa.array(np.char.add("I", np.arange(first, first + n).astype(str))),
        "lat": np.round(rng.uniform(south, north, n), 6),
        "lon": np.round(rng.uniform(west, east, n), 6),
        "time": pa.array(times),
        # Empty is exact (docs/formats.md §3), as feeds write it.
        "precision_m": pa.array(np.where(precision == 0, "", precision.astype(int).astype(str))),
    })


def write_incidents(path: Path, n: int, rng: np.random.Generator, chunk: int = 2_000_000):
    with pa_csv.CSVWriter(path, incident_table(0, rng).schema,
                          write_options=pa_csv.WriteOptions(quoting_style="none")) as writer:
        for first in range(0, n, chunk):
            writer.write_table(incident_table(min(chunk, n - first), rng, first))


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def timed(name: str, command: list[str], n: int, env: dict | None = None) -> float:
    """Run `command` as a process of its own; print its wall and CPU time and peak memory."""
    before = load()
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} failed: {' '.join(command)}")
    print(f"{name:<10} {elapsed:7.2f} s  {n / elapsed / 1e6:6.2f} M incidents/s  "
          f"CPU {usage.ru_utime + usage.ru_stime:6.2f} s  peak RSS {usage.ru_maxrss / 1024:6.0f} MB"
          f"  ({before} before)", flush=True)
    return elapsed


def parley_command(areas: Path, incidents: Path, out: Path, *extra: str) -> list[str]:
    return [str(Path(sys.executable).with_name("parley")), "monitor", "classify", str(areas),
            str(incidents), "-o", str(out), *extra]


def compare(name: str, areas_path: Path, incidents_path: Path, ours_path: Path,
            theirs_path: Path) -> None:
    """The (incident, area) pairs on which the two outputs differ, each with how far its
    point lies from the edge that decides it (Parley's measure): the area's edge, or that edge
    grown by the incident's precision; and that distance against the threshold it decides."""
    import pandas as pd

    from parley.engines import geo

    columns = ["incident_id", "feature_id", "relation", "in_window"]

    def rows(path: Path):
        parts = sorted(path.glob("part-*.csv")) if path.is_dir() else [path]
        return pd.concat([pd.read_csv(part, dtype=str, keep_default_na=False)[columns]
                          for part in parts])

    ours, theirs = rows(ours_path), rows(theirs_path)
    merged = ours.merge(theirs, how="outer", indicator=True)
    differing = merged[merged["_merge"] != "both"].drop_duplicates(["incident_id", "feature_id"])
    print(f"  rows: Parley {len(ours):,}, {name} {len(theirs):,}; "
          f"{len(differing):,} (incident, area) pairs differ", flush=True)
    if differing.empty:
        return
    incidents = pd.read_csv(incidents_path, dtype={"id": str}).set_index("id")
    incidents["precision_m"] = incidents["precision_m"].fillna(0)
    areas = {area.id: area for area in geo.parse_areas(json.loads(areas_path.read_text()))}
    gaps, relative = [], []
    for feature_id, group in differing.groupby("feature_id"):
        rows = incidents.loc[group["incident_id"]]
        metric = geo.metric_area(areas[feature_id])
        beyond = metric.beyond_edge_m(rows["lon"].to_numpy(), rows["lat"].to_numpy())
        precision = rows["precision_m"].to_numpy()
        gap = np.minimum(np.abs(beyond), np.abs(beyond - precision))
        gaps.append(gap)
        relative.append(gap / np.maximum(metric.half_width_m + precision, 1.0))
    gaps, relative = np.concatenate(gaps), np.concatenate(relative)
    print(f"  distance to the deciding edge: median {np.median(gaps):.2f} m, max "
          f"{gaps.max():.2f} m; against the threshold (half width + precision): max "
          f"{relative.max():.4%}, {np.count_nonzero(relative > 0.001):,} beyond 0.1 %",
          flush=True)


def exact_reference(areas_path: Path, incidents_path: Path, out: Path) -> None:
    """Parley's own exact classification: every candidate through the shapely test."""
    from parley.engines import geo
    from parley.engines.monitor import classify as monitor_classify
    from parley.engines.monitor.feeds import FEEDS
    from parley.engines.monitor.tabular import read_exact

    areas = geo.parse_areas(json.loads(areas_path.read_text()))
    prepared = geo.prepare_areas(areas, grids=False)
    incidents = read_exact(incidents_path, FEEDS["parley"])
    with out.open("wb") as handle:
        monitor_classify.write_classified(prepared, [incidents], handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--m", type=int, default=210)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--stream-20m", action="store_true",
                        help="Parley alone on 20 M incidents: time and peak memory")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-exact", action="store_true",
                        help="skip the comparison with Parley's exact classification")
    parser.add_argument("--spark", action="store_true",
                        help="also `--engine spark` (local mode) on the same files")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    n = 20_000_000 if args.stream_20m else args.n
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        areas_path = folder / "areas.geojson"
        incidents_path = folder / f"incidents-{n}.csv"
        if not (args.keep and incidents_path.exists()):
            areas_path.write_text(json.dumps(make_areas(args.m, rng)))
            write_incidents(incidents_path, n, rng)
        print(f"{n:,} incidents ({incidents_path.stat().st_size / 1e6:.0f} MB) over {args.m} "
              f"areas in {folder}; {os.cpu_count()} cores", flush=True)
        parley_out = folder / "parley.csv"
        baseline_out = folder / "geopandas.csv"
        ratios = []
        # The first run prepares the areas and keeps them in a cache of its own (as a first
        # run against a new areas file does); the later runs find them there.
        cache = folder / "area-cache"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "PARLEY_CACHE_DIR": str(cache)}
        for run in range(args.runs):
            parley_s = timed("Parley" if run else "Parley*",
                             parley_command(areas_path, incidents_path, parley_out), n, env)
            if args.spark:
                timed("Spark", parley_command(areas_path, incidents_path,
                                              folder / "spark.csv", "--engine", "spark"), n)
            if args.stream_20m or args.no_baseline:
                continue
            baseline_s = timed("GeoPandas", [sys.executable, str(HERE / "baselines" /
                                             "geopandas_baseline.py"), str(areas_path),
                                             str(incidents_path), str(baseline_out)], n)
            ratios.append(baseline_s / parley_s)
            print(f"ratio {ratios[-1]:.1f}x", flush=True)
        if ratios:
            print(f"against GeoPandas: {', '.join(f'{r:.1f}x' for r in ratios)} "
                  "(* the first run, which prepared the areas; the others found them cached)")
            compare("GeoPandas", areas_path, incidents_path, parley_out, baseline_out)
        if args.spark:
            compare("Spark", areas_path, incidents_path, parley_out, folder / "spark.csv")
        if not (args.no_exact or args.stream_20m):
            exact_out = folder / "exact.csv"
            exact_reference(areas_path, incidents_path, exact_out)
            compare("exact", areas_path, incidents_path, parley_out, exact_out)


if __name__ == "__main__":
    main()
