// Parley's page behaviour. CSP forbids inline scripts, so pages declare behaviour with data-
// attributes and this file wires it up (also for fragments swapped in by htmx).
(function () {
  "use strict";

  function tickClocks() {
    document.querySelectorAll("[data-clocks] .clock").forEach(function (clock) {
      var format = new Intl.DateTimeFormat("en-GB", {
        hour: "2-digit", minute: "2-digit", hour12: false, timeZone: clock.dataset.zone,
      });
      clock.querySelector("time").textContent = format.format(new Date());
    });
  }

  function wire(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    root.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    root.querySelectorAll("[data-window-kind]").forEach(function (select) {
      var row = select.closest("[data-window-row]");
      var sync = function () {
        row.dataset.kind = select.value;
        row.querySelectorAll("[data-for]").forEach(function (part) {
          part.hidden = part.dataset.for.split(" ").indexOf(select.value) < 0;
        });
      };
      select.addEventListener("change", sync);
      sync();
    });
    // A list's "select all" box ticks or clears the boxes named by data-select-all in its form.
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
      box.addEventListener("change", function () {
        box.form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]')
          .forEach(function (item) { item.checked = box.checked; });
      });
    });
    root.querySelectorAll("[data-add-window]").forEach(function (button) {
      button.addEventListener("click", function () { addWindowRow(button); });
    });
  }

  function addWindowRow(button) {
    var formset = document.querySelector(button.dataset.addWindow);
    var total = formset.querySelector("input[name$='-TOTAL_FORMS']");
    var template = formset.querySelector("template");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    formset.querySelector("[data-window-rows]").appendChild(row);
    total.value = String(index + 1);
    wire(row);
  }

  document.addEventListener("DOMContentLoaded", function () {
    wire(document);
    tickClocks();
    window.setInterval(tickClocks, 15000);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { wire(event.target); }
  });
})();
