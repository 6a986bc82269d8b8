/* The field app's service worker (scope /field/): the app shell is cached so the page opens without network;
 * the JSON calls are never cached (the outbox in IndexedDB handles being offline). */
"use strict";
const CACHE = "urbangrid-{{ version }}";
const SHELL = {{ shell|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("urbangrid-") && key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/field/api/")) {
    return;
  }
  if (event.request.mode === "navigate") {
    // The page first from the network (it carries a fresh CSRF token), the cached shell when there is none.
    event.respondWith(fetch(event.request).then((response) => {
      if (response.ok && url.pathname === "/field/") {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put("/field/", copy));
      }
      return response;
    }).catch(() => caches.match("/field/")));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
  }
});
