// Safety plan behaviour on top of htmx autosave. An enhancement only: without JavaScript, Save, Add and Remove
// send the whole form and every change is saved the same way, and the browser's own Print prints the plan.
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
    if (xhr && xhr.status === 401) {
      status.textContent = "Not saved: you were signed out after a while without activity. Sign in again, then change it again.";
    } else if (xhr && xhr.status === 404) {
      status.textContent = "Not saved: this entry is no longer in your plan (it was removed in another window). Reload the page.";
    } else {
      status.textContent = "Not saved: check your connection. Your changes will be saved when you press Save my plan.";
    }
  }
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  // A new entry is added by Add (or Enter): say so while it is only typed, so nobody leaves thinking it is saved.
  document.addEventListener("input", function (evt) {
    var box = evt.target;
    var step = box && box.getAttribute && box.getAttribute("data-new-entry");
    if (!step) return;
    var status = document.getElementById("status-new-" + step);
    if (!status) return;
    var typed = Array.prototype.some.call(
      document.querySelectorAll('[data-new-entry="' + step + '"]'),
      function (el) { return el.value.trim() !== ""; }
    );
    var message = typed ? "Not added yet: press Add." : "";
    if (status.textContent !== message) {
      status.className = "save-status";
      status.textContent = message;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
