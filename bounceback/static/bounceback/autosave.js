// Autosave status for every page that saves as the person answers (check-up, daily check-in, safety plan), on
// top of htmx. An enhancement only: each page also saves with its own button without JavaScript.
// A form may tailor the "not saved" hints with data-offline-hint, data-signed-out-hint and data-gone-hint.
(function () {
  "use strict";

  function statusFor(elt) {
    var target = elt && elt.getAttribute && elt.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }

  function hint(elt, name, fallback) {
    var form = elt && elt.closest ? elt.closest("form") : null;
    return (form && form.getAttribute(name)) || fallback;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var status = statusFor(evt.detail.elt);
    if (status) {
      status.className = "save-status";
      status.textContent = "Saving…";
    }
  });

  function notSaved(evt) {
    var elt = evt.detail.elt;
    var status = statusFor(elt);
    if (!status) return;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    status.className = "save-status save-error";
    if (code === 401) {
      status.textContent = "Not saved: you were signed out after a while without activity. " +
        hint(elt, "data-signed-out-hint", "Sign in again; what was saved before is kept.");
    } else if (code === 404) {
      status.textContent = "Not saved: " + hint(elt, "data-gone-hint", "this is no longer here. Reload the page.");
    } else {
      status.textContent = "Not saved: check your connection. " +
        hint(elt, "data-offline-hint", "It will be saved when you send the page.");
    }
  }
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
