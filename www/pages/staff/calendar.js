// staff/calendar.js — the deadline calendar (/staff/calendar): every open legal deadline of the
// centre's cases (an expert's: those assigned to them) by the forum's own day, a week at a time
// (?date= any day of it) or one day (?view=day), each with its case, kind, rule and source,
// forum and when it ends in the person's zone; the next eight weeks' counts as links; and the
// person's iCalendar feed at a secret URL, shown once when made, with copy, a new URL (the old
// one ends) and stopping it. Two API requests besides the session: the deadlines of the eight
// weeks, and whether a feed is active.
import * as api from "../../lib/api.js";
import { KINDS, STATES, caseHref, ruleEl, term } from "../../lib/console-terms.js";
import { h, data, replace } from "../../lib/dom.js";
import { countryEl, numberEl, timeEl } from "../../lib/format.js";
import { current, t, timeZone, tn, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const PATH = "/staff/calendar";
const WEEKS = 8;
const DAY_MS = 86400e3;

// Days are calendar days ("2026-12-04"), the same everywhere: computed at noon UTC.
function parseDay(s) {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s || "") ? new Date(`${s}T12:00:00Z`) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}
const ymd = (d) => d.toISOString().slice(0, 10);
const addDays = (d, n) => new Date(d.getTime() + n * DAY_MS);
const monday = (d) => addDays(d, -((d.getUTCDay() + 6) % 7));

// Today where the person is.
function today() {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone(),
    year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return parseDay(parts) || parseDay(new Date().toISOString().slice(0, 10));
}

function dayName(d, style = "full") {
  return new Intl.DateTimeFormat(current(), { timeZone: "UTC", dateStyle: style }).format(d);
}

function weekLabel(start) {
  const f = new Intl.DateTimeFormat(current(), { timeZone: "UTC", month: "short", day: "numeric" });
  return f.formatRange(start, addDays(start, 6));
}

function address(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${PATH}?${s}` : PATH;
}

function item(x) {
  return h("li", { class: "cal-item", "data-case": x.case_id, "data-deadline": x.deadline_id },
    h("p", { class: "cal-head" },
      h("a", { href: caseHref(x.case_id) }, t("Case #{id}", { id: x.case_id })), " · ",
      h("strong", {}, term(KINDS, x.kind)),
      x.manual ? h("span", { class: "case-meta" }, " ", t("set by hand")) : null),
    h("p", { class: "cal-when" }, tnodes("Ends {when} in your time zone", { when: timeEl(x.at) })),
    h("p", { class: "case-meta" }, data(x.opposing_party || ""), x.forum ? [" · ", data(x.forum)] : null,
      x.country ? [" · ", countryEl(x.country)] : null, " · ", term(STATES, x.state)),
    x.rule ? h("p", { class: "cal-rule" }, ruleEl(x.rule, x.source)) : null);
}

function dayBlock(d, items, headingLevel = "h3") {
  const iso = ymd(d);
  return h("li", { class: "cal-day", "data-date": iso },
    h(headingLevel, { id: `day-${iso}` }, h("time", { datetime: iso, "data-text": "intl" }, dayName(d))),
    items.length ? h("ul", { class: "cal-items", "aria-labelledby": `day-${iso}` }, items.map(item))
      : h("p", { class: "empty" }, t("No deadline ends on this day.")));
}

// The feed: whether one is active, and making, replacing or ending it. The URL is shown once.
function feedSection(state) {
  const box = h("div", { class: "feed-box" });
  const status = h("p", { class: "visually-hidden", role: "status" });
  let active = !!state?.active;
  let since = state?.created_at || null;

  async function make() {
    try {
      const r = await api.post("/api/v1/me/calendar-url");
      active = true;
      since = new Date().toISOString();
      render(r.url || new URL(r.path, location.origin).href);
      status.textContent = t("Your feed URL is ready: copy it now, it will not be shown again.");
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      failed(e);
    }
  }
  async function stop() {
    try {
      await api.del("/api/v1/me/calendar-url");
      active = false;
      render(null);
      status.textContent = t("Your feed has been stopped: its URL no longer answers.");
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      failed(e);
    }
  }
  function failed(e) {
    box.append(data(e.problem.detail || e.problem.title, "p", { class: "notice error" }));
  }
  function render(url) {
    const parts = [];
    if (url) {
      const input = h("input", { type: "text", readonly: true, value: url, id: "feed-url", class: "feed-url",
        "data-text": "data", "aria-describedby": "feed-url-hint", spellcheck: "false" });
      const copied = h("span", { class: "copied", "aria-live": "polite" });
      parts.push(h("div", { class: "notice success shown-once" },
        h("label", { for: "feed-url" }, t("Your feed URL")),
        h("p", { class: "hint", id: "feed-url-hint" }, t("Shown this once: Seawall keeps only a fingerprint of it. Paste it into Outlook, Google Calendar or Apple Calendar as a calendar to subscribe to. Anyone with the URL can read your deadlines.")),
        h("div", { class: "copy-row" }, input,
          h("button", { type: "button", class: "button secondary", onclick: async () => {
            input.select();
            try {
              await navigator.clipboard.writeText(url);
              copied.textContent = t("Copied.");
            } catch {
              copied.textContent = t("Select the address and copy it with your keyboard.");
            }
          } }, t("Copy"))),
        copied));
    }
    parts.push(active
      ? h("p", {}, since ? tnodes("Your feed is active since {when}.", { when: timeEl(since) })
        : t("Your feed is active."))
      : h("p", {}, t("You have no calendar feed.")));
    parts.push(h("div", { class: "form-actions split" },
      h("button", { type: "button", class: "button make-feed", onclick: make },
        active ? t("Make a new URL (the old one stops working)") : t("Make my feed URL")),
      active ? h("button", { type: "button", class: "button secondary stop-feed", onclick: stop }, t("Stop the feed")) : null));
    replace(box, ...parts);
    if (url) box.querySelector("input.feed-url").focus();
  }
  render(null);
  return h("section", { class: "panel", "aria-labelledby": "feed" },
    h("h2", { id: "feed" }, t("Your calendar feed")),
    h("p", {}, t("The deadlines of the cases you see, from 30 days ago to 400 days ahead, as an iCalendar feed your calendar program reads at a secret address. Each ends at the last second of the forum's day, with a reminder before.")),
    box, status);
}

export default async function calendar(ctx) {
  await loadStyle("console");
  const view = ctx.query.get("view") === "day" ? "day" : "week";
  const date = parseDay(ctx.query.get("date")) || today();
  const start = view === "day" ? date : monday(date);
  const overview = monday(date);
  // A day more on each side: the API's range is in UTC, the deadlines' days are the forum's.
  const [cal, feed] = await Promise.all([
    api.get("/api/v1/deadlines", { from: ymd(addDays(overview, -1)), until: ymd(addDays(overview, WEEKS * 7 + 1)) }),
    api.get("/api/v1/me/calendar-url").catch((e) => {
      if (e instanceof api.ApiError && e.status === 403) return null;
      throw e;
    }),
  ]);
  const byDate = new Map((cal.days || []).map((d) => [d.date, d.items]));
  const days = view === "day" ? [start] : Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const shown = days.reduce((n, d) => n + (byDate.get(ymd(d)) || []).length, 0);
  const step = view === "day" ? 1 : 7;
  const here = (d, v = view) => address({ view: v === "day" ? "day" : "", date: ymd(d) });
  const weekCount = (w) => Array.from({ length: 7 }, (_, i) => (byDate.get(ymd(addDays(w, i))) || []).length)
    .reduce((a, b) => a + b, 0);
  ctx.setTitle(t("Deadline calendar"));
  const heading = view === "day" ? dayName(start) : tnodes("Week of {dates}",
    { dates: h("span", { "data-text": "intl" }, weekLabel(start)) });

  return h("div", { class: "page console-calendar" },
    h("h1", { tabindex: "-1" }, t("Deadline calendar")),
    h("p", { class: "lead" }, t("Every open legal deadline of the cases you see, on the day it ends where the case is heard.")),
    h("nav", { class: "cal-nav", "aria-label": t("Calendar") },
      h("ul", {},
        h("li", {}, h("a", { href: here(addDays(start, -step)), rel: "prev" },
          view === "day" ? t("Previous day") : t("Previous week"))),
        h("li", {}, h("a", { href: address({ view: view === "day" ? "day" : "" }) }, t("Today"))),
        h("li", {}, h("a", { href: here(addDays(start, step)), rel: "next" },
          view === "day" ? t("Next day") : t("Next week"))),
        h("li", { class: "cal-switch" }, view === "day"
          ? h("a", { href: here(start, "week") }, t("Show the whole week"))
          : h("a", { href: here(date, "day") }, t("Show one day"))))),
    h("div", { class: "cal-layout" },
      h("section", { class: "cal-main", "aria-labelledby": "cal-title" },
        h("h2", { id: "cal-title" }, view === "day" ? h("span", { "data-text": "intl" }, heading) : heading),
        h("p", { class: "muted", "aria-live": "polite" },
          tn("{n} deadline ends in this period.", "{n} deadlines end in this period.", shown)),
        h("ol", { class: "cal-days" }, days.map((d) => dayBlock(d, byDate.get(ymd(d)) || [])))),
      h("div", { class: "cal-side" },
        h("section", { class: "panel", "aria-labelledby": "weeks" },
          h("h2", { id: "weeks" }, t("The coming weeks")),
          h("ol", { class: "week-list" }, Array.from({ length: WEEKS }, (_, i) => {
            const w = addDays(overview, i * 7);
            const n = weekCount(w);
            return h("li", {}, h("a", { href: here(w, "week"),
              "aria-current": view === "week" && ymd(w) === ymd(start) ? "page" : null },
            h("span", { "data-text": "intl" }, weekLabel(w))), " ",
            h("span", { class: n ? "count" : "count zero" }, numberEl(n),
              h("span", { class: "visually-hidden" }, " ", t("deadlines"))));
          }))),
        feedSection(feed))));
}
