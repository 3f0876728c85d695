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

  function baseMap(element) {
    var map = L.map(element, { zoomSnap: 0.5, preferCanvas: false, worldCopyJump: true })
      .setView(DEFAULT_VIEW.center, DEFAULT_VIEW.zoom);
    map.attributionControl.setPrefix(false);
    var lang = element.dataset.lang || "en";
    var countries = L.geoJSON(null, {
      interactive: false, pmIgnore: true,
      style: function (f) {
        return f.properties.disputed
          ? { color: "#6d7480", weight: 1, dashArray: "4 4", fillColor: "#efe9dc", fillOpacity: 1 }
          : { color: "#8d96a3", weight: 1, fillColor: "#f3f1ea", fillOpacity: 1 };
      },
    }).addTo(map);
    var places = L.layerGroup().addTo(map);
    map.attributionControl.addAttribution(element.dataset.attribution || "Natural Earth");
    fetchJson(element.dataset.basemap).then(function (data) {
      countries.addData(data);
      countries.bringToBack();
    });
    fetchJson(element.dataset.places).then(function (data) {
      data.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var kind = f.properties.kind;
        L.circleMarker(ll, {
          radius: kind === "capital" ? 5 : kind === "city" ? 4 : 3, weight: 1, color: "#263340",
          fillColor: kind === "site" ? "#f0c419" : "#fff", fillOpacity: 1, pmIgnore: true,
        }).bindTooltip(f.properties["name_" + lang] || f.properties.name_en, {
          permanent: true, direction: "right", className: "place-label place-" + kind,
          offset: [4, 0],
        }).addTo(places);
      });
    });
    // Town labels crowd each other below zoom 8; cities and sites stay.
    var sparse = function () {
      element.classList.toggle("labels-sparse", map.getZoom() < 8);
    };
    map.on("zoomend", sparse);
    sparse();
    var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18, attribution: "&copy; OpenStreetMap contributors", pmIgnore: true,
    });
    var overlays = {};
    overlays[element.dataset.labelPlaces || "Places"] = places;
    overlays[element.dataset.labelTiles || "OpenStreetMap (online)"] = osm;
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
      points.forEach(function (c) {
        group.addLayer(L.circle([c[1], c[0]], Object.assign({}, opts, { radius: half || 1 })));
      });
    }
    return group;
  }

  function showAreas(map, collection, fit) {
    var layers = L.featureGroup().addTo(map);
    (collection.features || []).forEach(function (feature) {
      var p = feature.properties || {};
      var colour = PHASE_COLOURS[p.phase] || PHASE_COLOURS.agreed;
      var layer = areaLayer(feature, { color: colour, fillColor: colour, fillOpacity: 0.3, weight: 2 });
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

  // ---- the area editor -------------------------------------------------------------------
  function editor(map, element) {
    var textarea = document.querySelector(element.dataset.editor);
    var widthInput = document.querySelector(element.dataset.widthInput);
    var drawn = L.featureGroup().addTo(map);
    var preview = L.featureGroup().addTo(map);
    var counter = 0;

    // Escape leaves the drawing (or editing) mode, Enter finishes the shape being drawn.
    map.pm.setGlobalOptions({ layerGroup: drawn, exitModeOnEscape: true, finishOnEnter: true });
    map.pm.addControls({
      position: "topleft", drawMarker: false, drawCircleMarker: false, drawText: false,
      cutPolygon: false, rotateMode: false, dragMode: true,
    });
    if (element.dataset.lang && map.pm.setLang) {
      try { map.pm.setLang(element.dataset.lang === "uk" ? "ua" : element.dataset.lang); } catch (e) { /* English stays */ }
    }
    keyboardTools(map, element);

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
      var feature;
      if (layer instanceof L.Circle) {
        feature = layer.toGeoJSON();
        props.width_m = Math.round(layer.getRadius() * 2);
      } else if (layer instanceof L.Polygon) {
        feature = layer.toGeoJSON();
        delete props.width_m;
      } else {
        feature = layer.toGeoJSON();
        props.width_m = props.width_m || corridorWidth();
      }
      return { type: "Feature", id: base.id || nextId(), geometry: feature.geometry, properties: props };
    }

    // Lines are edited as centre lines; the preview shows the corridor they stand for.
    function redrawPreview(collection) {
      preview.clearLayers();
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
      redrawPreview(collection);
    }

    function load(fit) {
      var collection;
      try { collection = JSON.parse(textarea.value); } catch (e) { return; }
      if (!collection || !Array.isArray(collection.features)) { return; }
      drawn.clearLayers();
      collection.features.forEach(function (f) {
        if (!f || !f.geometry) { return; }
        var g = f.geometry, layer = null;
        var meta = { type: "Feature", id: f.id, properties: f.properties || {} };
        if (g.type === "Point") {
          layer = L.circle([g.coordinates[1], g.coordinates[0]], { radius: (meta.properties.width_m || 1000) / 2 });
        } else if (g.type === "LineString") {
          layer = L.polyline(g.coordinates.map(function (c) { return [c[1], c[0]]; }));
        } else if (g.type === "Polygon") {
          layer = L.polygon(g.coordinates.map(function (ring) {
            return ring.map(function (c) { return [c[1], c[0]]; });
          }));
        } else {
          layer = L.geoJSON(f).getLayers()[0] || null;
        }
        if (layer) {
          layer.feature = meta;
          layer.setStyle && layer.setStyle({ color: "#1f5fa8", weight: 2 });
          drawn.addLayer(layer);
        }
      });
      redrawPreview(collection);
      if (fit && drawn.getLayers().length) {
        map.fitBounds(drawn.getBounds(), { padding: [20, 20], maxZoom: 11 });
      }
    }

    map.on("pm:create", function (event) {
      event.layer.feature = { type: "Feature", id: nextId(), properties: {} };
      serialise();
    });
    map.on("pm:remove", serialise);
    drawn.on("layeradd", function (event) { event.layer.on("pm:edit pm:dragend", serialise); });

    var timer = null;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { load(true); }, 300);
    });
    var upload = document.querySelector(element.dataset.upload || "#no-upload");
    if (upload) {
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        if (!file) { return; }
        file.text().then(function (text) {
          textarea.value = text;
          load(true);
        });
      });
    }
    if (widthInput) {
      widthInput.addEventListener("change", function () {
        drawn.eachLayer(function (layer) {
          if (layer.feature && !(layer instanceof L.Polygon) && !(layer instanceof L.Circle)) {
            layer.feature.properties.width_m = corridorWidth();
          }
        });
        serialise();
      });
    }
    load(true);
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
      if (collection) { showAreas(map, collection, true); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
