/* Without a signal: the portal's service worker (blueprints/offline) keeps the last cart,
   lists and orders readable; here, the changes a buyer makes meanwhile (Add, a cart or list
   line's stepper, note or removal: elements marked data-offline-queue="<product name>") wait
   on the phone (IndexedDB) and are sent again, in order, when the network is back. Each keeps
   the Idempotency-Key it was first sent with, so a change whose answer was lost is never done
   twice. A change the server refuses on replay (the product went away) is shown, not dropped.
   Placing an order needs the network (forms marked data-needs-network say so). */
(function () {
  "use strict";
  var body = document.body;
  if (!body) return;
  var user = body.dataset.user || "";
  var box = document.getElementById("offline-queue");
  var words = box ? box.dataset : {};

  if (body.dataset.sw && "serviceWorker" in navigator) {
    // Its scope is the folder it is served from: "/", or a storefront's path ("/direct/").
    var scope = new URL(".", new URL(body.dataset.sw, location.href)).pathname;
    navigator.serviceWorker.register(body.dataset.sw, { scope: scope }).catch(function () {});
  }
  // Another user signed in on this phone: the pages kept for the last one go.
  try {
    if (user && localStorage.getItem("portal-user") !== user) {
      localStorage.setItem("portal-user", user);
      if (window.caches) caches.delete("pages");
    }
  } catch (e) { /* storage refused: nothing kept either */ }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2);
  }

  // ---- the queue (one IndexedDB store, in the order the changes were made)
  var opening = null;
  function store(mode) {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open("portal-offline", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("changes", { keyPath: "seq", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening.then(function (db) {
      return db.transaction("changes", mode).objectStore("changes");
    });
  }
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function mine() {
    return store("readonly").then(function (changes) { return done(changes.getAll()); })
      .then(function (all) { return all.filter(function (c) { return c.user === user; }); });
  }
  function put(change) { return store("readwrite").then(function (s) { return done(s.put(change)); }); }
  function drop(change) { return store("readwrite").then(function (s) { return done(s.delete(change.seq)); }); }

  // ---- what the buyer sees
  function say(text, kind) {
    var alerts = document.getElementById("alerts");
    if (!alerts) return;
    var p = document.createElement("p");
    p.className = "flash flash-" + (kind || "info");
    p.textContent = text;
    alerts.replaceChildren(p);
  }
  function counted(template, n) { return template.replace("{n}", String(n)); }
  function show() {
    if (!box) return Promise.resolve();
    return mine().then(function (changes) {
      var waiting = changes.filter(function (c) { return !c.refused; });
      var refused = changes.filter(function (c) { return c.refused; });
      var list = box.querySelector("ul");
      var line = box.querySelector("[data-waiting]");
      line.textContent = waiting.length === 0 ? "" :
        counted(waiting.length === 1 ? words.one : words.many, waiting.length);
      line.hidden = waiting.length === 0;
      list.replaceChildren.apply(list, refused.map(function (c) {
        var li = document.createElement("li");
        li.textContent = counted(words.refused, c.label).replace("{why}", c.refused);
        return li;
      }));
      box.querySelector("[data-refused]").hidden = refused.length === 0;
      box.hidden = changes.length === 0;
    }).catch(function () {});
  }

  // ---- keeping a change instead of losing it
  function holder(elt) {
    return elt && elt.hasAttribute && elt.hasAttribute("data-offline-queue") ? elt : null;
  }
  // A stepper tapped offline moves the number shown, and the change sent is that number:
  // two taps on + give two steps, as they would online.
  function stepped(form, data) {
    var input = form && form.querySelector("input.qty");
    if (!input) return;
    var now = parseInt(input.value, 10) || 0, next = null;
    if (data.has("set")) {
      next = parseInt(data.get("set"), 10);
      form.querySelectorAll("button[name=set]").forEach(function (b) {
        b.value = String((parseInt(b.value, 10) || 0) + (next - now));
        b.disabled = false;
      });
    } else if (data.has("step") && input.dataset.step) {
      var step = parseInt(input.dataset.step, 10) || 1;
      next = Math.max(step, now + (data.get("step") === "down" ? -step : step));
      data.delete("step");
      data.set(input.name, String(next));
    }
    if (next !== null && next > 0) input.value = String(next);
  }
  function keep(detail) {
    var elt = holder(detail.elt);
    var config = detail.requestConfig || detail;
    var data = new FormData();
    (config.formData || new FormData()).forEach(function (value, name) {
      if (typeof value === "string") data.append(name, value);
    });
    stepped(elt && elt.closest("form"), data);
    var key = (config.headers && config.headers["Idempotency-Key"]) || newKey();
    return put({ key: key, user: user, path: config.path, label: elt.dataset.offlineQueue,
                 body: new URLSearchParams(data).toString(), at: Date.now() })
      .then(function () {
        say(words.kept, "info");
        return show();
      });
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (holder(event.detail.elt)) event.detail.headers["Idempotency-Key"] = newKey();
  });
  // No network at all: not even tried, kept at once.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (navigator.onLine || !holder(event.detail.elt) || !window.indexedDB) return;
    event.preventDefault();
    keep(event.detail);
  });
  // Sent but never answered (a weak signal): kept, with the key it was sent with.
  document.addEventListener("htmx:sendError", function (event) {
    if (!holder(event.detail.elt) || !window.indexedDB) return;
    event.detail.kept = true;
    keep(event.detail);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.matches || !form.matches("form[data-needs-network]")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    say(words.needsNetwork, "error");
  }, true);

  // ---- sending again when the network is back
  var replaying = false;
  function why(response) {
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var said = page.querySelector("[role=alert], .error, .flash-error");
      return (said && said.textContent.trim()) || words.refusedDefault;
    });
  }
  function token() {
    try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function replay() {
    if (replaying || !navigator.onLine || !user || !window.indexedDB) return;
    replaying = true;
    var sent = 0, refused = 0;
    function next(changes) {
      var change = changes.shift();
      if (!change) return Promise.resolve();
      if (change.refused) return next(changes);
      return fetch(change.path, {
        method: "POST", credentials: "same-origin", body: change.body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                   "Idempotency-Key": change.key, "X-CSRFToken": token() }
      }).then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403
            || response.status === 400) {
          say(words.signIn, "error");  // signed out meanwhile: the changes wait for the next
          return null;
        }
        if (response.status >= 500) return null;  // try again at the next chance
        if (response.ok) { sent += 1; return drop(change).then(function () { return next(changes); }); }
        return why(response).then(function (reason) {
          change.refused = reason;
          refused += 1;
          return put(change);
        }).then(function () { return next(changes); });
      }, function () { return null; });
    }
    mine().then(next).then(function () {
      replaying = false;
      if (!sent && !refused) return show();
      if (sent) {
        try { sessionStorage.setItem("portal-sent", counted(words.sent, sent)); } catch (e) { /* */ }
      }
      // The page shows what the server now holds (unless the buyer is typing); what was
      // refused stays in the bar (kept in IndexedDB) across the reload.
      var typing = document.activeElement && document.activeElement.matches("input, textarea");
      if (typing) { if (sent) say(counted(words.sent, sent), "success"); return show(); }
      location.reload();
    }, function () { replaying = false; });
  }

  if (box) {
    box.querySelector("[data-dismiss]").addEventListener("click", function () {
      mine().then(function (changes) {
        return Promise.all(changes.filter(function (c) { return c.refused; }).map(drop));
      }).then(show);
    });
  }
  window.addEventListener("online", replay);
  try {
    var said = sessionStorage.getItem("portal-sent");
    if (said) { sessionStorage.removeItem("portal-sent"); say(said, "success"); }
  } catch (e) { /* */ }
  if (window.indexedDB && user) { show(); replay(); }
})();
