# Copied verbatim from the shared benchmark kit (bench/geopandas_baseline.py of the project brief),
# the baseline every Parley speed figure is measured against. Everything below these comment lines
# must stay byte for byte as it came: do not lint, reformat or "improve" it; a faster baseline
# would make the ratio dishonest in the other direction, and a slower one did (issue 13).
#!/usr/bin/env python3
"""The reference baseline for `parley monitor classify`: what a GIS analyst writes with GeoPandas.

Reads agreement areas (docs/formats.md §2 GeoJSON) and incidents (docs/formats.md §3 Parley CSV) and writes the
classification (docs/formats.md §4: incident_id, feature_id, agreement, relation, in_window):
- everything projected to one metric CRS (UTM 36N, EPSG:32636), corridors and sites buffered by
  half their width;
- one `sjoin(predicate="dwithin")` at the largest precision, then the exact distance per pair
  against that pair's own precision (0 = inside, otherwise near);
- windows expanded with dateutil in each window's zone, then tested per pair.

Benchmarks compare Parley with this script, timed as a whole process in the same run on the same
files (`time python geopandas_baseline.py AREAS INCIDENTS OUT`). Needs geopandas, pandas,
python-dateutil (the benchmark's own dependency group, not Parley's).

usage: geopandas_baseline.py AREAS.geojson INCIDENTS.csv OUT.csv
"""
import json
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
from dateutil.rrule import rrulestr

_DUR = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def duration(text):
    d, h, m, s = (int(x or 0) for x in _DUR.match(text).groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


def expand(win):
    """UTC (start, end) pairs of one window of docs/formats.md §1."""
    if "start" in win:
        return [(datetime.fromisoformat(win["start"]).astimezone(UTC),
                 datetime.fromisoformat(win["end"]).astimezone(UTC))]
    tz, length = ZoneInfo(win["tz"]), duration(win["duration"])
    out = []
    for local in rrulestr(win["rrule"], dtstart=datetime.fromisoformat(win["dtstart"])):
        start = local.replace(tzinfo=tz).astimezone(UTC)
        out.append((start, start + length))
    return out


def main(areas_path, incidents_path, out_path):
    t0 = time.perf_counter()
    fc = json.load(open(areas_path, encoding="utf-8"))
    z = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
    z["feature_id"] = [str(f["id"]) for f in fc["features"]]
    z["agreement"] = [f["properties"].get("agreement", "") for f in fc["features"]]
    z = z.to_crs("EPSG:32636")
    width = z["width_m"].fillna(0).to_numpy() if "width_m" in z else np.zeros(len(z))
    z["geometry"] = [g.buffer(w / 2) if w else g for g, w in zip(z.geometry, width, strict=True)]
    inc = pd.read_csv(incidents_path, dtype={"id": str})
    inc["precision_m"] = inc["precision_m"].fillna(0)
    pts = gpd.GeoDataFrame(inc, geometry=gpd.points_from_xy(inc.lon, inc.lat), crs="EPSG:4326")
    pts = pts.to_crs("EPSG:32636")
    joined = gpd.sjoin(pts, z[["feature_id", "agreement", "geometry"]], predicate="dwithin",
                       distance=float(inc.precision_m.max())).reset_index(drop=True)
    geoms = z.set_index("feature_id").geometry
    dist = joined.geometry.distance(
        gpd.GeoSeries(geoms.loc[joined.feature_id].values, index=joined.index, crs=joined.crs))
    keep = (dist <= joined.precision_m).to_numpy()
    joined, dist = joined[keep].copy(), dist[keep]
    joined["relation"] = np.where(dist.to_numpy() == 0, "inside", "near")
    spans = {str(f["id"]): [s for w in f["properties"]["windows"] for s in expand(w)]
             for f in fc["features"]}
    times = pd.to_datetime(joined.time, utc=True, format="ISO8601").dt.to_pydatetime()
    active = [any(s <= t < e for s, e in spans[fid]) for t, fid in zip(times, joined.feature_id, strict=True)]
    joined["in_window"] = np.where(active, "true", "false")
    joined = joined.rename(columns={"id": "incident_id"})
    joined[["incident_id", "feature_id", "agreement", "relation", "in_window"]].to_csv(out_path, index=False)
    print(f"geopandas baseline: {len(joined)} rows in {time.perf_counter() - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
