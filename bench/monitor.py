"""Parley's incident classifier end to end against a GeoPandas baseline, in the same run.

    .venv/bin/python bench/monitor.py [--n 2000000] [--m 200] [--seed 7]
    .venv/bin/python bench/monitor.py --stream-20m

Generates N incidents over M agreement areas in the Zaporizhzhia–Donetsk region (polygons of up
to thousands of vertices, corridors, sites; fixed and recurring windows), writes them as a
Parley CSV, then times
- Parley: `parley monitor classify` in-process (read the CSV, classify, write the rows);
- the baseline the way an analyst does it: pandas.read_csv, points_from_xy, to_crs UTM 37N
  (EPSG:32637), corridors and sites buffered by half their width, `sjoin` with `dwithin` at each
  incident's precision, then the window filter by a merge with the windows table;
checks that both give the same rows (differences are listed with their distance to the area's
edge: the two disagree only where UTM and Parley's per-area projection round apart), and
prints incidents per second and the ratio. `--stream-20m` classifies 20 M incidents through the
streaming path and prints the peak memory (needs about 1.5 GB of disk in the temp folder).
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from parley.engines import geo
from parley.engines.monitor.cli import classify_command

REGION = (34.5, 46.8, 38.5, 48.8)  # lon/lat box: Zaporizhzhia to Donetsk
MARCH = np.datetime64("2026-03-01T00:00:00", "s")
SECONDS_IN_MARCH = 31 * 86_400


def make_areas(m: int, rng: np.random.Generator) -> dict:
    """A FeatureCollection: 40 % polygons (some with a hole), 35 % corridors, 25 % sites."""
    west, south, east, north = REGION
    features = []
    for index in range(m):
        lon0 = rng.uniform(west + 0.3, east - 0.3)
        lat0 = rng.uniform(south + 0.2, north - 0.2)
        kind = ("polygon", "corridor", "site")[int(rng.choice(3, p=[0.4, 0.35, 0.25]))]
        properties = {"agreement": f"HP-2026-{index // 2:03d}", "kind": "pause",
                      "windows": windows(rng)}
        if kind == "polygon":
            geometry = {"type": "Polygon", "coordinates": polygon(lon0, lat0, rng)}
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


def polygon(lon0: float, lat0: float, rng: np.random.Generator) -> list:
    """A star-shaped ring of 50 to 3 000 vertices, 3 to 15 km across, a hole in one of four."""
    vertices = int(rng.choice([50, 200, 1000, 3000]))
    radius_km = rng.uniform(3, 15)
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
    vertices = int(rng.integers(2, 40))
    heading = rng.uniform(0, 2 * np.pi)
    step_deg = rng.uniform(20, 60) / 111.0 / vertices
    coords = [[lon0, lat0]]
    for _ in range(vertices - 1):
        heading += rng.normal(0, 0.3)
        coords.append([coords[-1][0] + step_deg * math.cos(heading) / 0.67,
                       coords[-1][1] + step_deg * math.sin(heading)])
    return [[round(x, 7), round(y, 7)] for x, y in coords]


def windows(rng) -> list:
    day = int(rng.integers(1, 25))
    if rng.random() < 0.5:
        return [{"rrule": f"FREQ=DAILY;COUNT={int(rng.integers(3, 30))}",
                 "dtstart": f"2026-03-{day:02d}T{int(rng.integers(6, 14)):02d}:00:00",
                 "tz": "Europe/Kyiv", "duration": f"PT{int(rng.integers(2, 9))}H"}]
    return [{"start": f"2026-03-{day:02d}T08:00:00+02:00",
             "end": f"2026-03-{day + int(rng.integers(1, 7)):02d}T20:00:00+03:00"}]


def incident_table(n: int, rng: np.random.Generator, first: int = 0) -> pa.Table:
    west, south, east, north = REGION
    seconds = rng.integers(0, SECONDS_IN_MARCH, n)
    times = np.char.add(np.datetime_as_string(MARCH + seconds.astype("timedelta64[s]")), "Z")
    return pa.table({
        "id": pa.array(np.char.add("I", np.arange(first, first + n).astype(str))),
        "lat": np.round(rng.uniform(south, north, n), 6),
        "lon": np.round(rng.uniform(west, east, n), 6),
        "time": pa.array(times),
        "precision_m": rng.choice([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 500.0, 500.0, 2000.0], n),
    })


def write_incidents(path: Path, n: int, rng: np.random.Generator, chunk: int = 2_000_000):
    with pa_csv.CSVWriter(path, incident_table(0, rng).schema,
                          write_options=pa_csv.WriteOptions(quoting_style="none")) as writer:
        for first in range(0, n, chunk):
            writer.write_table(incident_table(min(chunk, n - first), rng, first))


def run_parley(areas_path: Path, incidents_path: Path, out: Path) -> float:
    began = time.perf_counter()
    code = classify_command(areas=areas_path, incidents=incidents_path, out=out,
                            stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - began
    if code != 0:
        sys.exit("Parley rejected the generated input")
    return elapsed


def stream_in_a_process(areas_path: Path, incidents_path: Path, out: Path, n: int) -> None:
    """`parley monitor classify` as its own process, so that its peak memory is its own."""
    began = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("parley")), "monitor", "classify", str(areas_path),
         str(incidents_path), "-o", str(out)],
        check=True,
    )
    elapsed = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"Parley    {elapsed:7.2f} s  {n / elapsed / 1e6:6.2f} M incidents/s, streamed; "
          f"peak RSS {peak_mb:,.0f} MB")


def run_geopandas(areas_path: Path, incidents_path: Path, out: Path) -> float:
    """The analyst's way: one `sjoin` with `dwithin` per distinct half width (the distance is
    half width + precision, per incident), inside when within the half width, then the windows
    by a merge with the table of every window's occurrences."""
    import geopandas as gpd
    import pandas as pd

    from parley.engines import timewin

    began = time.perf_counter()
    frame = pd.read_csv(incidents_path, dtype={"id": str})
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    ).to_crs(32637)

    collection = json.loads(areas_path.read_text())
    areas = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326").to_crs(32637)
    areas["feature_id"] = [feature["id"] for feature in collection["features"]]
    areas["order"] = range(len(areas))
    areas["half_width"] = areas["width_m"].fillna(0) / 2
    found = []
    for half_width, group in areas.groupby("half_width"):
        pairs = gpd.sjoin(points, group[["feature_id", "agreement", "order", "geometry"]],
                          predicate="dwithin", distance=points["precision_m"] + half_width)
        inside = pairs.geometry.values.dwithin(
            group.geometry.loc[pairs["index_right"]].values, half_width)
        pairs["relation"] = np.where(inside, "inside", "near")
        found.append(pd.DataFrame(pairs.drop(columns=["geometry", "index_right"])))
    pairs = pd.concat(found).reset_index(names="incident")

    window_rows = [
        (feature["id"], w.start, w.end)
        for feature in collection["features"]
        for w in timewin.windows_from_json(feature["properties"]["windows"])
    ]
    table = pd.DataFrame(window_rows, columns=["feature_id", "start", "end"])
    joined = pairs[["feature_id", "time"]].reset_index().merge(table, on="feature_id")
    hit = joined.loc[(joined["time"] >= joined["start"]) & (joined["time"] < joined["end"]),
                     "index"]
    pairs["in_window"] = np.where(pairs.index.isin(hit), "true", "false")
    pairs = pairs.sort_values(["incident", "order"])
    pairs[["id", "feature_id", "agreement", "relation", "in_window"]].to_csv(
        out, index=False, header=["incident_id", "feature_id", "agreement", "relation",
                                  "in_window"])
    return time.perf_counter() - began


def compare(areas_path: Path, incidents_path: Path, parley_out: Path, baseline_out: Path):
    """Rows in one output and not the other, each with how far its point lies from the edge
    that decides it (Parley's measure): the area's edge, or the edge grown by the precision."""
    import pandas as pd

    ours = pd.read_csv(parley_out, dtype=str, keep_default_na=False)
    theirs = pd.read_csv(baseline_out, dtype=str, keep_default_na=False)
    print(f"rows: Parley {len(ours):,}, GeoPandas {len(theirs):,}")
    merged = ours.merge(theirs, how="outer", indicator=True)
    differing = merged[merged["_merge"] != "both"]
    if differing.empty:
        print("the same rows")
        return
    incidents = pd.read_csv(incidents_path, dtype={"id": str}).set_index("id")
    areas = {area.id: area for area in geo.parse_areas(json.loads(areas_path.read_text()))}
    gaps = []
    for (incident_id, feature_id), _ in differing.groupby(["incident_id", "feature_id"]):
        row = incidents.loc[incident_id]
        beyond = float(geo.metric_area(areas[feature_id]).beyond_edge_m(
            np.array([row["lon"]]), np.array([row["lat"]]))[0])
        gaps.append(min(abs(beyond), abs(beyond - row["precision_m"])))
    gaps = np.array(gaps)
    print(f"{len(gaps):,} (incident, area) pairs differ ({len(gaps) / max(len(ours), 1):.4%} "
          f"of Parley's rows); distance to the deciding edge: median {np.median(gaps):.2f} m, "
          f"max {gaps.max():.2f} m")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--m", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stream-20m", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    if not (args.stream_20m or args.no_baseline):
        # Imported before either side is timed: Arrow imports pandas when it is installed, so
        # whichever side ran first would pay for loading it.
        import geopandas  # noqa: F401
        import pandas  # noqa: F401
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as folder:
        folder = Path(folder)
        areas_path = folder / "areas.geojson"
        areas_path.write_text(json.dumps(make_areas(args.m, rng)))
        n = 20_000_000 if args.stream_20m else args.n
        incidents_path = folder / "incidents.csv"
        began = time.perf_counter()
        write_incidents(incidents_path, n, rng)
        print(f"generated {n:,} incidents over {args.m} areas "
              f"({incidents_path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - began:.1f} s")
        parley_out = folder / "parley.csv"
        if args.stream_20m:
            stream_in_a_process(areas_path, incidents_path, parley_out, n)
            return
        parley_s = run_parley(areas_path, incidents_path, parley_out)
        print(f"Parley    {parley_s:7.2f} s  {n / parley_s / 1e6:6.2f} M incidents/s")
        if args.no_baseline:
            return
        baseline_out = folder / "geopandas.csv"
        baseline_s = run_geopandas(areas_path, incidents_path, baseline_out)
        print(f"GeoPandas {baseline_s:7.2f} s  {n / baseline_s / 1e6:6.2f} M incidents/s")
        print(f"ratio {baseline_s / parley_s:.1f}x")
        compare(areas_path, incidents_path, parley_out, baseline_out)


if __name__ == "__main__":
    main()
