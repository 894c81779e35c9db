// session.js — who is signed in. The session cookie is HttpOnly, so the page keeps a hint in
// localStorage that one may exist and asks the API (GET /api/v1/session) only then, or when a
// signed-in page is opened: an anonymous visitor's pages make no session request at all.
import * as api from "./api.js";

const HINT = "seawall.session";
// A station person is kept on the device too, so the station app opens on a fair floor
// without a network (the pages then work from what the device holds). A session that ended
// (a closed browser ends it) leaves it; signing out, or another person signing in, removes it.
const KEPT = "seawall.station.person";
let person = null;
let listeners = [];

function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, "1");
    else localStorage.removeItem(HINT);
  } catch {
    // Without storage the session is asked for on signed-in pages only.
  }
}

function hinted() {
  try {
    return localStorage.getItem(HINT) === "1";
  } catch {
    return false;
  }
}

function keep(p) {
  try {
    if (p) localStorage.setItem(KEPT, JSON.stringify(p));
    else localStorage.removeItem(KEPT);
  } catch {
    // Without storage the station app needs the network to open.
  }
}

function keptPerson() {
  try {
    return JSON.parse(localStorage.getItem(KEPT) || "null");
  } catch {
    return null;
  }
}

function changed() {
  for (const fn of listeners) fn(person);
}

export function onChange(fn) {
  listeners.push(fn);
}

export function current() {
  return person;
}

// Takes over a signed-in answer ({person, csrf_token}) from sign-in, verification or an
// accepted invitation.
export function adopt(answer) {
  person = answer.person || null;
  api.setCsrf(answer.csrf_token);
  hint(person !== null);
  keep(person?.role === "station" ? person : null);
  changed();
  return person;
}

export function forget() {
  const had = person !== null;
  person = null;
  api.setCsrf(null);
  hint(false);
  if (had) changed();
}

// The signed-in person, asking the API when a session may exist (or always, with force).
// A 401 (or a server without sessions, 404) means nobody is signed in.
export async function load(force = false) {
  if (person) return person;
  if (!force && !hinted()) return null;
  if (!navigator.onLine && keptPerson()) {
    person = keptPerson();   // known offline: no request that cannot succeed
    changed();
    return person;
  }
  try {
    return adopt(await api.get("/api/v1/session"));
  } catch (e) {
    if (e instanceof api.ApiError && (e.status === 401 || e.status === 404)) {
      forget();
      return null;
    }
    const kept = e instanceof api.ApiError && e.status === 0 ? keptPerson() : null;
    if (kept) {
      person = kept;
      changed();
      return person;
    }
    throw e;
  }
}

export async function signOut() {
  try {
    await api.del("/api/v1/session");
  } finally {
    keep(null);
    forget();
  }
}
