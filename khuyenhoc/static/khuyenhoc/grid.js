/* The village meeting's grid: each household's total and result worked out as marks are typed, by
   the criteria set's own rule, read from the data the server put on the page (the rule, the
   thresholds, the minimums, the results' names). The server scores again when the marks are saved:
   what this shows is a preview. Served from the site (the content security policy allows no inline
   script); without JavaScript the grid shows the saved totals. */
(function () {
  "use strict";

  // Marks are kept in hundredths, as whole numbers, so that 0.1 + 0.2 adds up as it does on paper.
  function hundredths(text) {
    if (text === null || text === undefined || String(text).trim() === "") {
      return null;
    }
    var number = Number(String(text).replace(",", "."));
    return isFinite(number) ? Math.round(number * 100) : null;
  }

  // Vietnamese style: 1.234,5 — and no decimals when there are none (as the server writes it).
  function written(value) {
    var whole = Math.floor(value / 100);
    var part = value % 100;
    var text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    if (part) {
      text += "," + String(part < 10 ? "0" + part : part).replace(/0$/, "");
    }
    return text;
  }

  function readScoring(box) {
    var scoring = {
      rule: box.getAttribute("data-rule"),
      passTotal: hundredths(box.getAttribute("data-pass-total")),
      bands: [],
      minimums: {},
      labels: {},
      words: {}
    };
    box.querySelectorAll("[data-band]").forEach(function (band) {
      scoring.bands.push({ code: band.getAttribute("data-band"), min: hundredths(band.getAttribute("data-min")) });
    });
    scoring.bands.sort(function (a, b) { return b.min - a.min; });
    box.querySelectorAll("[data-minimum]").forEach(function (item) {
      scoring.minimums[item.getAttribute("data-minimum")] = hundredths(item.getAttribute("data-min"));
    });
    box.querySelectorAll("[data-result-label]").forEach(function (item) {
      scoring.labels[item.getAttribute("data-result-label")] = item.textContent;
    });
    box.querySelectorAll("[data-word]").forEach(function (item) {
      scoring.words[item.getAttribute("data-word")] = item.textContent;
    });
    return scoring;
  }

  function readColumns(table) {
    var columns = {};
    table.querySelectorAll("th[data-leaf]").forEach(function (cell) {
      var groups = cell.getAttribute("data-groups");
      columns[cell.getAttribute("data-leaf")] = {
        scoring: cell.getAttribute("data-scoring"),
        level: cell.getAttribute("data-level") ? Number(cell.getAttribute("data-level")) : null,
        groups: groups ? groups.split(",") : []
      };
    });
    return columns;
  }

  // One field's mark: hundredths, true / false (pass or fail), null when empty; `bad` when it cannot be saved.
  function markOf(field) {
    if (field.tagName === "SELECT") {
      return { value: field.value === "yes" ? true : field.value === "no" ? false : null, bad: false };
    }
    if (field.validity && field.validity.badInput) {
      return { value: null, bad: true };
    }
    var value = hundredths(field.value);
    return { value: value, bad: value !== null && field.validity && !field.validity.valid };
  }

  // The same steps as criteria/scoring.py's evaluate(): unmarked criteria count as 0 / not passed.
  function resultOf(scoring, columns, marks, total, reached) {
    var notAchieved = "not_achieved";
    if (scoring.rule === "ratings") {
      for (var i = 0; i < scoring.bands.length; i++) {
        if (total >= scoring.bands[i].min) {
          return scoring.bands[i].code;
        }
      }
      return notAchieved;
    }
    if (scoring.rule === "threshold") {
      var belowAMinimum = Object.keys(scoring.minimums).some(function (code) {
        return (reached[code] || 0) < scoring.minimums[code];
      });
      return scoring.passTotal !== null && total >= scoring.passTotal && !belowAMinimum ? "achieved" : notAchieved;
    }
    var levels = [];
    Object.keys(columns).forEach(function (code) {
      if (columns[code].level !== null && levels.indexOf(columns[code].level) < 0) {
        levels.push(columns[code].level);
      }
    });
    levels.sort(function (a, b) { return a - b; });
    var level = 0;
    for (var j = 0; j < levels.length; j++) {
      var all = Object.keys(columns).every(function (code) {
        return columns[code].level > levels[j] || marks[code] === true;
      });
      if (!all) {
        break;
      }
      level = levels[j];
    }
    return level ? "level_" + level : notAchieved;
  }

  function update(row, scoring, columns) {
    var marks = {};
    var reached = {};
    var total = 0;
    var marked = 0;
    var complete = true;
    var changed = row.querySelector("[data-typed]") !== null;
    row.querySelectorAll("[data-leaf]").forEach(function (field) {
      var code = field.getAttribute("data-leaf");
      var column = columns[code];
      var mark = markOf(field);
      field.closest("td").classList.toggle("bad-mark", mark.bad);
      if (field.tagName === "SELECT") {
        changed = changed || !field.options[field.selectedIndex].defaultSelected;
      } else {
        changed = changed || field.value !== field.defaultValue;
      }
      var value = mark.bad ? null : mark.value;
      marks[code] = value;
      if (value === null) {
        complete = false;
      } else {
        marked += 1;
      }
      var points = column && column.scoring === "points" && typeof value === "number" ? value : 0;
      total += points;
      reached[code] = points;
      (column ? column.groups : []).forEach(function (group) {
        reached[group] = (reached[group] || 0) + points;
      });
    });
    var totalCell = row.querySelector("[data-total]");
    var resultCell = row.querySelector("[data-result]");
    var resultText = resultCell.querySelector("[data-result-text]") || resultCell;
    row.classList.toggle("unsaved", changed);
    if (!changed) {
      return; // what the server saved stays on show
    }
    if (!marked) {
      totalCell.textContent = "—";
      resultText.textContent = "—";
      return;
    }
    totalCell.textContent = scoring.rule === "levels" ? "—" : written(total);
    var code = resultOf(scoring, columns, marks, total, reached);
    resultText.textContent = scoring.labels[code] || code;
    resultCell.setAttribute("data-live-result", code);
    var notes = [];
    if (!complete) {
      notes.push(scoring.words.incomplete);
    }
    notes.push(scoring.words.unsaved);
    var note = document.createElement("small");
    note.className = "muted";
    note.textContent = " (" + notes.join("; ") + ")";
    resultText.appendChild(note);
  }

  // What is typed and not yet saved is kept on this device as it is typed, so that a save lost to a
  // dropped connection or an expired sign-in is typed back in with one click. One draft per grid (its
  // address and criteria set), for a week at most: the marks by their fields' names (ids, no names)
  // and each row's version when typed, so that a row someone else saved since is not written over.
  // It goes once the page shows every mark saved, and at logging out (site.js).
  var DRAFT_PREFIX = "khuyenhoc.grid-draft:";
  var DRAFT_DAYS = 7;

  function drafts() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage turned off: the grid works without drafts
    }
  }

  function householdOf(name) {
    return name.split("-")[1];
  }

  function versionOf(form, household) {
    var field = form.elements["v-" + household];
    return field ? field.value : "";
  }

  // Typed and not saved: changed since the page came, or on a row shown again after a refused save.
  function unsaved(field, row) {
    if (row.querySelector("[data-typed]")) {
      return field.value !== "";
    }
    if (field.tagName === "SELECT") {
      return !field.options[field.selectedIndex].defaultSelected;
    }
    return field.value !== field.defaultValue;
  }

  // `offered`: the marks offered back and not answered yet ({field name: mark}), kept under what is
  // typed meanwhile, so that a second lost save loses neither. They are offered only on rows still at
  // the version they were typed on, so the row's version now is theirs too.
  function keepDraft(store, key, form, table, offered) {
    var fields = Object.assign({}, offered);
    var versions = {};
    Object.keys(fields).forEach(function (name) {
      versions[householdOf(name)] = versionOf(form, householdOf(name));
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.querySelectorAll("[data-leaf]").forEach(function (field) {
        if (unsaved(field, row)) {
          fields[field.name] = field.value;
          versions[householdOf(field.name)] = versionOf(form, householdOf(field.name));
        }
      });
    });
    try {
      if (Object.keys(fields).length) {
        store.setItem(key, JSON.stringify({ typedAt: Date.now(), fields: fields, versions: versions }));
      } else {
        store.removeItem(key);
      }
    } catch (error) {
      // the device's storage is full: the marks stay on the page, as without drafts
    }
  }

  function readDraft(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      var fresh = draft && typeof draft.typedAt === "number" && Date.now() - draft.typedAt < DRAFT_DAYS * 86400000;
      return fresh && draft.fields && draft.versions ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function twoDigits(number) {
    return number < 10 ? "0" + number : String(number);
  }

  // Shows the offer and returns the marks it offers ({field name: mark}), or null when there are none;
  // `whenDone` is called once the officer answers.
  function offerDraft(draft, form, typedBackIn, whenDone) {
    var restorable = [];
    var changedSince = 0;
    Object.keys(draft.fields).forEach(function (name) {
      var field = form.elements[name];
      // A row no longer on the grid for marking (sent for approval, or gone) is left alone.
      if (!field || !field.hasAttribute || !field.hasAttribute("data-leaf") || field.value === draft.fields[name]) {
        return;
      }
      if ((draft.versions[householdOf(name)] || "") !== versionOf(form, householdOf(name))) {
        changedSince += 1;
      } else {
        restorable.push(field);
      }
    });
    var notice = document.querySelector("[data-draft]");
    if (!restorable.length || !notice) {
      return null;
    }
    var typed = new Date(draft.typedAt);
    var words = {};
    notice.querySelectorAll("[data-draft-word]").forEach(function (item) {
      words[item.getAttribute("data-draft-word")] = item.textContent;
    });
    var text = notice.querySelector("[data-draft-text]");
    text.textContent = words[restorable.length === 1 ? "found-one" : "found"]
      .replace("{count}", restorable.length)
      .replace("{time}", twoDigits(typed.getHours()) + ":" + twoDigits(typed.getMinutes()))
      .replace("{date}", twoDigits(typed.getDate()) + "/" + twoDigits(typed.getMonth() + 1) + "/" + typed.getFullYear());
    if (changedSince) {
      text.textContent += " " + words[changedSince === 1 ? "changed-one" : "changed"].replace("{count}", changedSince);
    }
    notice.hidden = false;
    notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
      restorable.forEach(function (field) {
        field.value = draft.fields[field.name];
      });
      typedBackIn(restorable);
      notice.querySelectorAll("button").forEach(function (button) {
        button.hidden = true;
      });
      text.textContent = words.restored;
      whenDone();
    });
    notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
      notice.hidden = true;
      whenDone();
    });
    var offered = {};
    restorable.forEach(function (field) {
      offered[field.name] = draft.fields[field.name];
    });
    return offered;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-scoring]");
    var table = document.querySelector("table.grid");
    if (!box || !table) {
      return;
    }
    var scoring = readScoring(box);
    var columns = readColumns(table);
    // A number field tells each keystroke ("input"), a pass/fail choice its choosing ("change"); a number
    // field's "change" on leaving it is left alone, so that nothing moves under the pointer then.
    function changed(event) {
      var field = event.target;
      var row = field.closest("tr");
      if (row && field.hasAttribute("data-leaf") && (event.type === "input") === (field.tagName === "INPUT")) {
        update(row, scoring, columns);
      }
    }
    table.addEventListener("input", changed);
    table.addEventListener("change", changed);
    // Marks typed before a refused save come back in the fields: show what they add up to.
    table.querySelectorAll("tbody tr").forEach(function (row) {
      if (row.querySelector("[data-leaf]")) {
        update(row, scoring, columns);
      }
    });

    var store = drafts();
    var form = table.closest("form");
    var setField = form && form.elements.set;
    if (!store || !form || !setField) {
      return; // nothing to mark on this grid, or no storage on this device
    }
    var key = DRAFT_PREFIX + window.location.pathname + "?set=" + setField.value;
    var waiting = null;
    var offered = null; // offered back and not answered yet
    function keepSoon() {
      window.clearTimeout(waiting);
      waiting = window.setTimeout(function () {
        keepDraft(store, key, form, table, offered);
      }, 300);
    }
    function rowsTypedBackIn(fields) {
      fields.forEach(function (field) {
        update(field.closest("tr"), scoring, columns);
      });
    }
    function answered() {
      offered = null; // typed back in (now on the page, kept as typed) or let go
      keepDraft(store, key, form, table, null);
    }
    var draft = readDraft(store, key);
    offered = draft ? offerDraft(draft, form, rowsTypedBackIn, answered) : null;
    if (!offered) {
      keepDraft(store, key, form, table, null); // nothing to offer: an old draft goes
    }
    table.addEventListener("input", keepSoon);
    table.addEventListener("change", keepSoon);
  });
})();
