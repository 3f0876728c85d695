// Maps of Parley: an offline base map (country outlines and labelled places shipped as static
// GeoJSON), agreement areas coloured by phase, and an area editor on Geoman that keeps a GeoJSON
// textarea as the single source of truth (drawing writes to it; pasting into it redraws).
(function () {
  "use strict";

  var PHASE_COLOURS = {
    draft: "#8a8f98", proposed: "#c98a00", countered: "#d46a00", agreed: "#1f5fa8",
    in_force: "#1f5fa8", active: "#1c7a3e", completed: "#6d7480", suspended: "#a8261f",
    terminated: "#3b3f45",
  };
  var EARTH_RADIUS_M = 6371008.8;
  var DEFAULT_VIEW = { center: [47.6, 35.2], zoom: 7 };

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function readJsonScript(selector) {
    var node = selector && document.querySelector(selector);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Labels of lower rank give way to those of higher rank they would overlap (capital, city,
  // the contact line's date, site, town), and none covers a site or hazard symbol or a control;
  // a place's name tries each side of its dot. Recomputed after every zoom, pan and resize.
  var LABEL_RANK = { capital: 1, city: 2, contact_line: 2.5, site: 3, town: 4 };
  var PRECISION_CAP_M = 5000;

  // The point of a polyline nearest the middle of the map's view (null for an empty line).
  function nearestOnLine(map, line) {
    var points = line.getLatLngs().map(function (ll) { return map.latLngToLayerPoint(ll); });
    var centre = map.latLngToLayerPoint(map.getCenter());
    var best = null, bestDistance = Infinity;
    for (var i = 0; i < points.length - 1; i++) {
      var p = L.LineUtil.closestPointOnSegment(centre, points[i], points[i + 1]);
      var d = p.distanceTo(centre);
      if (d < bestDistance) { bestDistance = d; best = p; }
    }
    return best ? map.layerPointToLatLng(best) : null;
  }

  function declutterLabels(map, layers) {
    var origin = map.getContainer().getBoundingClientRect();
    var size = map.getSize();
    var rectOf = function (node, pad) {
      var box = node.getBoundingClientRect();
      return { x1: box.left - origin.left - pad, y1: box.top - origin.top - 1,
        x2: box.right - origin.left + pad, y2: box.bottom - origin.top + 1 };
    };
    var clashes = function (r, others) {
      if (r.x2 - r.x1 <= 4) { return false; }
      return others.some(function (o) { return r.x1 < o.x2 && o.x1 < r.x2 && r.y1 < o.y2 && o.y1 < r.y2; });
    };
    var inView = function (r) { return r.x1 >= 0 && r.y1 >= 0 && r.x2 <= size.x && r.y2 <= size.y; };
    // Site and hazard symbols are never covered by a label.
    var placed = [];
    map.getContainer().querySelectorAll(".map-symbol, .leaflet-control").forEach(function (node) {
      placed.push(rectOf(node, 0));
    });
    var entries = [];
    layers.forEach(function (group) {
      group.eachLayer(function (layer) {
        var tip = layer.getTooltip && layer.getTooltip();
        if (tip && tip.getElement && tip.getElement()) {
          var rank = layer.options.labelRank;
          entries.push({ tip: tip, rank: rank === undefined ? 9 : rank, order: entries.length,
            layer: layer, candidates: layer.options.labelCandidates,
            sides: !layer.options.labelCandidates });
        }
      });
    });
    entries.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    entries.forEach(function (entry) {
      var node = entry.tip.getElement();
      node.style.visibility = "";
      var r = rectOf(node, 2);
      if (entry.candidates) {
        // A line's label moves along the line to a place in view that covers nothing: one of
        // its vertices, or the point of the line nearest the middle of the view.
        var candidates = entry.candidates.concat([nearestOnLine(map, entry.layer)]);
        var fallback = null;
        for (var i = 0; i < candidates.length; i++) {
          if (!candidates[i]) { continue; }
          entry.tip.setLatLng(candidates[i]);
          r = rectOf(node, 2);
          if (!inView(r)) { continue; }
          if (!fallback) { fallback = candidates[i]; }
          if (!clashes(r, placed)) { fallback = null; break; }
        }
        if (fallback) { entry.tip.setLatLng(fallback); r = rectOf(node, 2); }
      }
      if (entry.sides) {
        // A place's name takes the first side of its dot where it is whole in view and covers
        // nothing; else the first where it covers nothing; else it gives way.
        var sides = [["right", [4, 0]], ["left", [-4, 0]], ["top", [0, -6]], ["bottom", [0, 6]]];
        var whole = null, partial = null;
        for (var k = 0; k < sides.length; k++) {
          entry.tip.options.direction = sides[k][0];
          entry.tip.options.offset = sides[k][1];
          entry.tip.update();
          r = rectOf(node, 2);
          if (!clashes(r, placed)) {
            if (inView(r)) { whole = sides[k]; break; }
            if (!partial) { partial = sides[k]; }
          }
        }
        var pick = whole || partial || sides[0];
        if (pick !== sides[k]) {
          entry.tip.options.direction = pick[0];
          entry.tip.options.offset = pick[1];
          entry.tip.update();
          r = rectOf(node, 2);
        }
      }
      var offscreen = r.x2 < 0 || r.y2 < 0 || r.x1 > size.x || r.y1 > size.y;
      if (clashes(r, placed)) {
        node.style.visibility = "hidden";
        node.classList.add("label-hidden");
      } else {
        node.classList.remove("label-hidden");
        if (!offscreen) { placed.push(r); }
      }
    });
  }

  function svgIcon(kind) {
    var shapes = {
      // A protected site: a green shield-like diamond with a white cross-bar.
      site: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M10 1 19 10 10 19 1 10Z" fill="#1c7a3e" stroke="#fff" stroke-width="1.5"/><path d="M6 10h8" stroke="#fff" stroke-width="2"/></svg>',
      // A hazard: the warning triangle.
      hazard: '<svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true"><path d="M10 1.5 19 18H1Z" fill="#f0b400" stroke="#6b3d00" stroke-width="1.3" stroke-linejoin="round"/><path d="M10 7v5.5" stroke="#3b2300" stroke-width="2" stroke-linecap="round"/><circle cx="10" cy="15.2" r="1.1" fill="#3b2300"/></svg>',
    };
    return L.divIcon({ className: "map-symbol map-symbol-" + kind, html: shapes[kind],
      iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -8] });
  }

  function legendControl(map, element, extra) {
    // On a phone the legend starts folded, under the layers button, clear of the attribution.
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)").matches : false;
    var control = L.control({ position: narrow ? "topright" : "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("details", "map-legend-control leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.open = !narrow;
      var summary = L.DomUtil.create("summary", "", box);
      summary.textContent = element.dataset.labelLegend || "Legend";
      var list = L.DomUtil.create("ul", "", box);
      control.list = list;
      return box;
    };
    control.addTo(map);
    var shown = {};
    control.item = function (key, swatch, label) {
      if (!label || shown[key]) { return; }
      shown[key] = true;
      var li = L.DomUtil.create("li", "legend-" + key, control.list);
      var sw = L.DomUtil.create("span", "swatch", li);
      sw.innerHTML = swatch;
      var text = L.DomUtil.create("span", "", li);
      text.textContent = label;
    };
    var d = element.dataset;
    control.item("river", '<svg width="22" height="10"><path d="M1 7 C6 1 12 9 21 3" stroke="#5b8fc7" stroke-width="2" fill="none"/></svg>', d.labelRivers);
    control.item("admin1", '<svg width="22" height="10"><path d="M1 5h20" stroke="#9a8fa8" stroke-width="1.2" stroke-dasharray="4 2 1 2" fill="none"/></svg>', d.labelAdmin1);
    (extra || []).forEach(function (item) { control.item.apply(null, item); });
    return control;
  }

  function baseMap(element) {
    var map = L.map(element, { zoomSnap: 0.5, preferCanvas: false, worldCopyJump: true })
      .setView(DEFAULT_VIEW.center, DEFAULT_VIEW.zoom);
    map.attributionControl.setPrefix(false);
    var d = element.dataset;
    var lang = d.lang || "en";
    map.createPane("basemap").style.zIndex = 250;
    map.createPane("contactline").style.zIndex = 450;
    var offline = { fill: true };
    var countries = L.geoJSON(null, {
      interactive: false, pmIgnore: true, pane: "basemap",
      style: function (f) {
        var fill = offline.fill ? 1 : 0;
        return f.properties.disputed
          ? { color: "#6d7480", weight: 1, dashArray: "4 4", fillColor: "#efe9dc", fillOpacity: fill }
          : { color: "#8d96a3", weight: 1, fillColor: "#f3f1ea", fillOpacity: fill };
      },
    }).addTo(map);
    var water = L.geoJSON(null, {
      interactive: false, pmIgnore: true, pane: "basemap",
      style: function (f) {
        return f.geometry.type.indexOf("Polygon") >= 0
          ? { color: "#7aa7d6", weight: 0.8, fillColor: "#b9d3ee", fillOpacity: 1 }
          : { color: "#5b8fc7", weight: 1.6, opacity: 0.9 };
      },
    }).addTo(map);
    var admin1 = L.geoJSON(null, {
      interactive: false, pmIgnore: true, pane: "basemap",
      style: function () { return { color: "#9a8fa8", weight: 1, dashArray: "5 3 1 3", opacity: 0.9 }; },
    }).addTo(map);
    var places = L.layerGroup().addTo(map);
    var contact = L.featureGroup();
    map.attributionControl.addAttribution(d.attribution || "Natural Earth");

    var loaded = [fetchJson(d.basemap).then(function (data) { countries.addData(data); })];
    if (d.water) { loaded.push(fetchJson(d.water).then(function (data) { water.addData(data); })); }
    if (d.rivers) { loaded.push(fetchJson(d.rivers).then(function (data) { water.addData(data); })); }
    if (d.admin1) { loaded.push(fetchJson(d.admin1).then(function (data) { admin1.addData(data); })); }
    Promise.all(loaded).then(function () {
      // Land first, then lakes and rivers, then the boundaries above them.
      admin1.bringToBack(); water.bringToBack(); countries.bringToBack();
      element.dataset.basemapReady = "1";
    }, function () { element.dataset.basemapReady = "error"; });

    // Measured once the browser has laid the labels out (after fonts, zoom animations, resizes).
    var timer = null;
    var declutter = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (map._animatingZoom) { declutter(); return; }
        declutterLabels(map, [contact, places]);
        element.dataset.labelsPass = String((parseInt(element.dataset.labelsPass || "0", 10) + 1));
      }, 80);
    };
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(declutter); }
    fetchJson(d.places).then(function (data) {
      data.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var kind = f.properties.kind;
        L.circleMarker(ll, {
          radius: kind === "capital" ? 5 : kind === "city" ? 4 : 3, weight: 1, color: "#263340",
          fillColor: kind === "site" ? "#f0c419" : "#fff", fillOpacity: 1, pmIgnore: true,
          labelRank: LABEL_RANK[kind] || 5,
        }).bindTooltip(f.properties["name_" + lang] || f.properties.name_en, {
          permanent: true, direction: "right", className: "place-label place-" + kind,
          offset: [4, 0],
        }).addTo(places);
      });
      declutter();
    });
    map.on("zoomend moveend resize overlayadd overlayremove layeradd", declutter);

    var legend = legendControl(map, element);
    map.parleyLegend = legend;

    if (d.contactLine) {
      fetchJson(d.contactLine).then(function (feature) {
        if (!feature || !feature.geometry) { return; }
        var lines = feature.geometry.type === "LineString"
          ? [feature.geometry.coordinates] : feature.geometry.coordinates;
        var longest = null;
        lines.forEach(function (line) {
          var layer = L.polyline(line.map(function (c) { return [c[1], c[0]]; }), {
            pane: "contactline", color: "#c0182b", weight: 3, dashArray: "10 6", opacity: 0.95,
            pmIgnore: true, interactive: true, className: "contact-line",
            labelRank: LABEL_RANK.contact_line,
          });
          layer.bindPopup(feature.properties.label + (feature.properties.source
            ? " · " + feature.properties.source : ""));
          contact.addLayer(layer);
          if (!longest || line.length > longest.n) { longest = { n: line.length, layer: layer }; }
        });
        if (longest) {
          var points = longest.layer.getLatLngs();
          longest.layer.options.labelCandidates = [0.5, 0.35, 0.65, 0.2, 0.8, 0.42, 0.58, 0.27,
            0.73, 0.1, 0.9].map(function (f) { return points[Math.round(f * (points.length - 1))]; });
          longest.layer.bindTooltip(feature.properties.label, {
            permanent: true, direction: "center", className: "contact-line-label",
          });
        }
        contact.addTo(map);
        legend.item("contact", '<svg width="22" height="10"><path d="M1 5h20" stroke="#c0182b" stroke-width="3" stroke-dasharray="6 3" fill="none"/></svg>', feature.properties.label);
        element.dataset.contactLineReady = "1";
        declutter();
      });
    }

    // A deployment's tile source is on by default; the offline layers stay beneath it.
    var tiles = null;
    if (d.pmtiles && window.pmtiles && pmtiles.leafletRasterLayer) {
      tiles = pmtiles.leafletRasterLayer(new pmtiles.PMTiles(d.pmtiles), {
        attribution: d.tilesAttribution || "", maxZoom: parseInt(d.tilesMaxZoom || "18", 10),
        pmIgnore: true,
      });
    } else if (d.tiles) {
      tiles = L.tileLayer(d.tiles, {
        attribution: d.tilesAttribution || "", maxZoom: parseInt(d.tilesMaxZoom || "18", 10),
        pmIgnore: true,
      });
    }
    var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18, attribution: "&copy; OpenStreetMap contributors", pmIgnore: true,
    });
    // Tiles replace the offline land fill and water (their own are finer); boundaries, places
    // and the contact line stay on top. Without tiles the offline layers come back.
    var tileOn = function () {
      offline.fill = false; countries.setStyle(countries.options.style);
      if (map.hasLayer(water)) { map.removeLayer(water); }
      element.classList.add("map-tiles-on");
    };
    var tileOff = function () {
      if (tiles && map.hasLayer(tiles) || map.hasLayer(osm)) { return; }
      offline.fill = true; countries.setStyle(countries.options.style);
      if (!map.hasLayer(water)) { water.addTo(map); water.bringToBack(); countries.bringToBack(); }
      element.classList.remove("map-tiles-on");
    };
    [tiles, osm].forEach(function (layer) {
      if (!layer) { return; }
      layer.on("add", tileOn);
      layer.on("remove", function () { window.setTimeout(tileOff, 0); });
    });
    var overlays = {};
    overlays[d.labelPlaces || "Places"] = places;
    overlays[d.labelRivers || "Rivers and water"] = water;
    overlays[d.labelAdmin1 || "Oblast boundaries"] = admin1;
    if (d.contactLine) { overlays[d.labelContactLine || "Contact line"] = contact; }
    if (tiles) {
      overlays[d.labelTilesConfigured || "Map tiles"] = tiles;
      tiles.addTo(map);
      element.dataset.tilesOn = "1";
    } else {
      overlays[d.labelTiles || "OpenStreetMap (online)"] = osm;
    }
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  // A ring approximating a circle of radius r metres around [lon, lat], counter-clockwise.
  function circleRing(lon, lat, r, steps) {
    var ring = [];
    var k = Math.cos(lat * Math.PI / 180);
    for (var i = 0; i <= steps; i++) {
      var a = 2 * Math.PI * i / steps;
      ring.push([lat + (r * Math.sin(a) / EARTH_RADIUS_M) * 180 / Math.PI,
        lon + (r * Math.cos(a) / (EARTH_RADIUS_M * k)) * 180 / Math.PI]);
    }
    return ring;
  }

  function signedArea(ring) {
    var s = 0;
    for (var i = 0; i < ring.length - 1; i++) {
      s += ring[i][1] * ring[i + 1][0] - ring[i + 1][1] * ring[i][0];
    }
    return s / 2;
  }

  // The corridor as rings (one per segment and per vertex) drawn with the nonzero fill rule, so
  // overlapping rings render as their union: every point within half the width of the line.
  function corridorRings(lines, halfWidth) {
    var rings = [];
    lines.forEach(function (coords) {
      coords.forEach(function (c) { rings.push(circleRing(c[0], c[1], halfWidth, 24)); });
      for (var i = 0; i < coords.length - 1; i++) {
        var a = coords[i], b = coords[i + 1];
        var k = Math.cos(((a[1] + b[1]) / 2) * Math.PI / 180);
        var dx = (b[0] - a[0]) * k, dy = b[1] - a[1];
        var len = Math.sqrt(dx * dx + dy * dy);
        if (len === 0) { continue; }
        var off = (halfWidth / EARTH_RADIUS_M) * 180 / Math.PI;
        var ox = (-dy / len) * off / k, oy = (dx / len) * off;
        var ring = [[a[1] + oy, a[0] + ox], [b[1] + oy, b[0] + ox], [b[1] - oy, b[0] - ox],
          [a[1] - oy, a[0] - ox], [a[1] + oy, a[0] + ox]];
        rings.push(ring);
      }
    });
    return rings.map(function (ring) { return signedArea(ring) < 0 ? ring.reverse() : ring; });
  }

  function areaLayer(feature, style) {
    var g = feature.geometry, p = feature.properties || {};
    var half = (p.width_m || 0) / 2;
    var group = L.featureGroup();
    var opts = Object.assign({ pmIgnore: true }, style);
    if (g.type === "Polygon" || g.type === "MultiPolygon") {
      group.addLayer(L.geoJSON(feature, { style: function () { return opts; }, pmIgnore: true }));
    } else if (g.type === "LineString" || g.type === "MultiLineString") {
      var lines = g.type === "LineString" ? [g.coordinates] : g.coordinates;
      if (half > 0) {
        group.addLayer(L.polygon(corridorRings(lines, half),
          Object.assign({}, opts, { stroke: false, fillRule: "nonzero" })));
      }
      lines.forEach(function (line) {
        group.addLayer(L.polyline(line.map(function (c) { return [c[1], c[0]]; }),
          Object.assign({}, opts, { weight: 2, dashArray: "6 4", fill: false })));
      });
    } else if (g.type === "Point" || g.type === "MultiPoint") {
      var points = g.type === "Point" ? [g.coordinates] : g.coordinates;
      // A report's precision circle wider than the cap is drawn at the cap, dashed and faded,
      // so that a ±25 km position does not cover the map; its popup gives the true figure.
      var report = p.precision_m !== undefined;
      var capped = report && half > PRECISION_CAP_M;
      points.forEach(function (c) {
        var circle = Object.assign({}, opts, { radius: capped ? PRECISION_CAP_M : (half || 1) });
        if (report) {
          // A report's circle says "somewhere in here": faded, never hiding what is beneath.
          Object.assign(circle, { opacity: 0.7, fillOpacity: 0.08, weight: 1 });
        }
        if (capped) {
          Object.assign(circle, { dashArray: "4 5", opacity: 0.6, fillOpacity: 0.04, weight: 1.5,
            className: "precision-capped" });
        }
        group.addLayer(L.circle([c[1], c[0]], circle));
      });
    }
    // Sites and hazards carry a symbol (at a point, a line's middle vertex, or a polygon's
    // centre) that stays readable at every zoom; hazards above sites.
    if ((p.mark === "site" || p.mark === "hazard") && group.getLayers().length) {
      var anchor = null;
      if (g.type === "Point") {
        anchor = [g.coordinates[1], g.coordinates[0]];
      } else if (g.type === "LineString") {
        var mid = g.coordinates[Math.floor((g.coordinates.length - 1) / 2)];
        anchor = [mid[1], mid[0]];
      } else {
        anchor = group.getBounds().getCenter();
      }
      group.addLayer(L.marker(anchor, { icon: svgIcon(p.mark), pmIgnore: true, keyboard: false,
        title: p.title || "", zIndexOffset: p.mark === "hazard" ? 1000 : 0 }));
    }
    return group;
  }

  function distanceText(metres, element) {
    var d = element ? element.dataset : {};
    return metres >= 1000
      ? (Math.round(metres / 100) / 10).toLocaleString(d.lang || "en") + "\u00a0" + (d.labelKm || "km")
      : Math.round(metres).toLocaleString(d.lang || "en") + "\u00a0" + (d.labelM || "m");
  }

  function showAreas(map, collection, fit) {
    var layers = L.featureGroup().addTo(map);
    var element = map.getContainer();
    var d = element.dataset;
    var legend = map.parleyLegend;
    (collection.features || []).forEach(function (feature) {
      var p = feature.properties || {};
      var colour = PHASE_COLOURS[p.phase] || PHASE_COLOURS.agreed;
      var layer = areaLayer(feature, { color: colour, fillColor: colour, fillOpacity: 0.3, weight: 2 });
      if (legend) {
        if (p.mark === "site") {
          legend.item("site", svgIcon("site").options.html, d.labelSite);
        } else if (p.mark === "hazard") {
          legend.item("hazard", svgIcon("hazard").options.html, d.labelHazard);
        } else if (p.precision_m !== undefined) {
          legend.item("precision", '<svg width="22" height="14"><circle cx="11" cy="7" r="6" stroke="#8a8f98" stroke-dasharray="2 2" fill="#8a8f98" fill-opacity=".1"/></svg>',
            (d.labelPrecision || "Reported position, within ±%(distance)s").replace("%(distance)s", distanceText(PRECISION_CAP_M, element)));
        } else if (feature.geometry && /Polygon|LineString/.test(feature.geometry.type)) {
          legend.item("area", '<svg width="22" height="14"><rect x="1" y="2" width="20" height="10" fill="#1f5fa8" fill-opacity=".3" stroke="#1f5fa8" stroke-width="2"/></svg>', d.labelArea);
        }
      }
      if (p.title) {
        var html = document.createElement("div");
        var link = document.createElement(p.url ? "a" : "strong");
        if (p.url) { link.href = p.url; }
        link.textContent = (p.agreement ? p.agreement + " · " : "") + p.title;
        html.appendChild(link);
        if (p.phase_label) {
          var phase = document.createElement("div");
          phase.textContent = p.phase_label + (feature.id ? " · " + feature.id : "");
          html.appendChild(phase);
        }
        if (p.precision_m !== undefined && p.precision_m > 0) {
          var precision = document.createElement("div");
          precision.className = "popup-precision";
          precision.textContent = (d.labelPrecisionPopup || "Position within ±%(distance)s")
            .replace("%(distance)s", distanceText(p.precision_m, element));
          html.appendChild(precision);
        }
        layer.bindPopup(html);
      }
      layers.addLayer(layer);
    });
    if (fit && layers.getLayers().length) {
      map.fitBounds(layers.getBounds(), { padding: [20, 20], maxZoom: 11 });
    }
    return layers;
  }

  // ---- keyboard use of the drawing tools ---------------------------------------------------
  // Geoman's tool buttons are links with role=button whose name sits on a wrapping div's title:
  // each gets that name, Space activates it as Enter does, and the toolbar is a named group that
  // points to the GeoJSON field (the keyboard way to enter a shape). Idempotent: Geoman rebuilds
  // its toolbar when its language changes, so this runs again after that.
  function keyboardTools(map, element) {
    var container = map.getContainer();
    container.querySelectorAll(".leaflet-pm-toolbar").forEach(function (bar) {
      bar.setAttribute("role", "group");
      if (element.dataset.labelTools) { bar.setAttribute("aria-label", element.dataset.labelTools); }
      if (element.dataset.keyboardHelp) { bar.setAttribute("aria-describedby", element.dataset.keyboardHelp); }
    });
    container.querySelectorAll(".leaflet-pm-toolbar .button-container").forEach(function (box) {
      var button = box.querySelector(".leaflet-buttons-control-button");
      if (!button) { return; }
      var name = box.getAttribute("title") || button.getAttribute("title") || "";
      if (name) { button.setAttribute("aria-label", name); }
      if (!button.dataset.keys) {
        button.dataset.keys = "1";
        button.addEventListener("keydown", function (event) {
          if (event.key === " " || event.key === "Spacebar") { event.preventDefault(); button.click(); }
        });
      }
      box.querySelectorAll(".leaflet-pm-action").forEach(function (action) {
        if (!action.getAttribute("aria-label") && action.textContent) {
          action.setAttribute("aria-label", action.textContent.trim());
        }
      });
    });
    // Leaflet's zoom buttons are named in English; the page gives the reader's language.
    var zoomIn = container.querySelector(".leaflet-control-zoom-in");
    var zoomOut = container.querySelector(".leaflet-control-zoom-out");
    if (zoomIn && element.dataset.labelZoomIn) {
      zoomIn.setAttribute("aria-label", element.dataset.labelZoomIn);
      zoomIn.title = element.dataset.labelZoomIn;
    }
    if (zoomOut && element.dataset.labelZoomOut) {
      zoomOut.setAttribute("aria-label", element.dataset.labelZoomOut);
      zoomOut.title = element.dataset.labelZoomOut;
    }
  }

  // ---- the editors -------------------------------------------------------------------------
  // One editor for three kinds of shape (data-tools): a movement's route (one line), a hazard
  // (one point, line or area) and an agreement's areas (polygons, rectangles, corridors as
  // lines with a width, circles). Beneath what is edited it draws, neither editable nor in the
  // way of drawing, what the page gives in data-context: {"areas": FeatureCollection drawn with
  // showAreas, "findings": [{number, lon, lat, severity, title, text, where}]}.
  var TOOLSETS = {
    route: ["drawPolyline"],
    hazard: ["drawCircleMarker", "drawPolyline", "drawPolygon", "drawRectangle"],
    areas: ["drawPolygon", "drawRectangle", "drawPolyline", "drawCircle"],
  };
  var DRAW_TOOLS = ["drawMarker", "drawCircleMarker", "drawPolyline", "drawRectangle", "drawPolygon",
    "drawCircle", "drawText"];
  var GEOMETRY_TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];
  var FINDING_COLOURS = { blocking: "#a8261f", warning: "#c98a00", info: "#1f5fa8" };

  function toolOptions(kind) {
    var options = { position: "topleft", cutPolygon: false, rotateMode: false, dragMode: true,
      editMode: true, removalMode: true };
    var wanted = TOOLSETS[kind] || TOOLSETS.areas;
    DRAW_TOOLS.forEach(function (tool) { options[tool] = wanted.indexOf(tool) >= 0; });
    return options;
  }

  // What a person pastes or uploads, as the FeatureCollection the field stores: a Feature, a
  // FeatureCollection, a GeometryCollection or a bare geometry; null when it is none of them.
  function asCollection(value) {
    if (!value || typeof value !== "object") { return null; }
    var wrap = function (geometry) { return { type: "Feature", geometry: geometry, properties: {} }; };
    if (value.type === "FeatureCollection") { return Array.isArray(value.features) ? value : null; }
    if (value.type === "Feature") {
      return value.geometry ? { type: "FeatureCollection", features: [value] } : null;
    }
    if (value.type === "GeometryCollection" && Array.isArray(value.geometries)) {
      return { type: "FeatureCollection", features: value.geometries.map(wrap) };
    }
    if (GEOMETRY_TYPES.indexOf(value.type) >= 0 && Array.isArray(value.coordinates)) {
      return { type: "FeatureCollection", features: [wrap(value)] };
    }
    return null;
  }

  function lengthM(latlngs) {
    var total = 0;
    for (var i = 0; i < latlngs.length - 1; i++) { total += latlngs[i].distanceTo(latlngs[i + 1]); }
    return total;
  }

  function editorWords(element) {
    var d = element.dataset, lang = d.lang || "en";
    var number = function (value, digits) {
      try {
        return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
      } catch (e) { return String(Math.round(value * 100) / 100); }
    };
    var words = {
      number: number,
      distance: function (metres) {
        return metres >= 1000 ? number(metres / 1000, metres >= 100000 ? 0 : 2) + " " + (d.wordKm || "km")
          : number(metres, 0) + " " + (d.wordM || "m");
      },
      place: function (lat, lon) {
        var fmt = function (v) {
          try {
            return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(Math.abs(v));
          } catch (e) { return Math.abs(v).toFixed(4); }
        };
        return fmt(lat) + "° " + (lat >= 0 ? d.wordNorth || "N" : d.wordSouth || "S") + " "
          + fmt(lon) + "° " + (lon >= 0 ? d.wordEast || "E" : d.wordWest || "W");
      },
    };
    ["route", "circle", "corridor", "polygon", "line", "point", "centre", "radius", "width", "length",
      "finding", "notGeojson"].forEach(function (key) {
      words[key] = d["word" + key.charAt(0).toUpperCase() + key.slice(1)] || key;
    });
    return words;
  }

  // One line in words per drawn shape: "A3 · circle · centre 47.12° N 35.40° E · radius 15 km".
  function describeShape(layer, kind, words) {
    var id = layer.feature && layer.feature.id;
    var props = (layer.feature && layer.feature.properties) || {};
    var parts = kind === "areas" && id ? [id] : [];
    if (layer instanceof L.Circle) {
      var c = layer.getLatLng();
      parts.push(words.circle, words.centre + " " + words.place(c.lat, c.lng),
        words.radius + " " + words.distance(layer.getRadius()));
    } else if (layer instanceof L.CircleMarker || layer instanceof L.Marker) {
      var p = layer.getLatLng();
      parts.push(words.point, words.place(p.lat, p.lng));
    } else if (layer instanceof L.Polygon) {
      parts.push(words.polygon);
    } else if (layer instanceof L.Polyline) {
      var lines = layer.getLatLngs();
      lines = lines.length && !(lines[0] instanceof L.LatLng) ? lines : [lines];
      var metres = lines.reduce(function (sum, line) { return sum + lengthM(line); }, 0);
      parts.push(kind === "route" ? words.route : kind === "areas" ? words.corridor : words.line,
        words.length + " " + words.distance(metres));
      if (kind === "areas" && props.width_m) { parts.push(words.width + " " + words.distance(props.width_m)); }
    }
    return parts.join(" · ");
  }

  // The findings of the last check, each a numbered marker on the route with its words.
  function findingMarkers(map, findings, words) {
    // Their own pane, above the shapes (overlays are at 400) and below the editor's vertices.
    if (!map.getPane("findings")) { map.createPane("findings").style.zIndex = 450; }
    var group = L.featureGroup();
    (findings || []).forEach(function (finding) {
      var colour = FINDING_COLOURS[finding.severity] || FINDING_COLOURS.warning;
      var marker = L.circleMarker([finding.lat, finding.lon], {
        radius: 10, color: colour, weight: 3, fillColor: "#fff", fillOpacity: 0.95, pmIgnore: true,
        className: "map-finding", pane: "findings",
      });
      var box = document.createElement("div");
      var head = document.createElement("strong");
      head.textContent = words.finding + " " + finding.number + ": " + finding.title;
      box.appendChild(head);
      [finding.text, finding.where].forEach(function (text) {
        if (!text) { return; }
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      });
      marker.bindPopup(box);
      marker.bindTooltip(String(finding.number), {
        permanent: true, direction: "center", className: "finding-label finding-label-" + finding.severity,
      });
      group.addLayer(marker);
    });
    group.addTo(map);
    group.eachLayer(function (marker) {
      var path = marker.getElement && marker.getElement();
      if (path) { path.setAttribute("data-finding", marker.getTooltip().getContent()); }
    });
    return group;
  }

  function markContext(group) {
    (function visit(layer) {
      if (layer.eachLayer) { layer.eachLayer(visit); return; }
      var path = layer.getElement && layer.getElement();
      if (path) { L.DomUtil.addClass(path, "map-context"); }
    })(group);
  }

  function editor(map, element) {
    var kind = TOOLSETS[element.dataset.tools] ? element.dataset.tools : "areas";
    var single = kind !== "areas";  // a route is one line, a hazard one shape
    var textarea = document.querySelector(element.dataset.editor);
    var widthInput = document.querySelector(element.dataset.widthInput);
    var shapesList = document.querySelector(element.dataset.shapes || "#no-shapes");
    var nothing = shapesList ? shapesList.textContent.trim() : "";
    var words = editorWords(element);
    var context = readJsonScript(element.dataset.context) || {};
    if (context.type === "FeatureCollection") { context = { areas: context }; }
    var contextSelect = document.querySelector(element.dataset.contextSelect || "#no-select");
    var contextLayers = null, findingLayers = null;
    var drawn = L.featureGroup().addTo(map);
    var preview = L.featureGroup().addTo(map);
    var counter = 0;
    var problem = "";

    // Escape leaves the drawing (or editing) mode, Enter finishes the shape being drawn.
    map.pm.setGlobalOptions({ layerGroup: drawn, exitModeOnEscape: true, finishOnEnter: true });
    map.pm.addControls(toolOptions(kind));
    if (element.dataset.lang && map.pm.setLang) {
      try { map.pm.setLang(element.dataset.lang === "uk" ? "ua" : element.dataset.lang); } catch (e) { /* English stays */ }
    }
    keyboardTools(map, element);
    // While a shape is drawn, what lies beneath takes no clicks (its popups would get in the way).
    map.on("pm:drawstart", function () { element.classList.add("drawing"); });
    map.on("pm:drawend", function () { element.classList.remove("drawing"); });

    function corridorWidth() {
      var value = widthInput ? parseFloat(widthInput.value) : NaN;
      return value > 0 ? value : 2000;
    }

    function nextId() {
      var used = {};
      drawn.eachLayer(function (l) { if (l.feature && l.feature.id) { used[l.feature.id] = true; } });
      do { counter += 1; } while (used["A" + counter]);
      return "A" + counter;
    }

    function toFeature(layer) {
      var base = layer.feature || {};
      var props = Object.assign({}, base.properties || {});
      var feature = layer.toGeoJSON();
      if (layer instanceof L.Circle) {
        props.width_m = Math.round(layer.getRadius() * 2);
      } else if (layer instanceof L.CircleMarker || layer instanceof L.Polygon) {
        delete props.width_m;
      } else if (kind === "areas") {
        props.width_m = props.width_m || corridorWidth();
      }
      var out = { type: "Feature", geometry: feature.geometry, properties: props };
      if (kind === "areas" || base.id) { out.id = base.id || nextId(); }
      return out;
    }

    function listShapes() {
      if (!shapesList) { return; }
      shapesList.textContent = "";
      var add = function (text, cls) {
        var item = document.createElement("li");
        item.textContent = text;
        if (cls) { item.className = cls; }
        shapesList.appendChild(item);
      };
      drawn.eachLayer(function (layer) { add(describeShape(layer, kind, words)); });
      if (problem) { add(problem, "errorlist"); }
      if (!shapesList.children.length) { add(nothing, "muted"); }
    }

    // Lines of areas are edited as centre lines; the preview shows the corridor they stand for.
    function redrawPreview(collection) {
      preview.clearLayers();
      if (kind !== "areas") { return; }
      collection.features.forEach(function (f) {
        if (f && f.geometry && /LineString$/.test(f.geometry.type)) {
          preview.addLayer(areaLayer(f, {
            color: "#1f5fa8", fillColor: "#1f5fa8", fillOpacity: 0.2, weight: 1, interactive: false,
          }));
        }
      });
    }

    function serialise() {
      var features = [];
      drawn.eachLayer(function (layer) {
        var f = toFeature(layer);
        layer.feature = { type: "Feature", id: f.id, properties: f.properties };
        features.push(f);
      });
      var collection = { type: "FeatureCollection", features: features };
      textarea.value = features.length ? JSON.stringify(collection, null, 1) : "";
      problem = "";
      redrawPreview(collection);
      listShapes();
    }

    function layerOf(f) {
      var g = f.geometry, props = f.properties || {};
      var flip = function (c) { return [c[1], c[0]]; };
      if (g.type === "Point") {
        return kind === "hazard" ? L.circleMarker(flip(g.coordinates), { radius: 8 })
          : L.circle(flip(g.coordinates), { radius: (props.width_m || 1000) / 2 });
      }
      if (g.type === "LineString") { return L.polyline(g.coordinates.map(flip)); }
      if (g.type === "MultiLineString") {
        // A route given as one line in a MultiLineString (some GPS tools) is that line.
        return g.coordinates.length === 1 ? L.polyline(g.coordinates[0].map(flip))
          : L.polyline(g.coordinates.map(function (line) { return line.map(flip); }));
      }
      if (g.type === "Polygon") {
        return L.polygon(g.coordinates.map(function (ring) { return ring.map(flip); }));
      }
      if (g.type === "MultiPolygon") {
        return L.polygon(g.coordinates.map(function (poly) {
          return poly.map(function (ring) { return ring.map(flip); });
        }));
      }
      return L.geoJSON(f).getLayers()[0] || null;
    }

    // Draws what the field holds. `rewrite`: what was pasted or uploaded in another form of
    // GeoJSON than the stored one is written back as the FeatureCollection the field stores.
    function load(fit, rewrite) {
      var text = textarea.value.trim(), parsed;
      problem = "";
      if (!text) { drawn.clearLayers(); preview.clearLayers(); listShapes(); return; }
      try { parsed = JSON.parse(text); } catch (e) { return; }  // being typed; the server names the error
      var collection = asCollection(parsed);
      if (!collection) { problem = words.notGeojson; listShapes(); return; }
      drawn.clearLayers();
      collection.features.forEach(function (f) {
        if (!f || !f.geometry || !Array.isArray(f.geometry.coordinates)) { return; }
        var layer = null;
        try { layer = layerOf(f); } catch (e) { layer = null; }
        if (layer) {
          layer.feature = { type: "Feature", id: f.id, properties: Object.assign({}, f.properties || {}) };
          layer.setStyle && layer.setStyle({ color: "#1f5fa8", weight: 3 });
          drawn.addLayer(layer);
        }
      });
      var converted = collection !== parsed || (kind === "route" && collection.features.some(function (f) {
        return f && f.geometry && f.geometry.type === "MultiLineString" && f.geometry.coordinates.length === 1;
      }));
      if (rewrite && converted && drawn.getLayers().length) {
        serialise();
      } else {
        redrawPreview(collection);
        listShapes();
      }
      if (fit && drawn.getLayers().length) {
        map.fitBounds(drawn.getBounds(), { padding: [20, 20], maxZoom: 11 });
      }
    }

    // What lies beneath: the agreement's areas (those of the agreement chosen in
    // data-context-select, when the page has one), sites and hazards; then the findings.
    function drawContext(fit) {
      if (contextLayers) { map.removeLayer(contextLayers); }
      var chosen = contextSelect ? contextSelect.value : null;
      var features = ((context.areas && context.areas.features) || []).filter(function (f) {
        var code = f.properties && f.properties.agreement;
        return !chosen || !code || code === chosen;
      });
      contextLayers = showAreas(map, { type: "FeatureCollection", features: features }, false);
      markContext(contextLayers);
      var areas = features.filter(function (f) { return f.properties && f.properties.agreement; });
      if (fit && areas.length) {
        map.fitBounds(L.geoJSON({ type: "FeatureCollection", features: areas }).getBounds(),
          { padding: [20, 20], maxZoom: 11 });
      }
      drawn.eachLayer(function (layer) { if (layer.bringToFront) { layer.bringToFront(); } });
    }

    map.on("pm:create", function (event) {
      if (single) {
        drawn.eachLayer(function (layer) { if (layer !== event.layer) { drawn.removeLayer(layer); } });
      }
      event.layer.feature = { type: "Feature", id: kind === "areas" ? nextId() : undefined, properties: {} };
      serialise();
    });
    map.on("pm:remove", serialise);
    drawn.on("layeradd", function (event) {
      event.layer.on("pm:edit pm:dragend", serialise);
      var path = event.layer.getElement && event.layer.getElement();
      if (path) { L.DomUtil.addClass(path, "map-drawn"); }
    });

    var timer = null;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { load(true, true); }, 300);
    });
    var upload = document.querySelector(element.dataset.upload || "#no-upload");
    if (upload) {
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        if (!file) { return; }
        file.text().then(function (text) {
          textarea.value = text;
          load(true, true);
        });
      });
    }
    if (widthInput) {
      widthInput.addEventListener("change", function () {
        drawn.eachLayer(function (layer) {
          if (layer.feature && !(layer instanceof L.Polygon) && !(layer instanceof L.CircleMarker)) {
            layer.feature.properties.width_m = corridorWidth();
          }
        });
        serialise();
      });
    }
    if (element.dataset.circleForm) { circleEntry(element, drawn, nextId, serialise, map); }

    drawContext(false);
    findingLayers = context.findings && context.findings.length ? findingMarkers(map, context.findings, words) : null;
    load(true, true);
    if (!drawn.getLayers().length) { drawContext(true); }
    if (contextSelect) {
      contextSelect.addEventListener("change", function () { drawContext(!drawn.getLayers().length); });
    }
  }

  // A circle entered as centre and radius (an area editor): it is added as if drawn, stored as
  // a Point whose width_m is the diameter (docs/formats.md §2).
  function circleEntry(element, drawn, nextId, serialise, map) {
    var box = document.querySelector(element.dataset.circleForm);
    if (!box) { return; }
    var field = function (name) { return box.querySelector("[data-circle=" + name + "]"); };
    var error = box.querySelector("[data-circle-error]");
    var read = function (name) {
      var text = (field(name).value || "").trim().replace(",", ".");
      return /^[-+]?\d+(\.\d+)?$/.test(text) ? parseFloat(text) : NaN;
    };
    box.querySelector("[data-circle-add]").addEventListener("click", function () {
      var lat = read("lat"), lon = read("lon"), radius = read("radius");
      var problems = [];
      if (!(lat >= -90 && lat <= 90)) { problems.push(["lat", box.dataset.errorLat]); }
      if (!(lon >= -180 && lon <= 180)) { problems.push(["lon", box.dataset.errorLon]); }
      if (!(radius > 0)) { problems.push(["radius", box.dataset.errorRadius]); }
      ["lat", "lon", "radius"].forEach(function (name) { field(name).removeAttribute("aria-invalid"); });
      if (problems.length) {
        problems.forEach(function (p) { field(p[0]).setAttribute("aria-invalid", "true"); });
        error.textContent = problems.map(function (p) { return p[1]; }).join(" ");
        error.hidden = false;
        field(problems[0][0]).focus();
        return;
      }
      error.hidden = true;
      error.textContent = "";
      var circle = L.circle([lat, lon], { radius: radius * 1000, color: "#1f5fa8", weight: 3 });
      circle.feature = { type: "Feature", id: nextId(), properties: {} };
      drawn.addLayer(circle);
      serialise();
      map.fitBounds(circle.getBounds(), { padding: [20, 20], maxZoom: 11 });
      ["lat", "lon", "radius"].forEach(function (name) { field(name).value = ""; });
    });
  }

  // ---- the agreements index's "area on a map" --------------------------------------------
  // Two buttons: keep the agreements in the map's view, or draw a rectangle; either writes
  // west,south,east,north into the filter form's bbox field and submits the form.
  function bboxFilter(map, element, areas) {
    var input = document.querySelector(element.dataset.bboxInput);
    if (!input) { return; }
    var d = element.dataset;
    var round = function (v) { return Math.round(v * 1e4) / 1e4; };
    var submit = function (bounds) {
      var sw = bounds.getSouthWest(), ne = bounds.getNorthEast();
      input.value = [round(Math.max(sw.lng, -180)), round(Math.max(sw.lat, -90)),
        round(Math.min(ne.lng, 180)), round(Math.min(ne.lat, 90))].join(",");
      if (input.form) {
        if (input.form.requestSubmit) { input.form.requestSubmit(); } else { input.form.submit(); }
      }
    };
    var current = (d.bbox || "").split(",").map(parseFloat);
    var shown = null;
    if (current.length === 4 && current.every(isFinite)) {
      shown = L.rectangle([[current[1], current[0]], [current[3], current[2]]], {
        color: "#3b3f45", weight: 2, dashArray: "6 4", fill: false, pmIgnore: true,
        interactive: false, className: "bbox-current",
      }).addTo(map);
    }
    var refit = function () {
      if (shown) {
        map.fitBounds(shown.getBounds(), { padding: [10, 10] });
      } else if (areas && areas.getLayers().length) {
        map.fitBounds(areas.getBounds(), { padding: [20, 20], maxZoom: 11 });
      }
    };
    refit();
    // Inside a closed <details> the map has no size until it is opened.
    var box = element.closest("details");
    if (box) {
      box.addEventListener("toggle", function () {
        if (box.open) { map.invalidateSize(); refit(); }
      });
    }
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "map-bbox-buttons");
      L.DomEvent.disableClickPropagation(bar);
      var inView = L.DomUtil.create("button", "map-bbox-view", bar);
      inView.type = "button";
      inView.textContent = d.labelInView || "Agreements in this view";
      L.DomEvent.on(inView, "click", function () { submit(map.getBounds()); });
      if (map.pm) {
        var draw = L.DomUtil.create("button", "map-bbox-draw", bar);
        draw.type = "button";
        draw.textContent = d.labelDrawBox || "Draw a rectangle";
        L.DomEvent.on(draw, "click", function () {
          map.pm.enableDraw("Rectangle", { snappable: false });
        });
        map.on("pm:create", function (event) {
          if (event.shape !== "Rectangle") { return; }
          var bounds = event.layer.getBounds();
          map.removeLayer(event.layer);
          submit(bounds);
        });
      }
      return bar;
    };
    control.addTo(map);
  }

  function init(root) {
    root.querySelectorAll("[data-map]").forEach(function (element) {
      if (element.dataset.ready) { return; }
      element.dataset.ready = "1";
      var map = baseMap(element);
      keyboardTools(map, element);
      if (element.dataset.editor) {
        editor(map, element);
        return;
      }
      var collection = readJsonScript(element.dataset.areas);
      var shownAreas = collection ? showAreas(map, collection, !element.dataset.bboxInput) : null;
      if (element.dataset.bboxInput) { bboxFilter(map, element, shownAreas); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
