// coverage.js — the sources Seawall reads: for each, when it last worked and what is missing
// when it does not. One API request.
import "../components/sw-pager.js";
import * as api from "../lib/api.js";
import { h, data } from "../lib/dom.js";
import { dayListEl, dayRange, numberEl, timeEl } from "../lib/format.js";
import { t, tnodes } from "../lib/i18n.js";

const PAGE = 200;

function formatName(f) {
  switch (f) {
    case "auto": return t("Detected automatically");
    case "rss": return t("RSS or Atom");
    case "cmecf": return t("US court dockets (CM/ECF)");
    case "uspto-tm": return t("USPTO trademark daily");
    case "uspto-patent": return t("USPTO patent full text");
    case "st66": return t("WIPO ST.66 trademarks");
    case "st96": return t("WIPO ST.96 trademarks");
    case "euipo": return t("EUIPO trademarks");
    case "ical": return t("iCalendar fair calendar");
    case "json": return t("Seawall JSON");
    case "html": return t("Web page listing");
    default: return f || "";
  }
}

// The API's public reasons (lib/feedreg.c sw_feedreg_public_reason), in the page's language.
function reason(r) {
  switch (r) {
    case "the archive was refused by a safety limit":
      return t("the archive was refused by a safety limit");
    case "the document was too large": return t("the document was too large");
    case "the document could not be read": return t("the document could not be read");
    case "the events could not be stored": return t("the events could not be stored");
    case "a redirect could not be followed": return t("a redirect could not be followed");
    case "the source's address is not allowed": return t("the source's address is not allowed");
    case "the source did not answer in time": return t("the source did not answer in time");
    case "the source's host name could not be resolved":
      return t("the source's host name could not be resolved");
    case "a secure connection could not be made": return t("a secure connection could not be made");
    case "the source could not be reached": return t("the source could not be reached");
    case "the source says the feed no longer exists":
      return t("the source says the feed no longer exists");
    case "the source asked to be polled later": return t("the source asked to be polled later");
    case "the source answered with an error": return t("the source answered with an error");
    default: return t("the poll failed");
  }
}

// {state, text}: how the source stands, and what is missing when it fails.
function status(s) {
  if (!s.enabled) return { state: "paused", node: t("Paused: not polled at the moment.") };
  if (s.consecutive_failures > 0 && s.last_error_at) {
    return { state: "failing", node: tnodes("Failing since {time}: {reason}. Failed polls in a row: {count}.", {
      time: timeEl(s.last_error_at), reason: reason(s.last_error), count: numberEl(s.consecutive_failures) }) };
  }
  if (!s.last_success_at) return { state: "waiting", node: t("Not polled yet.") };
  return { state: "ok", node: t("Up to date.") };
}

// A source with one file per date (the API's "dates"): the dates whose file never appeared or
// could not be read (the ten most recent), and what an outage longer than the back-fill left
// behind. Null when none is missing.
function missingDates(d) {
  if (!d) return null;
  const recent = (list) => list.slice(-10);
  const parts = [];
  if (d.missing.length) {
    parts.push(h("p", {}, tnodes("Files that never appeared ({count}): {dates}.", {
      count: numberEl(d.missing.length), dates: dayListEl(recent(d.missing)) })));
  }
  if (d.unreadable.length) {
    parts.push(h("p", {}, tnodes("Files that could not be read ({count}): {dates}.", {
      count: numberEl(d.unreadable.length), dates: dayListEl(recent(d.unreadable)) })));
  }
  if (d.not_backfilled) {
    parts.push(h("p", {}, tnodes("Not fetched, older than the back-fill window: {days} ({count} files).", {
      days: h("span", { "data-text": "intl" }, dayRange(d.not_backfilled.from, d.not_backfilled.to)),
      count: numberEl(d.not_backfilled.days) })));
  }
  return parts.length ? parts : null;
}

const STATE = {
  ok: () => t("Working"), failing: () => t("Failing"), paused: () => t("Paused"),
  waiting: () => t("Waiting"),
};

export default async function coverage(ctx) {
  const cursor = ctx.query.get("cursor") || "";
  const page = await api.get("/api/v1/coverage", { cursor, limit: PAGE });
  const rows = page.items.map((s) => ({ s, st: status(s) }));
  const working = rows.filter((r) => r.st.state === "ok").length;
  const pager = h("sw-pager");
  pager.first = cursor ? "/coverage" : null;
  pager.older = page.next ? `/coverage?cursor=${encodeURIComponent(page.next)}` : null;
  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Source coverage")),
    h("p", { class: "lead" }, t("Seawall reads these sources on a schedule: court dockets, trademark and patent offices, customs notices, news and fair calendars. A source that keeps failing leaves a gap in the early warnings until it works again.")),
    rows.length
      ? [h("p", { class: "summary" }, tnodes("{working} of {total} sources are up to date.", {
        working: numberEl(working), total: numberEl(rows.length) })),
      h("div", { class: "table-wrap" }, h("table", { class: "coverage" },
        h("caption", { class: "visually-hidden" }, t("Sources and their last polls")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Source")),
          h("th", { scope: "col" }, t("Format")),
          h("th", { scope: "col" }, t("State")),
          h("th", { scope: "col" }, t("Last success")),
          h("th", { scope: "col" }, t("What is missing")),
          h("th", { scope: "col", class: "num" }, t("Items read")))),
        h("tbody", {}, rows.map(({ s, st }) => h("tr", { class: `state-${st.state}` },
          h("th", { scope: "row", "data-label": t("Source") },
            s.name ? data(s.name) : t("Unnamed source")),
          h("td", { "data-label": t("Format") }, formatName(s.format)),
          h("td", { "data-label": t("State") },
            h("span", { class: `state state-${st.state}` }, STATE[st.state]())),
          h("td", { "data-label": t("Last success") },
            s.last_success_at ? timeEl(s.last_success_at) : t("Never")),
          h("td", { "data-label": t("What is missing") },
            st.state === "ok" ? (missingDates(s.dates) || t("Nothing"))
              : [st.node, missingDates(s.dates)]),
          h("td", { "data-label": t("Items read"), class: "num" }, numberEl(s.items_seen)))))))]
      : h("p", { class: "empty" }, t("No sources are registered yet.")),
    pager);
}
