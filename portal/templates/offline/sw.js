/* The portal's service worker (rendered by blueprints/offline, version {{ version }}).
   Kept on the phone: this build's bundles and the offline page; the last cart, lists and
   orders this user viewed (network first: a page is read from here only without a signal).
   Everything else goes to the network as it would without a worker. Signing out clears all
   of it (Clear-Site-Data on the sign-out answer); static/js/offline.js drops the pages when
   another user signs in on the phone. */
"use strict";
var SHELL = "shell-{{ version }}";
var PAGES = "pages";
var OFFLINE = {{ url_for("offline.page")|tojson }};
var ASSETS = {{ assets|tojson }};
var READABLE = {{ [url_for("cart.index"), url_for("lists.index"), url_for("orders.index")]|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(ASSETS.concat([OFFLINE]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function readable(url) {
  return READABLE.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (kept) {
      return kept || fetch(request);
    }));
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && readable(url)) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(url.pathname + url.search, copy); });
    }
    return response;
  }, function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(url.pathname + url.search);
    }).then(function (kept) {
      return kept || caches.match(OFFLINE);
    });
  }));
});
