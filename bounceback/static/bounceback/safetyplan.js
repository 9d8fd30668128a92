// Safety plan behaviour on top of htmx autosave. An enhancement only: without JavaScript, Save, Add and Remove
// send the whole form and every change is saved the same way, and the browser's own Print prints the plan.
(function () {
  "use strict";

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
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
