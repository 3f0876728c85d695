// The report form: the map sets the position. map.js builds the map; an init hook of Leaflet
// (registered before any map exists) keeps a reference on its element, and a marker follows taps
// and the device's position (both write the latitude and longitude fields, which stay editable).
(function () {
  "use strict";

  if (!window.L) { return; }
  L.Map.addInitHook(function () { this.getContainer().parleyMap = this; });

  function setup() {
    var element = document.querySelector(".report-form [data-map]");
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var map = element && element.parleyMap;
    if (!map || !lat || !lon) { return; }
    var marker = null;
    function place(latlng, zoom) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      if (zoom) { map.setView(latlng, Math.max(map.getZoom(), 11)); }
    }
    // On the container, so that a tap inside an agreement's area (a layer with a popup) counts.
    map.getContainer().addEventListener("click", function (event) {
      if (event.target.closest(".leaflet-control, .leaflet-popup, .leaflet-marker-icon")) { return; }
      if (map.dragging && map.dragging.moved()) { return; }
      place(map.mouseEventToLatLng(event), false);
    });
    if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), true); }
    var locate = document.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          place(L.latLng(position.coords.latitude, position.coords.longitude), true);
        });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
