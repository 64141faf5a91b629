/* Ticking many rows of a list at once (a form marked data-bulk, whose value names its checkboxes:
   "pick" when empty). The approval list ticks every row on the page, or a village's rows; a decision's
   draft, thousands of households long, finds rows by the words typed in a box and ticks or unticks the
   rows found. The number ticked is shown as one ticks. Served from the site (the content security
   policy allows no inline script). The tools are hidden in the page and shown here: without JavaScript
   the rows are ticked one by one, and the server-side buttons for "every one that matches the
   filters" work as they are. */
(function () {
  "use strict";

  var searched = new WeakMap(); // row → the text the box looks in, folded once

  function picks(form, within) {
    var name = form.getAttribute("data-bulk") || "pick";
    return Array.prototype.slice.call((within || form).querySelectorAll("input[type=checkbox]")).filter(function (box) {
      return box.name === name;
    });
  }

  function folded(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  /* What the box looks in: the row's cells marked data-filter-key (a name, a village), not its results
     and badges ("minh hoạ" would match "hoa" in every row). */
  function searchText(row) {
    if (!searched.has(row)) {
      var cells = row.querySelectorAll("[data-filter-key]");
      var text = Array.prototype.map.call(cells.length ? cells : [row], function (cell) {
        return cell.textContent;
      });
      searched.set(row, folded(text.join(" ")));
    }
    return searched.get(row);
  }

  /* The rows holding every word typed, in any order, with or without Vietnamese accents ("pac hin
     hoang": the Hoàngs of Thôn Pác Hin); hidden rows keep their ticks and are still sent. */
  function find(form, input) {
    var words = folded(input.value).split(/\s+/).filter(Boolean);
    picks(form).forEach(function (box) {
      var row = box.closest("tr");
      var text = searchText(row);
      row.hidden = !words.every(function (word) {
        return text.indexOf(word) !== -1;
      });
    });
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
    var status = form.querySelector("[data-filter-status]");
    if (status) {
      var shown = boxes.filter(function (box) { return !box.closest("tr").hidden; }).length;
      var number = function (value) { return value.toLocaleString("vi-VN"); };
      status.textContent = form.querySelector("[data-status]").getAttribute("data-status")
        .replace("{ticked}", number(ticked))
        .replace("{total}", number(boxes.length))
        .replace("{shown}", number(shown));
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
              picks(form, row).forEach(function (box) { box.checked = true; });
            }
          });
        }
        field.value = "";
      }
      refresh(form);
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("[data-filter-rows]")) {
        find(form, event.target);
        refresh(form);
      }
    });
    form.addEventListener("keydown", function (event) {
      // Enter in the box finds; it does not send the form, which would save the draft.
      if (event.key === "Enter" && event.target.matches("[data-filter-rows]")) {
        event.preventDefault();
      }
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-tick-shown]");
      if (button) {
        var tick = button.getAttribute("data-tick-shown") === "1";
        picks(form).forEach(function (box) {
          if (!box.closest("tr").hidden) {
            box.checked = tick;
          }
        });
        refresh(form);
      }
    });
    refresh(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk]").forEach(setUp);
  });
})();
