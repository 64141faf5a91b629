/* Ticking many rows of an approval list at once: every row on the page, or a village's rows; the
   number ticked is shown as one ticks. Served from the site (the content security policy allows no
   inline script). Without JavaScript the rows are ticked one by one, and the server-side buttons for
   "every one that matches the filters" work as they are. */
(function () {
  "use strict";

  function picks(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=pick]"));
  }

  function refresh(form) {
    var boxes = picks(form);
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    var count = form.querySelector("[data-picked-count]");
    if (count) {
      count.textContent = String(ticked);
    }
    var all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  }

  function setUp(form) {
    var tools = form.querySelector("[data-bulk-tools]");
    if (tools) {
      tools.hidden = false;
    }
    form.addEventListener("change", function (event) {
      var field = event.target;
      if (field.matches("[data-select-all]")) {
        picks(form).forEach(function (box) { box.checked = field.checked; });
      } else if (field.matches("[data-select-village]")) {
        if (field.value) {
          form.querySelectorAll("tr[data-village]").forEach(function (row) {
            if (row.getAttribute("data-village") === field.value) {
              var box = row.querySelector("input[name=pick]");
              if (box) {
                box.checked = true;
              }
            }
          });
        }
        field.value = "";
      }
      refresh(form);
    });
    refresh(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk]").forEach(setUp);
  });
})();
