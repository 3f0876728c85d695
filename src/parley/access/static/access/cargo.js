// The cargo rows of the movement form, progressively enhanced: "Add a cargo row" copies the
// formset's empty row, "Remove" ticks the row's Remove box and hides it. Without JavaScript the
// form offers empty rows and the Remove boxes, and works the same.
(function () {
  "use strict";

  function renumber(box) {
    var number = 0;
    box.querySelectorAll("[data-cargo-row]").forEach(function (row) {
      if (row.hidden) { return; }
      number += 1;
      row.querySelector("[data-cargo-number]").textContent = String(number);
    });
  }

  function wireRow(box, row) {
    var tick = row.querySelector("[data-cargo-remove-box]");
    var button = row.querySelector("[data-cargo-remove]");
    if (!tick || !button) { return; }
    tick.hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      tick.querySelector("input").checked = true;
      row.hidden = true;
      renumber(box);
      var next = box.querySelector("[data-cargo-row]:not([hidden]) input");
      (next || box.querySelector("[data-cargo-add]")).focus();
    });
  }

  function init(box) {
    if (box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var total = box.querySelector("input[name$='-TOTAL_FORMS']");
    var template = box.querySelector("[data-cargo-template]");
    var body = box.querySelector("[data-cargo-body]");
    var add = box.querySelector("[data-cargo-add]");
    box.querySelectorAll("[data-cargo-row]").forEach(function (row) {
      if (row.querySelector("input[name$='-DELETE']").checked) { row.hidden = true; }
      wireRow(box, row);
    });
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
      var row = holder.firstElementChild;
      body.appendChild(row);
      total.value = String(index + 1);
      wireRow(box, row);
      renumber(box);
      row.querySelector("input").focus();
    });
    renumber(box);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-cargo-rows]").forEach(init);
  });
})();
