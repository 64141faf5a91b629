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
