// Converts Natural Earth country outlines (npm world-atlas, TopoJSON) into the static GeoJSON the
// offline base map loads. Coordinates are rounded to 1e-4 degrees (about 10 m), far below what a
// 1:50m outline can show, to keep the file small.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { feature } from "topojson-client";

const source = "node_modules/world-atlas/countries-50m.json";
const target = "src/parley/ui/static/parley/basemap/countries.geojson";

const topology = JSON.parse(readFileSync(source, "utf8"));
const countries = feature(topology, topology.objects.countries);

const round = (value) =>
  Array.isArray(value) ? value.map(round) : Math.round(value * 1e4) / 1e4;

for (const f of countries.features) {
  f.geometry.coordinates = round(f.geometry.coordinates);
  f.properties = { name: f.properties.name, iso_n3: f.id ?? null };
  delete f.id;
}

// Natural Earth draws the de facto line and puts Crimea inside Russia. Parties on both sides use
// this map, so Crimea is split out as its own feature marked disputed and drawn neutrally.
const crimea = { lon: 34.1, lat: 44.95 };
const russia = countries.features.find((f) => f.properties.name === "Russia");
const inBox = (ring, p) => {
  const lons = ring.map((c) => c[0]);
  const lats = ring.map((c) => c[1]);
  return Math.min(...lons) < p.lon && p.lon < Math.max(...lons) &&
    Math.min(...lats) < p.lat && p.lat < Math.max(...lats) && Math.max(...lons) < 37;
};
const crimeaPolygons = russia.geometry.coordinates.filter((poly) => inBox(poly[0], crimea));
if (crimeaPolygons.length !== 1) throw new Error("Crimea outline not found in the source");
russia.geometry.coordinates = russia.geometry.coordinates.filter((poly) => !crimeaPolygons.includes(poly));
countries.features.forEach((f) => { f.properties.disputed = false; });
countries.features.push({
  type: "Feature",
  properties: { name: "Crimea", iso_n3: null, disputed: true },
  geometry: { type: "Polygon", coordinates: crimeaPolygons[0] },
});

mkdirSync("src/parley/ui/static/parley/basemap", { recursive: true });
writeFileSync(target, JSON.stringify(countries));
console.log(`${target}: ${countries.features.length} countries`);
