// Check-up page behaviour on top of htmx autosave. Everything here is an enhancement: the page works
// without JavaScript (answers are saved by the form post on Next).
(function () {
  "use strict";

  // Crisis resources appear the instant item 9 is answered above "Not at all", right below that question, from
  // the page itself (so also with no connection), and focus moves to them so they are on screen and announced.
  function showCrisisPanel(slot) {
    var heading = slot.querySelector("#crisis-heading");
    if (!heading) return;
    if (!document.body.hasAttribute("data-crisis-announced")) {
      document.body.setAttribute("data-crisis-announced", "");
      heading.focus({ preventScroll: true });
      slot.scrollIntoView({ block: "start", behavior: "auto" });
    }
  }

  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input || input.name !== "phq9_9" || !(parseInt(input.value, 10) > 0)) return;
    var slot = document.getElementById("crisis-panel");
    var template = document.getElementById("crisis-template");
    if (slot && template && !slot.querySelector("#crisis-heading")) {
      slot.appendChild(template.content.cloneNode(true));
    }
    if (slot) showCrisisPanel(slot);
  });

  // The saved answer's response carries the server's panel too; when the page already shows it, keep the one
  // on screen (replacing it would take the person's focus and place away).
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var target = evt.detail.target;
    if (target && target.id === "crisis-panel" && target.querySelector("#crisis-heading")) {
      evt.detail.shouldSwap = false;
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (evt) {
    var target = evt.detail.target;
    if (target && target.id === "crisis-panel") showCrisisPanel(target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("#crisis-heading")) {
      document.body.setAttribute("data-crisis-announced", "");
    }
  });
})();
