// app/alert.js — one early warning, compared: for each watch-list item it touched, the item
// beside the foreign text (sw-inbox-compare), then the event itself with the matched words
// marked, its source, the status buttons and "open a case from this alert". Opening a new
// alert marks it read. Two API requests to show (three when it was new).
import "../../components/sw-inbox-compare.js";
import "../../components/sw-register-follow.js";
import { INBOX_KEY } from "../../components/sw-inbox-entry.js";
import "../../components/sw-severity.js";
import { webUrl } from "../../components/sw-fair.js";
import * as api from "../../lib/api.js";
import { jurisdictionEl, roleLabel, statusLabel, typeLabel } from "../../lib/alert-words.js";
import { h, data } from "../../lib/dom.js";
import { frequentBadge } from "../../lib/register-words.js";
import { loadStyle } from "../../lib/style.js";
import { number, timeEl } from "../../lib/format.js";
import { t, tnodes } from "../../lib/i18n.js";

// The inbox as the person left it (its filters and page), else the inbox.
function inboxAddress() {
  try {
    const a = sessionStorage.getItem(INBOX_KEY);
    return a && a.startsWith("/app/inbox") ? a : "/app/inbox";
  } catch {
    return "/app/inbox";
  }
}

// text with every occurrence of the needles marked (<mark>), whatever their case.
function marked(text, needles) {
  const words = [...new Set(needles.filter((n) => n && n.length > 1))]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const p = h("p", {});
  if (!words.length) {
    p.append(data(text));
    return p;
  }
  let last = 0;
  for (const m of String(text).matchAll(new RegExp(words.join("|"), "giu"))) {
    if (m.index > last) p.append(data(text.slice(last, m.index)));
    p.append(h("mark", {}, data(m[0])));
    last = m.index + m[0].length;
  }
  if (last < text.length) p.append(data(text.slice(last)));
  return p;
}

function eventFacts(ev) {
  const rows = [];
  const row = (label, value) => {
    if (value !== null && value !== undefined && value !== "") rows.push(h("dt", {}, label), h("dd", {}, value));
  };
  row(t("Kind of event"), ev.type ? typeLabel(ev.type) : null);
  row(t("Where"), ev.jurisdiction ? jurisdictionEl(ev.jurisdiction) : null);
  row(t("Date"), ev.date ? timeEl(ev.date, false) : null);
  row(t("Parties"), ev.parties?.length ? h("ul", { class: "inline-list" }, ev.parties.map((p) =>
    h("li", {}, p.role ? tnodes("{name} ({role})", { name: data(p.name), role: roleLabel(p.role) })
      : data(p.name)))) : null);
  row(t("Marks"), ev.marks?.length ? h("ul", { class: "inline-list" },
    ev.marks.map((m) => h("li", {}, data(m)))) : null);
  row(t("Nice classes"), ev.classes?.nice?.length ? h("ul", { class: "inline-list" },
    ev.classes.nice.map((c) => h("li", { "data-text": "intl" }, number(c)))) : null);
  row(t("Goods and services"), ev.goods ? data(ev.goods) : null);
  const nums = Object.entries(ev.numbers || {}).flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .filter((v) => typeof v === "string" || typeof v === "number");
  row(t("Numbers"), nums.length ? h("ul", { class: "inline-list" },
    nums.map((n) => h("li", {}, data(String(n))))) : null);
  return rows.length ? h("dl", { class: "facts" }, rows) : null;
}

// What an alert's event lets the exporter follow: the trademark record (office and number)
// of a filing or status event, or a lawsuit's docket; else null.
function followTarget(ev) {
  const n = ev.numbers || {};
  const one = (v) => (Array.isArray(v) ? v[0] : v);
  if ((ev.type === "trademark_filing" || ev.type === "trademark_status") && ev.jurisdiction) {
    const num = String(one(n.serial) || one(n.application) || one(n.registration) || "")
      .replace(/[^0-9A-Za-z]/g, "");
    return num ? { target: { kind: "mark", office: ev.jurisdiction, number: num },
      name: ev.marks?.[0] ? t("{mark} ({id})", { mark: ev.marks[0], id: `${ev.jurisdiction} ${num}` })
        : `${ev.jurisdiction} ${num}` } : null;
  }
  if (ev.type === "litigation" && one(n.docket)) {
    const docket = String(one(n.docket));
    const court = one(n.court) ? String(one(n.court)) : "";
    return { target: court ? { kind: "docket", court, docket } : { kind: "docket", docket },
      name: court ? t("{docket} ({court})", { docket, court }) : docket };
  }
  return null;
}

// A lawsuit's plaintiff that keeps suing ({id, name, cases}): the badge and a link to its page.
function frequentNote(fp) {
  if (!fp || !fp.name) return null;
  const name = fp.id !== undefined && fp.id !== null
    ? h("a", { href: `/app/parties/${encodeURIComponent(fp.id)}` }, data(fp.name)) : data(fp.name);
  return h("p", { class: "frequent-note" }, frequentBadge(), " ",
    tnodes("{name} has brought {n} cases in the register.", { name, n: number(fp.cases || 0) }));
}

function followControl(ev) {
  const f = followTarget(ev);
  if (!f) return null;
  const el = h("sw-register-follow");
  el.target = f.target;
  el.name = f.name;
  return el;
}

const CHANGED = {
  read: () => t("Marked as read."),
  dismissed: () => t("Dismissed."),
  new: () => t("Marked as new."),
};

export default async function alertPage(ctx) {
  if (!/^al_[0-9a-f]{32}$/.test(ctx.params.id)) {
    throw new api.ApiError({ status: 404, title: t("Page not found") });
  }
  const a = await api.get(`/api/v1/alerts/${ctx.params.id}`);
  const ev = a.event || {};
  // The Follow control's and the frequent plaintiff's look, only where they show.
  if (a.frequent_plaintiff || followTarget(ev)) await loadStyle("register");
  ctx.setTitle(ev.title || t("Early warning"));
  const items = a.items || [];
  const source = webUrl(a.source_url) || webUrl(ev.url);
  const statusText = h("span", { class: "alert-status" });
  const said = h("p", { class: "bulk-status", role: "status", "aria-live": "polite" });
  const buttons = h("div", { class: "status-actions" });

  function showStatus() {
    statusText.className = `alert-status status-${a.status}`;
    statusText.replaceChildren(statusLabel(a.status));
    const act = [
      ["read", t("Mark as read")], ["dismissed", t("Dismiss")], ["new", t("Mark as new")],
    ].filter(([s]) => s !== a.status);
    buttons.replaceChildren(...act.map(([to, label]) => h("button", {
      type: "button", class: "button secondary", "data-status": to,
      onclick: async (e) => {
        e.currentTarget.disabled = true;
        try {
          const r = await api.patch(`/api/v1/alerts/${a.id}`, { status: to });
          a.status = r.status || to;
          showStatus();
          said.replaceChildren(CHANGED[to]());
          buttons.querySelector("button")?.focus();
        } catch (err) {
          if (!(err instanceof api.ApiError)) throw err;
          e.currentTarget.disabled = false;
          said.replaceChildren(data(err.problem.detail || err.problem.title));
        }
      } }, label)));
  }

  if (a.status === "new") {
    try {
      const r = await api.patch(`/api/v1/alerts/${a.id}`, { status: "read" });
      a.status = r.status || "read";
    } catch (err) {
      if (!(err instanceof api.ApiError)) throw err;   // it stays new; the page shows so
    }
  }
  showStatus();

  const needles = items.flatMap((i) => i.event_texts || []);
  const notice = a.rule === "case-notice" || ev.type === "case_notice";
  const compares = items.map((entry) => {
    const el = h("sw-inbox-compare");
    el.entry = entry;
    el.event = ev;
    return el;
  });

  return h("article", { class: "page alert-page" },
    h("p", { class: "back" }, h("a", { href: inboxAddress() }, t("Inbox"))),
    // An association's invitation is worded by the API in the reader's language (a.title).
    h("h1", { tabindex: "-1" }, data((ev.type === "association_invitation" && a.title) || ev.title || a.event_id)),
    h("dl", { class: "facts inline" },
      h("dt", {}, t("Severity")), h("dd", {}, h("sw-severity", { level: a.severity })),
      h("dt", {}, t("Status")), h("dd", {}, statusText),
      h("dt", {}, t("Arrived")), h("dd", {}, timeEl(a.created_at))),
    frequentNote(a.frequent_plaintiff),
    h("div", { class: "alert-actions" },
      buttons,
      followControl(ev),
      ctx.person.role !== "exporter" ? null   // an association's sector watch files no cases
        : (notice || ev.type === "matter_notice") && ev.case_id
          ? h("a", { class: "button", href: `/app/cases/${encodeURIComponent(ev.case_id)}` }, t("Open the case"))
          : h("a", { class: "button", href: `/app/cases/new?alert=${encodeURIComponent(a.id)}` },
            t("Open a case from this alert")),
      source ? h("a", { href: source, rel: "noopener noreferrer", target: "_blank", class: "source-link" },
        t("Open the source record"), h("span", { class: "visually-hidden" }, t("(opens in a new tab)")))
        : null),
    said,
    a.forwarded_by ? h("p", { class: "notice" }, tnodes("Sent on by {name}, an association you belong to, which watches your sector.", {
      name: data(a.forwarded_by.name, "strong") })) : null,
    ev.type === "association_invitation" ? h("p", {}, h("a", { class: "button", href: "/app/associations" },
      t("Answer the invitation"))) : null,
    compares.length ? h("section", { "aria-labelledby": "cmp-title", class: "compares" },
      h("h2", { id: "cmp-title" }, items.length > 1
        ? t("Your items beside the foreign text ({n} items)", { n: number(items.length) })
        : t("Your item beside the foreign text")),
      compares) : null,
    notice ? h("section", { class: "notice" },
      h("h2", {}, t("What happened")),
      (a.reasons || []).map((r) => data(r.text, "p"))) : null,
    h("section", { "aria-labelledby": "ev-title", class: "event" },
      h("h2", { id: "ev-title" }, t("The event")),
      eventFacts(ev),
      ev.text ? h("div", { class: "prose" }, marked(String(ev.text), needles)) : null,
      needles.length && ev.text ? h("p", { class: "hint" }, t("Highlighted: where the event meets your items.")) : null));
}
