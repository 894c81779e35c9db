// sw.js — the station app's service worker (registered by the station pages only, scope
// /station). It keeps the app's shell (the document, its modules and styles), the catalogue
// and the fair's data (the station, its show, its incidents, look-ups already made) so the
// pages open on a fair floor without a network. Every request still goes to the network
// first — the portal's files say no-cache, so a new release is seen at once — and the kept copy
// answers only when the network fails. Nothing but GETs of this origin is touched: incidents
// are sent by the pages, from IndexedDB, with their keys.
const SHELL = "seawall-station-shell-v1";
const DATA = "seawall-station-data-v1";
const FILES = [
  "/station", "/app.js", "/favicon.svg", "/i18n/zh-CN.json",
  "/style/main.css", "/style/inbox.css", "/style/cases.css", "/style/station.css",
  "/components/sw-header.js", "/components/sw-app-nav.js", "/components/sw-lang-switch.js",
  "/lib/api.js", "/lib/dom.js", "/lib/i18n.js", "/lib/router.js", "/lib/session.js",
  "/lib/forms.js", "/lib/format.js", "/lib/style.js", "/lib/countries.js",
  "/lib/station.js", "/lib/station-store.js", "/lib/station-terms.js",
  "/pages/registry.js", "/pages/notfound.js", "/pages/not-for-role.js", "/pages/failure.js",
  "/pages/signin.js",
  "/pages/station/home.js", "/pages/station/log.js", "/pages/station/queue.js",
  "/pages/station/escalate.js",
];
// The fair's data: kept per path (without the query, but for look-ups, kept with it).
const DATA_PATHS = [/^\/api\/v1\/stations\/\d+$/, /^\/api\/v1\/shows\/[^/]+$/,
  /^\/api\/v1\/shows\/[^/]+\/incidents$/, /^\/api\/v1\/shows\/[^/]+\/attendees$/,
  /^\/api\/v1\/parties$/, /^\/api\/v1\/incidents\/\d+$/];

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(SHELL).then((c) => Promise.all(FILES.map((f) =>
    c.add(new Request(f, { cache: "no-cache" })).catch(() => {})))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(caches.keys().then((keys) => Promise.all(keys
    .filter((k) => k.startsWith("seawall-station-") && k !== SHELL && k !== DATA)
    .map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

async function networkFirst(req, cacheName, fallbackKey) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(fallbackKey || req, res.clone());
    return res;
  } catch (e) {
    const kept = await cache.match(fallbackKey || req);
    if (kept) return kept;
    throw e;
  }
}

self.addEventListener("fetch", (ev) => {
  const req = ev.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    // Every portal path answers the one document: kept under /station.
    ev.respondWith(networkFirst(req, SHELL, "/station"));
  } else if (url.pathname.startsWith("/api/")) {
    if (DATA_PATHS.some((re) => re.test(url.pathname))) {
      ev.respondWith(networkFirst(req, DATA, url.pathname + url.search));
    }
  } else {
    ev.respondWith(networkFirst(req, SHELL, url.pathname));
  }
});

// Background Sync: the open station pages send what waits (they hold the session's token).
self.addEventListener("sync", (ev) => {
  if (ev.tag !== "seawall-station") return;
  ev.waitUntil(self.clients.matchAll({ type: "window" }).then((list) => {
    for (const c of list) c.postMessage("seawall-sync");
  }));
});
