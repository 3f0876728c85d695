// The import form: the file is sent with a progress bar, then the import's page opens and shows
// the worker's progress (htmx polling). Without script the form still posts.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-import]");
    if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-import-status]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          bar.hidden = false;
          bar.max = progress.total;
          bar.value = progress.loaded;
          status.textContent = form.dataset.sending;
        }
      });
      request.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        status.textContent = form.dataset.reading;
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      form.querySelector("button[type=submit]").disabled = true;
      request.send(new FormData(form));
    });
  });
})();
