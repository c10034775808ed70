/* The browsable API's "Log out" link posts DRF's logout form from an inline onclick
   attribute, which the Content-Security-Policy refuses. The same, from a script file. */
"use strict";

(function () {
  const form = document.getElementById("logoutForm");
  const link = form && form.parentElement.querySelector("a[onclick]");
  if (!link) {
    return;
  }
  link.removeAttribute("onclick");
  link.addEventListener("click", function (event) {
    event.preventDefault();
    form.submit();
  });
})();
