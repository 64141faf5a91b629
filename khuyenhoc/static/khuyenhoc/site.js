/* The site's own script, served from the site (the content security policy allows no inline script).
   A select marked data-submit-on-change sends its form when a choice is made (the language switch);
   without JavaScript the form's own button does it. */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});
