// Check-up page behaviour on top of htmx autosave. Everything here is an enhancement: the page works
// without JavaScript (answers are saved by the form post on Next).
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
      ? "Not saved: you were signed out after a while without activity. Sign in again; your earlier answers are kept."
      : "Not saved: check your connection. Your answer will be saved when you press Next.";
  }
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  // Crisis resources appear the instant item 9 is answered above "Not at all", from the page itself, even if
  // the network is down; the server's own panel replaces it when the answer is saved.
  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input || input.name !== "phq9_9" || !(parseInt(input.value, 10) > 0)) return;
    var slot = document.getElementById("crisis-panel");
    var template = document.getElementById("crisis-template");
    if (slot && template && !slot.querySelector("#crisis-heading")) {
      slot.appendChild(template.content.cloneNode(true));
    }
  });

  // When the saved answer brings the crisis panel, move focus to its heading so screen readers announce it.
  document.addEventListener("htmx:oobAfterSwap", function () {
    var heading = document.getElementById("crisis-heading");
    if (heading && !document.body.hasAttribute("data-crisis-announced")) {
      document.body.setAttribute("data-crisis-announced", "");
      heading.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("#crisis-heading")) {
      document.body.setAttribute("data-crisis-announced", "");
    }
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
