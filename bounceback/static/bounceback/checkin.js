// Daily check-in behaviour on top of htmx autosave. An enhancement only: without JavaScript the Save button
// sends the whole form and every answer is saved the same way.
(function () {
  "use strict";

  function statusFor(elt) {
    var target = elt && elt.getAttribute && elt.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var status = statusFor(evt.detail.elt);
    if (status) {
      status.className = "save-status";
      status.textContent = "Saving…";
    }
  });

  function notSaved(evt) {
    var status = statusFor(evt.detail.elt);
    if (!status) return;
    var xhr = evt.detail.xhr;
    status.className = "save-status save-error";
    status.textContent = xhr && xhr.status === 401
      ? "Not saved: you were signed out after a while without activity. Sign in again, then answer again."
      : "Not saved: check your connection. Your answers will be saved when you press Save.";
  }
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
