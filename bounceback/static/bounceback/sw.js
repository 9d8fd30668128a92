// Bounceback's service worker: shows a reminder pushed by the site, and opens its link when it is tapped.
// Served from /sw.js (scope: the whole site). It caches nothing and fetches nothing. The pushed message says
// only that a check-in is waiting (never what it is about), and its link is a path on this site.
"use strict";

var FALLBACK = { title: "Bounceback", body: "Time for your Bounceback check-in", url: "/checkup/due/" };

function sameSitePath(url) {
  // Only a path on this site: never an address elsewhere, whatever a message says.
  return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : FALLBACK.url;
}

self.addEventListener("push", function (event) {
  var message = FALLBACK;
  if (event.data) {
    try {
      message = event.data.json();
    } catch (error) {
      message = FALLBACK;
    }
  }
  event.waitUntil(
    self.registration.showNotification(message.title || FALLBACK.title, {
      body: message.body || FALLBACK.body,
      tag: message.tag || "bounceback-reminder",
      icon: "/static/bounceback/logo.svg",
      data: { url: sameSitePath(message.url) }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL(sameSitePath(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
