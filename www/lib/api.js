// api.js — the one module that talks to Seawall's API. Every answer that is not a success
// becomes an ApiError holding an RFC 9457 problem ({type, title, status, detail, errors}),
// whatever the server or the network did. Unsafe requests carry the session's CSRF token;
// a 401 outside sign-in tells the app, which sends the person to the sign-in page.
import { current, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "request failed");
    this.problem = problem;
    this.status = problem.status;
  }

  // The slug of urn:seawall:problem:<slug>, or "".
  get slug() {
    const m = /^urn:seawall:problem:(.+)$/.exec(this.problem.type || "");
    return m ? m[1] : "";
  }
}

let csrf = null;
let unauthorized = () => {};

export function setCsrf(token) {
  csrf = token || null;
}

// fn(problem) runs when a request outside the session routes answers 401.
export function onUnauthorized(fn) {
  unauthorized = fn;
}

function url(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== null && v !== undefined && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function problemOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (body && typeof body === "object" && (body.type || body.title)) {
    return { ...body, status: body.status || res.status };
  }
  return {
    type: "about:blank",
    status: res.status,
    title: t("The service answered with an error"),
    detail: t("The service answered with HTTP status {status}. Try again in a moment.",
      { status: res.status }),
  };
}

// body is sent as JSON; raw (a Blob, ArrayBuffer …) is sent as it is, as type.
export async function request(method, path, { body, raw, type, query, signal } = {}) {
  const headers = { Accept: "application/json, application/problem+json",
    "Accept-Language": current() };
  const init = { method, headers, credentials: "same-origin", signal };
  if (raw !== undefined) {
    headers["Content-Type"] = type;
    init.body = raw;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (method !== "GET" && method !== "HEAD" && csrf) headers["X-CSRF-Token"] = csrf;
  let res;
  try {
    res = await fetch(url(path, query), init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError({
      type: "urn:seawall:problem:network", status: 0,
      title: t("No connection"),
      detail: t("Seawall could not be reached. Check your connection and try again."),
    });
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && !path.startsWith("/api/v1/session")) unauthorized(problem);
    throw new ApiError(problem);
  }
  if (res.status === 204 || res.status === 202) {
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }
  return res.json();
}

export const get = (path, query, opts) => request("GET", path, { ...opts, query });
export const post = (path, body, opts) => request("POST", path, { ...opts, body });
export const patch = (path, body, opts) => request("PATCH", path, { ...opts, body });
export const del = (path, opts) => request("DELETE", path, opts);

// Every item of a cursor-paged list (GET path with query, following "next" until it ends).
export async function getAll(path, query = {}) {
  const items = [];
  let cursor = "";
  do {
    const page = await get(path, { ...query, cursor });
    items.push(...page.items);
    cursor = page.next || "";
  } while (cursor);
  return items;
}

// Sends body (a File or Blob) as the raw request body with POST, for uploads: as request, but
// onprogress(sent, total) follows the upload (fetch cannot tell), so it goes through
// XMLHttpRequest. Resolves to the JSON answer; rejects with an ApiError.
export function upload(path, body, { query, onprogress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url(path, query));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    xhr.setRequestHeader("Accept-Language", current());
    xhr.setRequestHeader("Content-Type", body.type || "application/octet-stream");
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.responseType = "text";
    if (onprogress) xhr.upload.onprogress = (ev) => onprogress(ev.loaded, ev.total || body.size);
    xhr.onerror = () => reject(new ApiError({
      type: "urn:seawall:problem:network", status: 0,
      title: t("No connection"),
      detail: t("Seawall could not be reached. Check your connection and try again."),
    }));
    xhr.onload = async () => {
      const res = new Response(xhr.status === 204 ? null : xhr.responseText,
        { status: xhr.status, headers: { "Content-Type":
          xhr.getResponseHeader("Content-Type") || "application/json" } });
      if (!res.ok) {
        const problem = await problemOf(res);
        if (res.status === 401) unauthorized(problem);
        reject(new ApiError(problem));
        return;
      }
      resolve(await res.json());
    };
    xhr.send(body);
  });
}
