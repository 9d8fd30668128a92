// The reminders page's "Turn on notifications on this device": asks the browser's permission only when the
// button is pressed, subscribes with the site's VAPID public key, and posts the subscription to the site.
// Without Notification, PushManager or service workers, the button stays hidden and the page says so.
(function () {
  "use strict";
  var box = document.getElementById("push");
  if (!box) return;
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  var unsupported = document.getElementById("push-unsupported");
  var form = document.getElementById("push-form");
  var token = form ? form.querySelector("[name=csrfmiddlewaretoken]").value : "";
  var key = box.getAttribute("data-vapid-key");

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window) || !key) {
    if (unsupported) unsupported.hidden = false;
    return;
  }

  function say(text) {
    status.textContent = text;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      return response;
    });
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  function registration() {
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  // On load, only look: the service worker is registered when notifications are turned on, not before.
  navigator.serviceWorker
    .getRegistration("/")
    .then(function (reg) {
      return reg ? reg.pushManager.getSubscription() : null;
    })
    .then(function (existing) {
      show(Boolean(existing) && Notification.permission === "granted");
    })
    .catch(function () {
      show(false);
    });

  on.addEventListener("click", function () {
    on.disabled = true;
    say("Asking your browser…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return registration();
      })
      .then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      })
      .then(function (subscription) {
        return post(box.getAttribute("data-subscribe-url"), subscription.toJSON());
      })
      .then(function () {
        show(true);
        say("Notifications are on for this device.");
      })
      .catch(function (error) {
        say(
          error && error.message === "denied"
            ? "Your browser did not allow notifications. You can change this in its site settings."
            : "Notifications could not be turned on. Please try again later."
        );
      })
      .then(function () {
        on.disabled = false;
      });
  });

  off.addEventListener("click", function () {
    off.disabled = true;
    registration()
      .then(function (reg) {
        return reg.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) return null;
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(box.getAttribute("data-unsubscribe-url"), { endpoint: endpoint });
        });
      })
      .then(function () {
        show(false);
        say("Notifications are off for this device.");
      })
      .catch(function () {
        say("Notifications could not be turned off. Please try again later.");
      })
      .then(function () {
        off.disabled = false;
      });
  });
})();
