// Walkthrough's service worker, release {{ version }}.
// It keeps the files every page needs and, for the person signed in, the pages today's visits need, so a
// phone at the back of a classroom can open them without signal. Pages always come from the network
// when it answers; the copy on the phone is only for when it doesn't. Notes typed offline are not kept
// here but by the page itself (notes.js, in localStorage and IndexedDB), so a new worker never touches them.
"use strict";

var VERSION = {{ version|tojson }};
var SHELL = {{ shell|tojson }};
var OFFLINE_URL = {{ offline_url|tojson }};
var TODAY_URL = {{ today_url|tojson }};
var STATIC_CACHE = "walkthrough-static-" + VERSION;
var PERSON_CACHE = "walkthrough-person";
var META_CACHE = "walkthrough-meta";
var META_KEY = "/__walkthrough/person";
var REFRESH_AFTER_MS = 10 * 60 * 1000;
var SLOW_NETWORK_MS = 4000;
var KEPT_STATIC_VERSIONS = 2; // pages kept under the last release still find their styles and scripts

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      var statics = names.filter(function (n) { return n.indexOf("walkthrough-static-") === 0 && n !== STATIC_CACHE; });
      var old = statics.slice(0, Math.max(statics.length - (KEPT_STATIC_VERSIONS - 1), 0));
      return Promise.all(old.map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
      .then(function () { return readMeta(); })
      .then(function (meta) { if (meta.person) return refresh(meta.person); })
      .catch(function () { /* offline while updating: the pages kept before still work */ })
  );
});

// ---- who the kept pages belong to ---------------------------------------------------------------
// Reading never makes a cache (caches.open would): after a sign-out, nothing of the person's caches comes back.
function readMeta() {
  return caches.match(META_KEY, { cacheName: META_CACHE })
    .then(function (response) { return response ? response.json() : {}; })
    .catch(function () { return {}; });
}
function writeMeta(meta, since) {
  var json = new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } });
  return keepIfStill(since, META_CACHE, META_KEY, json);
}
// Counts sign-outs and changes of person, so a refresh begun before one writes nothing after it.
var generation = 0;
function forgetEveryone() {
  generation += 1;
  return Promise.all([caches.delete(PERSON_CACHE), caches.delete(META_CACHE)]);
}
// Writes a copy only while the person it was fetched for (at `since`) is still the one signed in. Checked
// before the cache is opened, which would make it again after a sign-out deleted it, and again once it is
// open: a sign-out after that leaves the write in a cache no longer reachable by its name.
function keepIfStill(since, cacheName, key, response) {
  if (since !== generation) return Promise.resolve();
  return caches.open(cacheName).then(function (cache) {
    if (since === generation) return cache.put(key, response);
  });
}

function samePage(url) {
  // A note started offline carries its key in the address; the page itself is the same for every key.
  var parsed = new URL(url, self.location.origin);
  parsed.searchParams.delete("key");
  parsed.hash = "";
  return parsed.pathname + parsed.search;
}

function keep(url, since) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    // A redirect means the page is gone or the sign-in ended: keep nothing rather than the wrong page.
    if (response.ok && !response.redirected) return keepIfStill(since, PERSON_CACHE, samePage(url), response);
  });
}

// Each page a person opens asks for a refresh; one at a time, so two never race to rewrite the same copies.
var refreshing = null;
function refresh(person) {
  if (refreshing && refreshing.person === person && refreshing.since === generation) return refreshing.done;
  var done = fetchToday(person, generation).finally(function () { if (refreshing && refreshing.done === done) refreshing = null; });
  refreshing = { person: person, since: generation, done: done };
  return done;
}

function fetchToday(person, since) {
  return fetch(TODAY_URL, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok || response.redirected) throw new Error("not signed in");
      return response.json();
    })
    .then(function (today) {
      if (since !== generation) return;
      if (today.person !== person) return forgetEveryone();
      var wanted = today.pages.map(function (p) { return samePage(p.url); });
      // Whose the pages are is written first: each page kept opens offline from the moment it is kept,
      // not only once all of them are (a person can lose signal a second after signing in).
      return readMeta().then(function (before) {
        if (since !== generation) throw new Error("signed out meanwhile");
        var kept = before.person === person ? before : { pages: [] };
        return writeMeta({ person: person, pages: kept.pages, refreshedAt: kept.refreshedAt || 0 }, since);
      }).then(function () {
        if (since !== generation) return;
        return caches.open(PERSON_CACHE).then(function (cache) {
          return cache.keys().then(function (requests) {
            var stale = requests.filter(function (r) {
              var path = samePage(r.url);
              return wanted.indexOf(path) < 0 && path.indexOf("/observations/photos/") !== 0;
            });
            return Promise.all(stale.map(function (r) { return cache.delete(r); }));
          });
        }).then(function () {
          return Promise.all(wanted.map(function (url) { return keep(url, since).catch(function () {}); }));
        });
      }).then(function () {
        return writeMeta({ person: person, pages: wanted, refreshedAt: Date.now() }, since);
      });
    });
}

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === "person") {
    event.waitUntil(readMeta().then(function (meta) {
      if (meta.person && meta.person !== message.person) {
        // Someone else signed in on this phone: nothing of the last person's stays.
        return forgetEveryone().then(function () { return refresh(message.person); });
      }
      if (meta.person !== message.person || !meta.refreshedAt || Date.now() - meta.refreshedAt > REFRESH_AFTER_MS
          || message.refresh) {
        return refresh(message.person);
      }
    }).catch(function () {}));
  } else if (message.type === "keep" && message.url) {
    var since = generation;
    event.waitUntil(readMeta().then(function (meta) {
      if (!meta.person) return;
      var path = samePage(message.url);
      // The offline page lists what the phone has, so it is fetched again with the page it now lists.
      return Promise.all([keep(path, since), keep(OFFLINE_URL, since)]).then(function () {
        if (meta.pages.indexOf(path) < 0) meta.pages.push(path);
        return writeMeta(meta, since);
      });
    }).catch(function () {}));
  } else if (message.type === "signed-out") {
    event.waitUntil(forgetEveryone());
  }
});

// ---- answering requests --------------------------------------------------------------------------
self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Changes (POSTs) go straight from the page to the server: notes.js keeps them until they arrive, and
  // the worker has nothing to add.
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/observations/photos/") === 0) {
    event.respondWith(photo(request));
  }
});

function staticFile(request) {
  return caches.match(request).then(function (found) {
    if (found) return found;
    return fetch(request).then(function (response) {
      if (response.ok && new URL(request.url).searchParams.get("v")) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      // A page kept under an earlier release names an earlier copy: the current one will do.
      return caches.match(request, { ignoreSearch: true }).then(function (any) { return any || Response.error(); });
    });
  });
}

function keptCopy(request) {
  return readMeta().then(function (meta) {
    if (!meta.person) return null;
    return caches.match(samePage(request.url), { cacheName: PERSON_CACHE });
  });
}

function page(request) {
  var since = generation;
  var network = fetch(request).then(function (response) {
    var path = samePage(request.url);
    if (response.ok && !response.redirected) {
      readMeta().then(function (meta) {
        if (meta.person && meta.pages && meta.pages.indexOf(path) >= 0) {
          return keepIfStill(since, PERSON_CACHE, path, response.clone());
        }
      });
    }
    return response.clone();
  });
  // With signal that comes and goes, a kept page is shown after a few seconds rather than a spinner.
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_NETWORK_MS); }).then(function () {
    return keptCopy(request).then(function (kept) { return kept || network; });
  });
  return Promise.race([network, slow]).catch(function () {
    return keptCopy(request).then(function (kept) { return kept || offlinePage(); });
  });
}

function offlinePage() {
  return keptCopy(new Request(OFFLINE_URL)).then(function (kept) {
    if (kept) return kept;
    var css = SHELL.filter(function (u) { return u.indexOf("/css/") >= 0; })[0];
    var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
      "<title>Offline · Walkthrough</title><link rel=\"stylesheet\" href=\"" + css + "\"></head>" +
      "<body><main id=\"main\"><h1>You're offline</h1><p>This page isn't on this phone. Once you are signed " +
      "in and online, Walkthrough keeps today's visits and notes here so they open without signal.</p>" +
      "</main></body></html>";
    return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

function photo(request) {
  var since = generation;
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      readMeta().then(function (meta) {
        if (meta.person) return keepIfStill(since, PERSON_CACHE, request, copy);
      });
    }
    return response;
  }).catch(function () {
    return keptCopy(request).then(function (kept) { return kept || Response.error(); });
  });
}
