// The check-in page: fill longitude and latitude from the phone's position when asked. CSP
// forbids inline scripts, so the button declares its targets with data- attributes.
(function () {
  "use strict";

  function locate(button) {
    if (!navigator.geolocation) { window.alert(button.dataset.failed); return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      document.querySelector(button.dataset.lon).value = position.coords.longitude.toFixed(6);
      document.querySelector(button.dataset.lat).value = position.coords.latitude.toFixed(6);
    }, function () { window.alert(button.dataset.failed); },
    { enableHighAccuracy: true, timeout: 15000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-locate]").forEach(function (button) {
      button.addEventListener("click", function () { locate(button); });
    });
  });
})();
