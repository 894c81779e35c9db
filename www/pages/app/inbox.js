// app/inbox.js — the exporter's early warnings, one entry per event, newest first: filters and
// a search kept in the address (so links, Back and Forward work), cursor paging that loads one
// page at a time however many alerts there are, status changes for a selection or for every
// alert matching the filters, and new alerts arriving live. Two API requests and one stream.
import "../../components/sw-inbox-entry.js";
import "../../components/sw-inbox-live.js";
import "../../components/sw-pager.js";
import { SEVERITIES, severityLabel } from "../../components/sw-severity.js";
import { INBOX_KEY, touched } from "../../components/sw-inbox-entry.js";
import * as api from "../../lib/api.js";
import { EVENT_TYPES, typeWord } from "../../lib/alert-words.js";
import { MARKETS, options } from "../../lib/countries.js";
import { h, data } from "../../lib/dom.js";
import { field, showProblem, summary } from "../../lib/forms.js";
import { number } from "../../lib/format.js";
import { t, tn, timeZone } from "../../lib/i18n.js";

const PAGE = 25;
const PATH = "/app/inbox";
// The filters an address may carry, in the order they are written.
const KEYS = ["q", "severity", "status", "type", "country", "since", "until", "item"];

// The filters of the address: {q, severity, …} ("" when absent) and the cursor.
function filtersOf(query) {
  const f = {};
  for (const k of KEYS) f[k] = (query.get(k) || "").trim();
  return f;
}

function address(f, cursor) {
  const q = new URLSearchParams();
  for (const k of KEYS) if (f[k]) q.set(k, f[k]);
  if (cursor) q.set("cursor", cursor);
  const s = q.toString();
  return s ? `${PATH}?${s}` : PATH;
}

// The offset of zone from UTC at instant ms, in ms.
function zoneOffset(ms, zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    second: "2-digit" }).formatToParts(new Date(ms))) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute,
    parts.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// The instant a calendar day ("2026-12-01", plus days) begins where the person is, as ISO
// 8601; the text as it is when it is no date (the API then says what is wrong with it).
function dayStart(ymd, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const zone = timeZone() || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  let at = local - zoneOffset(local, zone);
  at = local - zoneOffset(at, zone);
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// The statuses a filter asks for: none given means everything but what was dismissed.
function statusesOf(f) {
  if (f.status === "all") return "";
  return f.status || "new,read";
}

// The filter as the API takes it (GET /api/v1/alerts and "mark all").
function apiFilter(f) {
  const out = {};
  if (f.q) out.q = f.q;
  if (f.severity) out.severity = f.severity;
  const st = statusesOf(f);
  if (st) out.status = st;
  if (f.type) out.type = f.type;
  if (f.country) out.country = f.country;
  if (f.since) out.since = dayStart(f.since);
  if (f.until) out.until = dayStart(f.until, 1);   // the whole of the last day
  if (f.item) out.item = /^\d+$/.test(f.item) ? Number(f.item) : f.item;
  return out;
}

// Case-folded words: as the search folds them (NFKC, lower case, punctuation as space).
function fold(s) {
  return String(s ?? "").normalize("NFKC").toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, " ");
}

// Whether a live alert belongs in the list the filters show (the search as near as the page
// can tell: every word somewhere in what the alert says).
function matches(a, f) {
  const ev = a.event || {};
  const among = (list, v) => !list || list.split(",").includes(String(v ?? ""));
  if (!among(f.severity, a.severity) || !among(statusesOf(f), a.status) ||
      !among(f.type, ev.type) || !among(f.country, ev.jurisdiction)) return false;
  if (f.item && !(a.item_ids || []).map(String).includes(f.item)) return false;
  const at = Date.parse(a.created_at);
  if (f.since && !(at >= Date.parse(dayStart(f.since)))) return false;
  if (f.until && !(at < Date.parse(dayStart(f.until, 1)))) return false;
  if (f.q) {
    const hay = fold([ev.title, ev.text, ev.goods, ...(ev.marks || []),
      ...(ev.parties || []).map((p) => p.name), ...Object.values(ev.numbers || {}).flat(),
      ...touched(a).map((i) => i.text ?? i.number ?? i.show),
      ...(a.items || []).flatMap((i) => i.event_texts || [])].join(" "));
    if (!fold(f.q).split(" ").filter(Boolean).every((w) => hay.includes(w))) return false;
  }
  return true;
}

function filterForm(ctx, f) {
  const active = ["severity", "status", "type", "country", "since", "until"]
    .filter((k) => f[k]).length;
  const markets = [...new Set([...(f.country && !MARKETS.includes(f.country) ? [f.country] : []),
    ...MARKETS])];
  const form = h("form", { class: "filters inbox-filters", role: "search", action: PATH,
    method: "get", novalidate: true, "aria-label": t("Filter early warnings"),
    onsubmit: (ev) => {
      ev.preventDefault();
      const v = Object.fromEntries(new FormData(form).entries());
      const next = {};
      for (const k of KEYS) next[k] = String(v[k] ?? f[k] ?? "").trim();
      ctx.navigate(address(next));
    } },
  summary(),
  field({ name: "q", type: "search", label: t("Search"), value: f.q, maxlength: "200",
    hint: t("Words in the title, the parties, the marks or your items. Every word must appear."),
    spellcheck: "false" }),
  h("details", { class: "more-filters", open: active > 0 },
    h("summary", {}, active ? t("Filters ({n} in use)", { n: number(active) })
      : t("Filters")),
    h("div", { class: "filter-grid" },
      field({ name: "severity", label: t("Severity"), value: f.severity,
        options: [{ value: "", label: t("All severities") },
          ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))] }),
      field({ name: "status", label: t("Status"), value: f.status,
        options: [{ value: "", label: t("New and read") }, { value: "new", label: t("New") },
          { value: "read", label: t("Read") }, { value: "dismissed", label: t("Dismissed") },
          { value: "all", label: t("All, dismissed too") }] }),
      field({ name: "type", label: t("Kind of event"), value: f.type,
        options: [{ value: "", label: t("All kinds") },
          ...EVENT_TYPES.map((e) => ({ value: e, label: typeWord(e) }))] }),
      field({ name: "country", label: t("Country or region"), value: f.country,
        options: [{ value: "", label: t("All countries and regions") }, ...options(markets),
          { value: "WO", label: t("WIPO (international)") },
          { value: "EP", label: t("European Patent Office") }] }),
      field({ name: "since", type: "date", label: t("Arrived from"), value: f.since }),
      field({ name: "until", type: "date", label: t("Arrived until"), value: f.until }))),
  h("div", { class: "filter-actions" },
    h("button", { type: "submit", class: "button" }, t("Show early warnings")),
    KEYS.some((k) => f[k]) ? h("a", { href: PATH }, t("Clear filters")) : null));
  return form;
}

export default async function inbox(ctx) {
  const f = filtersOf(ctx.query);
  const cursor = ctx.query.get("cursor") || "";
  try {
    sessionStorage.setItem(INBOX_KEY, address(f, cursor));
  } catch {
    // Without storage the comparison leads back to the inbox's first page.
  }
  const form = filterForm(ctx, f);
  let page = { items: [], next: null };
  let problem = null;
  try {
    page = await api.get("/api/v1/alerts", { ...apiFilter(f), cursor, limit: PAGE });
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 400) throw e;
    problem = e.problem;   // a filter the API cannot read: said at its field below
  }
  const filtered = KEYS.some((k) => f[k]);
  const shown = new Map();   // alert id → its <sw-inbox-entry>
  const pending = [];        // live alerts not yet shown, newest first
  const list = h("ul", { class: "alert-list" });
  const empty = h("p", { class: "empty" });
  const announce = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const status = h("p", { class: "bulk-status", role: "status", "aria-live": "polite" });
  const more = h("div", { class: "new-alerts" });
  const all = h("input", { type: "checkbox", id: "select-page", class: "alert-select" });
  let announceTimer = null;

  function entry(a) {
    const el = h("sw-inbox-entry", { selectable: true });
    el.alert = a;
    shown.set(a.id, el);
    return h("li", {}, el);
  }

  function showEmpty() {
    const none = shown.size === 0;
    empty.hidden = !none;
    if (!none) return;
    if (page.next) {
      empty.replaceChildren(t("None of the early warnings looked at for this page match. Older ones may: go on to the older page."));
    } else if (filtered) {
      empty.replaceChildren(t("No early warnings match these filters."));
    } else {
      empty.replaceChildren(t("No early warnings yet. Seawall warns you here when a trademark application, lawsuit, customs detention or other event abroad touches your watch list."),
        " ", h("a", { href: "/app/portfolio" }, t("Add to your watch list")));
    }
  }

  for (const a of page.items) list.append(entry(a));
  showEmpty();

  function selected() {
    return [...list.querySelectorAll("input[name=alert]:checked")].map((b) => b.value);
  }

  function syncAll() {
    const boxes = [...list.querySelectorAll("input[name=alert]")];
    const on = boxes.filter((b) => b.checked).length;
    all.checked = boxes.length > 0 && on === boxes.length;
    all.indeterminate = on > 0 && on < boxes.length;
  }

  all.addEventListener("change", () => {
    for (const b of list.querySelectorAll("input[name=alert]")) b.checked = all.checked;
    syncAll();
  });
  list.addEventListener("change", (ev) => {
    if (ev.target.name === "alert") syncAll();
  });

  function say(text) {
    status.replaceChildren(text);
  }

  const DONE = {
    read: (n) => tn("{n} early warning marked as read.", "{n} early warnings marked as read.", n,
      { n: number(n) }),
    dismissed: (n) => tn("{n} early warning dismissed.", "{n} early warnings dismissed.", n,
      { n: number(n) }),
    new: (n) => tn("{n} early warning marked as new.", "{n} early warnings marked as new.", n,
      { n: number(n) }),
  };

  async function setSelected(to, button) {
    const ids = selected();
    if (!ids.length) {
      say(t("Select one or more early warnings first."));
      return;
    }
    button.disabled = true;
    try {
      const r = await api.post("/api/v1/alerts/status", { ids, status: to });
      // Those that had the status already have it still: all of them are as asked.
      const done = [...(r.updated || []), ...(r.unchanged || [])];
      for (const id of done) shown.get(id)?.setStatus(to);
      for (const b of list.querySelectorAll("input[name=alert]:checked")) b.checked = false;
      syncAll();
      say(DONE[to](done.length));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      say(data(e.problem.detail || e.problem.title));
    } finally {
      button.disabled = false;
    }
  }

  // "Mark all": every alert the filters match, in steps (each answers how many changed and
  // where to go on), with the running count shown; Stop ends it between steps.
  let running = null;
  async function setAll(to, button) {
    if (running) return;
    const filter = apiFilter(f);
    const progress = h("progress", { class: "bulk-progress", "aria-label": t("Progress") });
    const stop = h("button", { type: "button", class: "button secondary",
      onclick: () => { running.stopped = true; } }, t("Stop"));
    running = { stopped: false };
    let changed = 0;
    let next = null;
    const buttons = [...bulk.querySelectorAll("button")];
    for (const b of buttons) b.disabled = true;
    bulk.append(h("div", { class: "bulk-running" }, progress, stop));
    say(t("Working through the early warnings that match…"));
    try {
      do {
        const body = { filter, status: to };
        if (next) body.cursor = next;
        const r = await api.post("/api/v1/alerts/status", body);
        changed += r.changed || 0;
        next = r.next;
        if (next) say(t("{n} changed so far; going on…", { n: number(changed) }));
      } while (next && !running.stopped);
      for (const el of shown.values()) {
        if (matches(el.alert, f) && el.alert.status !== to) el.setStatus(to);
      }
      say(running.stopped && next
        ? tn("Stopped: {n} early warning changed.", "Stopped: {n} early warnings changed.",
          changed, { n: number(changed) })
        : DONE[to](changed));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      say(data(e.problem.detail || e.problem.title));
    } finally {
      progress.parentNode?.remove();
      for (const b of buttons) b.disabled = false;
      running = null;
      button.focus();
    }
  }

  const action = (label, fn, to, cls = "button secondary") => {
    const b = h("button", { type: "button", class: cls, onclick: () => fn(to, b) }, label);
    return b;
  };
  const bulk = h("div", { class: "bulk", role: "group", "aria-labelledby": "bulk-title" },
    h("h2", { id: "bulk-title", class: "visually-hidden" }, t("Change the status of early warnings")),
    h("div", { class: "bulk-row" },
      h("span", { class: "check-all" }, all, h("label", { for: "select-page" }, t("Select all on this page"))),
      h("span", { class: "bulk-label" }, t("Selected:")),
      action(t("Mark as read"), setSelected, "read"),
      action(t("Dismiss"), setSelected, "dismissed"),
      action(t("Mark as new"), setSelected, "new")),
    h("div", { class: "bulk-row" },
      h("span", { class: "bulk-label" }, filtered ? t("Every early warning matching these filters:")
        : t("Every early warning in the inbox:")),
      action(t("Mark all as read"), setAll, "read"),
      action(t("Dismiss all"), setAll, "dismissed")),
    status);

  // Live arrivals: counted and announced; shown when the reader asks, so that the list never
  // moves under their focus.
  function renderMore() {
    if (!pending.length) {
      more.replaceChildren();
      return;
    }
    const n = pending.length;
    const label = tn("Show {n} new early warning", "Show {n} new early warnings", n,
      { n: number(n) });
    // The control there is kept and only relabelled, so that a reader whose focus is on it
    // (or whose click is on its way) does not lose it when one more arrives.
    const kept = more.firstElementChild;
    if (kept && kept.tagName === (cursor ? "A" : "BUTTON")) {
      kept.textContent = label;
      return;
    }
    more.replaceChildren(cursor
      ? h("a", { href: address(f), class: "button" }, label)
      : h("button", { type: "button", class: "button", onclick: showPending }, label));
  }

  function showPending() {
    const fresh = pending.splice(0).filter((a) => !shown.has(a.id));
    const items = fresh.map(entry);
    list.prepend(...items);
    for (const li of items) li.classList.add("arrived");
    renderMore();
    showEmpty();
    syncAll();
    items[0]?.querySelector(".card-title a")?.focus();
  }

  function arrived(ev) {
    const a = ev.detail;
    if (shown.has(a.id) || pending.some((p) => p.id === a.id) || !matches(a, f)) return;
    pending.unshift(a);
    renderMore();
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      const n = pending.length;
      if (n) announce.replaceChildren(tn("{n} new early warning has arrived.", "{n} new early warnings have arrived.", n, { n: number(n) }));
    }, 1500);
  }

  // Alerts were missed while the stream was away: the first page again, from the API.
  async function gap() {
    if (cursor) {
      more.replaceChildren(h("a", { href: address(f), class: "button" },
        t("New early warnings may have arrived: show the newest")));
      return;
    }
    try {
      const fresh = await api.get("/api/v1/alerts", { ...apiFilter(f), limit: PAGE });
      const known = new Set(shown.keys());
      for (const a of fresh.items.reverse()) {
        if (!known.has(a.id) && !pending.some((p) => p.id === a.id)) pending.unshift(a);
      }
      renderMore();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
    }
  }

  const pager = h("sw-pager");
  pager.first = cursor ? address(f) : null;
  pager.older = page.next ? address(f, page.next) : null;

  const live = h("sw-inbox-live");
  const results = h("section", { class: "results", "aria-labelledby": "results-title" },
  h("h2", { id: "results-title", class: "visually-hidden" }, t("Early warnings")),
  live, announce, more, bulk, list, empty, pager);
  results.addEventListener("sw-live-alert", arrived);
  results.addEventListener("sw-live-gap", gap);

  const view = h("div", { class: "page inbox" },
    h("h1", { tabindex: "-1" }, t("Inbox")),
    h("p", { class: "lead" }, t("Early warnings about your watch list, one for each event abroad, with every item it touches. Open one to compare it with your item.")),
    f.item ? h("p", { class: "notice" }, t("Only early warnings that touch one item of your watch list are shown."), " ",
      h("a", { href: address({ ...f, item: "" }) }, t("Show all"))) : null,
    form, results);
  if (problem) showProblem(form, problem);
  return view;
}
