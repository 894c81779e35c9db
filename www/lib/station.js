// station.js — what the station pages share: the fair this station serves (read from the API
// and kept on the device for offline use), sending the records logged on the device in one
// idempotent batch (on start, when the network returns, and by Background Sync where the
// browser has it), photos uploaded as each incident's evidence, and the service worker.
import * as api from "./api.js";
import * as router from "./router.js";
import * as session from "./session.js";
import * as store from "./station-store.js";

const FAIR = "seawall.station.fair";
const PHOTO_PIXELS = 2000000;
let syncing = null;
const listeners = new Set();

// The service worker (www/sw.js) keeps the app, the catalogue and the fair's data; only the
// station pages register it, for their own paths.
export function register() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/station" }).catch(() => {});
  navigator.serviceWorker.addEventListener?.("message", (ev) => {
    if (ev.data === "seawall-sync") sync();
  });
}

// fn(summary) after each send and each local change.
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function changed() {
  const records = await store.all();
  for (const fn of listeners) fn(records);
}

// {station, show} for the signed-in station person: from the API, else as last kept here.
export async function fair(person) {
  const kept = () => {
    const k = JSON.parse(localStorage.getItem(FAIR) || "null");
    return k && k.station.id === person.subject ? { ...k, offline: true } : null;
  };
  if (!navigator.onLine && kept()) return kept();
  try {
    const station = await api.get(`/api/v1/stations/${person.subject}`);
    const show = await api.get(`/api/v1/shows/${encodeURIComponent(station.show)}`);
    const out = { station, show };
    localStorage.setItem(FAIR, JSON.stringify(out));
    return out;
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 0 || !kept()) throw e;
    return kept();
  }
}

// The device's time now as ISO 8601 with its own offset (the API wants one).
export function deviceTime(d = new Date()) {
  const off = -d.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const local = new Date(d.getTime() + off * 60000).toISOString().slice(0, 19);
  return `${local}${off >= 0 ? "+" : "-"}${pad(off / 60)}:${pad(off % 60)}`;
}

// A camera photo scaled to at most 2 megapixels (JPEG), with its SHA-256 in hex.
export async function preparePhoto(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, Math.sqrt(PHOTO_PIXELS / (bitmap.width * bitmap.height)));
  const w = Math.max(1, Math.floor(bitmap.width * scale));
  const hgt = Math.max(1, Math.floor(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = hgt;
  canvas.getContext("2d").drawImage(bitmap, 0, 0, w, hgt);
  // A small preview as a data: URL (the portal's CSP allows data: images, not blob:).
  const thumb = document.createElement("canvas");
  const ts = Math.min(1, 192 / Math.max(w, hgt));
  thumb.width = Math.max(1, Math.round(w * ts));
  thumb.height = Math.max(1, Math.round(hgt * ts));
  thumb.getContext("2d").drawImage(bitmap, 0, 0, thumb.width, thumb.height);
  bitmap.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  const base = (file.name || "photo").replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]/g, "_") || "photo";
  return { name: `${base}.jpg`, sha256, size: blob.size, width: w, height: hgt, blob,
    preview: thumb.toDataURL("image/jpeg", 0.7) };
}

async function refreshSession() {
  session.adopt(await api.get("/api/v1/session"));
}

async function uploadPhotos(record) {
  for (const p of record.photos) {
    if (p.sent) continue;
    await api.request("POST", `/api/v1/incidents/${record.id}/evidence`,
      { raw: p.blob, type: "image/jpeg", query: { name: p.name, sha256: p.sha256 } });
    p.sent = true;
    await store.put(record);
  }
}

async function sendAll() {
  const records = (await store.all()).filter((r) => r.state === "pending");
  const photosLeft = (await store.all()).filter((r) => r.state === "sent" &&
    r.photos.some((p) => !p.sent));
  if (!records.length && !photosLeft.length) return { sent: 0 };
  await refreshSession();
  const byShow = new Map();
  for (const r of records) {
    if (!byShow.has(r.show)) byShow.set(r.show, []);
    byShow.get(r.show).push(r);
  }
  let sent = 0;
  for (const [show, list] of byShow) {
    const answer = await api.post(`/api/v1/shows/${encodeURIComponent(show)}/incidents/batch`,
      { incidents: list.map((r) => r.body) });
    for (const [i, res] of answer.results.entries()) {
      const r = list[i];
      if (res.status === "stored" || res.status === "duplicate") {
        r.state = "sent";
        r.id = res.id;
        delete r.errors;
        sent += 1;
      } else if (res.status === "conflict") {
        r.state = "conflict";
        r.id = res.id;
        r.conflict = { stored: res.stored, sent: res.sent, differs: res.differs || [],
          sent_sha256: res.sent_sha256 };
      } else {
        r.state = "rejected";
        r.errors = res.errors || [];
      }
      await store.put(r);
    }
  }
  for (const r of await store.all()) {
    if (r.state === "sent" && r.photos.some((p) => !p.sent)) await uploadPhotos(r);
  }
  return { sent };
}

// A send that failed for any reason but an ended session is tried again, sooner first: the
// "online" event can come before the network really carries requests (a captive portal, a
// link still coming up), and no other event would follow.
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 30000;
let retryMs = RETRY_FIRST_MS;
let retryTimer = null;

function retryLater() {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    sync();
  }, retryMs);
  retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
}

// Sends what waits, once at a time; never throws (a failed send leaves the records waiting).
export function sync() {
  if (!navigator.onLine) return Promise.resolve({ sent: 0, offline: true });
  if (!syncing) {
    syncing = sendAll().then((r) => {
      retryMs = RETRY_FIRST_MS;
      return r;
    }, (e) => {
      // The session ended while the device was away (a browser closed ends it): the records
      // stay here and are sent once the person has signed in again.
      if (e instanceof api.ApiError && e.status === 401 && session.current()) {
        session.forget();
        router.navigate(`/signin?next=${encodeURIComponent(location.pathname)}`, { replace: true });
      } else {
        retryLater();
      }
      return { error: e };
    }).finally(async () => {
      syncing = null;
      await changed();
    });
  }
  return syncing;
}

// Settles a conflict: keep the server's version (resolves alone) or take this device's (the
// members that differ, with resolves). Either way the record counts as sent.
export async function resolve(record, take) {
  const c = record.conflict;
  const body = { resolves: c.sent_sha256 };
  if (take === "mine") {
    for (const k of c.differs) if (k in c.sent) body[k] = c.sent[k];
  }
  await refreshSession();
  await api.patch(`/api/v1/incidents/${record.id}`, body);
  record.state = "sent";
  if (take !== "mine") record.body = { ...record.body, ...pick(c.stored, c.differs) };
  delete record.conflict;
  await store.put(record);
  await changed();
  if (record.photos.some((p) => !p.sent)) sync();
}

function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj && k in obj) out[k] = obj[k];
  return out;
}

// Sending starts now, again whenever the network returns, and by Background Sync.
let started = false;
export function start() {
  if (started) return;
  started = true;
  window.addEventListener("online", () => sync());
  navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("seawall-station"))
    .catch(() => {});
  sync();
}

// Asks Background Sync to send once the network is back (after a record is written).
export function later() {
  navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("seawall-station"))
    .catch(() => {});
}
