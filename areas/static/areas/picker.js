/* Pickers (areas/widgets.py). Without this script a picker is a text input for a code or a whole name.
   With it, the field shows the name of what is picked and sends its code from a hidden input; as one
   types, the matches of the user's area are fetched from the search route and listed under the field.
   Loaded once however many pickers a page has. */
(function () {
  if (window.khuyenhocPicker) { return; }
  window.khuyenhocPicker = true;

  function enhance(picker) {
    if (picker.classList.contains("is-enhanced")) { return; }
    var visible = picker.querySelector("input");
    var options = picker.querySelector(".picker-options");
    var many = picker.hasAttribute("data-picker-many");
    var chosen = picker.querySelector(".picker-chosen");
    var sent = document.createElement("input");
    sent.type = "hidden";
    sent.name = visible.name;
    sent.value = visible.value;
    visible.removeAttribute("name");
    if (many) {
      // Several picked: the field only searches; what is picked is listed under it.
      visible.value = "";
      chosen.querySelectorAll(".picker-chip").forEach(addRemoveButton);
    } else if (picker.dataset.pickerLabel) {
      visible.value = picker.dataset.pickerLabel;
    }

    function chosenValues() {
      return Array.prototype.map.call(chosen.querySelectorAll(".picker-chip"), function (item) {
        return item.dataset.value;
      });
    }

    function addRemoveButton(item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link picker-remove";
      button.textContent = "×";
      button.setAttribute("aria-label", picker.dataset.pickerRemove + ": " + item.textContent);
      button.addEventListener("click", function () {
        item.remove();
        sent.value = chosenValues().join(" ");
        visible.focus();
      });
      item.appendChild(button);
    }

    function choose(value, label) {
      if (chosenValues().indexOf(value) === -1) {
        // Spans, not a list element: a form's field may stand inside a paragraph.
        var item = document.createElement("span");
        item.className = "picker-chip";
        item.setAttribute("role", "listitem");
        item.dataset.value = value;
        item.textContent = label;
        addRemoveButton(item);
        chosen.appendChild(item);
      }
      sent.value = chosenValues().join(" ");
      visible.value = "";
    }
    // Another choice in a field the search depends on makes the listed matches stale.
    (picker.dataset.pickerParams || "").split(" ").forEach(function (name) {
      var field = name && visible.form ? visible.form.elements[name] : null;
      if (field && field.addEventListener) { field.addEventListener("change", function () { options.innerHTML = ""; }); }
    });
    picker.appendChild(sent);
    picker.classList.add("is-enhanced");
    var timer = null;
    var asked = 0;

    function close() { options.innerHTML = ""; }

    visible.addEventListener("input", function () {
      // What is typed is sent as it is until something is picked: the server reads a code or a whole name.
      if (!many) { sent.value = visible.value; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = visible.value.trim();
        if (query.length < 2) { close(); return; }
        var mine = ++asked;
        var url = picker.dataset.pickerUrl + "?picker=" + encodeURIComponent(picker.dataset.picker) +
          "&q=" + encodeURIComponent(query);
        // Other fields of the form the search depends on (an evaluation's title and year).
        (picker.dataset.pickerParams || "").split(" ").forEach(function (name) {
          var field = name && visible.form ? visible.form.elements[name] : null;
          if (field) { url += "&" + encodeURIComponent(name) + "=" + encodeURIComponent(field.value); }
        });
        fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) { if (mine === asked) { options.innerHTML = html; } })
          .catch(close);
      }, 250);
    });
    visible.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      if (event.key === "ArrowDown") {
        var first = options.querySelector(".picker-option");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    options.addEventListener("keydown", function (event) {
      var current = event.target.closest(".picker-list li");
      if (!current) { return; }
      if (event.key === "ArrowDown" && current.nextElementSibling) {
        event.preventDefault(); current.nextElementSibling.querySelector("button").focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (current.previousElementSibling) { current.previousElementSibling.querySelector("button").focus(); }
        else { visible.focus(); }
      } else if (event.key === "Escape") { close(); visible.focus(); }
    });
    options.addEventListener("click", function (event) {
      var option = event.target.closest(".picker-option");
      if (!option) { return; }
      if (many) {
        choose(option.dataset.value, option.dataset.label);
      } else {
        sent.value = option.dataset.value;
        visible.value = option.dataset.label;
      }
      close();
      visible.focus();
    });
    document.addEventListener("click", function (event) {
      if (!picker.contains(event.target)) { close(); }
    });
  }

  function enhanceAll() {
    document.querySelectorAll("[data-picker]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
}());
