/* The site's own script, served from the site (the content security policy allows no inline script).
   A select marked data-submit-on-change sends its form when a choice is made (the language switch);
   without JavaScript the form's own button does it. */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});

/* On a phone the header's menu and account links fold behind the Menu button (base.html); the
   button is hidden in the page and shown here, so that without JavaScript nothing is folded away. */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  if (!button) {
    return;
  }
  var header = button.closest(".topbar");
  button.hidden = false;
  header.classList.add("folding");
  button.addEventListener("click", function () {
    var open = header.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

/* "Back to the previous page" on the error pages: the browser's own back, when there is a page to go
   back to; otherwise the link's own address (the home page) is followed. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

/* Logging out forgets the marks a village meeting's grid kept on this device unsaved (grid.js): an
   office computer is shared, and the next person has no use for them. */
document.addEventListener("submit", function (event) {
  if (!event.target.matches || !event.target.matches("[data-forget-drafts]")) {
    return;
  }
  try {
    var store = window.localStorage;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf("khuyenhoc.grid-draft:") === 0) {
        store.removeItem(key);
      }
    }
  } catch (error) {
    // no storage on this device: nothing was kept
  }
});

/* A form sent to the server says so on its button until the next page comes: on a slow connection a
   save takes seconds, and a second click would send it again. Every button of the form waits; the one
   clicked says "Sending…". They come back after 20 seconds (the connection may have dropped: the user
   tries again), and when the browser shows this page again from its history. Left alone: forms whose
   sending a script took over (htmx), forms opening elsewhere, and data-no-busy forms (a download, which
   leaves the page where it is). The buttons wait only once the form's data is taken, so the button
   clicked is still sent with it. */
(function () {
  "use strict";
  var WAIT_MS = 20000;
  var labels = new WeakMap(); // each waiting button's own content, put back when it is released

  function release(form) {
    form.querySelectorAll("button[data-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-busy");
      button.removeAttribute("aria-busy");
      if (labels.has(button)) {
        button.innerHTML = labels.get(button);
        labels.delete(button);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method !== "post" || form.target || form.hasAttribute("data-no-busy")) {
      return;
    }
    var clicked = event.submitter;
    var sending = document.body.getAttribute("data-sending");
    window.setTimeout(function () {
      form.querySelectorAll("button:not([type=button])").forEach(function (button) {
        if (button.disabled) {
          return;
        }
        button.disabled = true;
        button.setAttribute("data-busy", "");
        if (button === clicked) {
          button.setAttribute("aria-busy", "true");
          if (sending) {
            labels.set(button, button.innerHTML);
            button.textContent = sending;
          }
        }
      });
      window.setTimeout(function () {
        release(form);
      }, WAIT_MS);
    }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form").forEach(release);
    }
  });
})();

/* A file field's button and its "no file chosen" are worded by the browser in its own language, English
   on many office computers. Each file field is shown with the site's words instead: the field stays in
   the page (its own label, the keyboard and the form's checks reach it), out of sight, and a button-like
   label beside it opens it and then names the file chosen. Without JavaScript the browser's field shows.
   Fields that htmx brings into a page later are dressed as they come. */
function dressFileFields(root) {
  var choose = document.body.getAttribute("data-choose-file");
  var none = document.body.getAttribute("data-no-file");
  root.querySelectorAll('input[type="file"][id]:not(.file-field)').forEach(function (field) {
    var picker = document.createElement("span");
    var button = document.createElement("label");
    var chosen = document.createElement("span");
    picker.className = "file-picker";
    button.className = "button secondary";
    button.htmlFor = field.id;
    button.textContent = choose;
    button.setAttribute("aria-hidden", "true");  // the field's own label names it to a screen reader
    chosen.className = "file-chosen muted";
    chosen.setAttribute("aria-live", "polite");
    field.parentNode.insertBefore(picker, field);
    picker.append(field, button, chosen);
    field.classList.add("file-field");
    function name() {  // also at once: going back to the page, the browser may keep the file chosen
      chosen.textContent = field.files && field.files.length ? field.files[0].name : none;
    }
    name();
    field.addEventListener("change", name);
  });
}
document.addEventListener("DOMContentLoaded", function () {
  dressFileFields(document);
});
document.addEventListener("htmx:load", function (event) {
  if (event.target.querySelectorAll) {
    dressFileFields(event.target);
  }
});
