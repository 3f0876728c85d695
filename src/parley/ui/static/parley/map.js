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
