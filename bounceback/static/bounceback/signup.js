// Pre-select the browser's time zone on the sign-up form, when it is one of the choices.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
})();
