// station-store.js — the station app's records on the device (IndexedDB "seawall-station"):
// each incident is written here first, under its client id (crypto.randomUUID(), which is
// also its submission key), with its photos as Blobs and their SHA-256, and leaves only once
// the server holds it and every photo. They survive closing the browser. States: "pending"
// (to send), "conflict" (the server holds other content under the key: both versions kept),
// "rejected" (the server's problems kept), "sent" (kept until sign-out, so a later edit is a
// re-send under the same key).
const DB = "seawall-station";
const RECORDS = "records";
let opening = null;

function db() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(RECORDS, { keyPath: "cid" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

async function tx(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const x = d.transaction(RECORDS, mode);
    const store = x.objectStore(RECORDS);
    let out;
    Promise.resolve(fn(store)).then((v) => { out = v; });
    x.oncomplete = () => resolve(out);
    x.onerror = () => reject(x.error);
    x.onabort = () => reject(x.error);
  });
}

function result(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function all() {
  return tx("readonly", (s) => result(s.getAll()));
}

export function get(cid) {
  return tx("readonly", (s) => result(s.get(cid)));
}

export function put(record) {
  return tx("readwrite", (s) => { s.put(record); });
}

export function remove(cid) {
  return tx("readwrite", (s) => { s.delete(cid); });
}

// A new incident for show: {cid, show, body, photos, state: "pending", created}.
export async function add(show, body, photos) {
  const cid = crypto.randomUUID();
  const record = { cid, show, body: { ...body, key: cid }, photos: photos || [],
    state: "pending", created: new Date().toISOString() };
  await put(record);
  return record;
}

// Changes a record's content (members of changes replace the body's): sent again under the
// same key, which the server answers as a conflict when the content differs.
export async function edit(cid, changes) {
  const r = await get(cid);
  if (!r) return null;
  r.body = { ...r.body, ...changes };
  r.state = "pending";
  delete r.conflict;
  await put(r);
  return r;
}

// Not yet wholly on the server: the record itself, or one of its photos.
export function isUnsent(r) {
  return r.state !== "sent" || r.photos.some((p) => !p.sent);
}

export async function unsent() {
  return (await all()).filter(isUnsent);
}

// Everything on this device, gone (sign-out once all is sent, or discarding on purpose).
export async function wipe() {
  await tx("readwrite", (s) => { s.clear(); });
  if (self.caches) {
    for (const k of await caches.keys()) {
      if (k.startsWith("seawall-station-data")) await caches.delete(k);
    }
  }
}
