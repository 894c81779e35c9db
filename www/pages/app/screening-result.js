// app/screening-result.js — one risk screening: while it is queued or running, its progress
// (asked again with a growing pause, 1 s up to 10 s, and said in a polite live region when it
// moves); then the conflicts the screener found, ranked as the API ranks them — the query,
// the register's record (mark, office and number, status, owner), the similarity, the reasons
// in words, the owner's litigation record with the frequent-plaintiff badge and a link to the
// party's page, and a Follow button per record. Downloads as CSV and JSON, and a print layout
// (style/register.css, A4) so the browser's Print gives the report in the page's language.
// Two API requests besides the session (the screening, the follows; a third for the fair's
// name when it screened for a fair), then one per poll.
import "../../components/sw-register-follow.js";
import * as api from "../../lib/api.js";
import { h, data, replace } from "../../lib/dom.js";
import { country, countryEl, dateTime, dayRange, number, numberEl, timeEl } from "../../lib/format.js";
import { current, t, tn, tnodes } from "../../lib/i18n.js";
import { frequentBadge, keyWords, listOf, officeEl, percent, queryKind, reasonList, recordId,
  recordStatus, screeningStatus, screeningWhat, whySentence } from "../../lib/register-words.js";
import { loadStyle } from "../../lib/style.js";

const FIRST_PAUSE = 1000;
const LONGEST_PAUSE = 10000;

function followKey(office, number) {
  return `${office}/${number}`;
}

function requestFacts(s, fairName) {
  const q = s.request || s;
  const rows = [];
  const add = (term, value) => rows.push(h("dt", {}, term), h("dd", {}, value));
  add(t("Started"), s.created_at ? timeEl(s.created_at) : h("span", { class: "muted" }, "—"));
  add(t("Screened"), screeningWhat(s));
  const markets = q.markets || [];
  add(t("Markets"), markets.length ? h("span", { "data-text": "intl" }, listOf(markets.map(country)))
    : t("Your watch list's markets"));
  if (q.classes?.length) add(t("Nice classes"), h("span", { "data-text": "intl" }, listOf(q.classes)));
  if (q.show) add(t("Trade fair"), data(fairName || q.show));
  add(t("Status"), screeningStatus(s));
  return h("dl", { class: "facts screening-facts" }, rows);
}

function ownerCell(c) {
  const rec = c.record || {};
  const o = c.owner;
  const owners = rec.owners || [];
  const out = [];
  owners.forEach((w, i) => {
    const name = data(w.name);
    const linked = o && o.id && i === 0
      ? h("a", { href: `/app/parties/${encodeURIComponent(o.id)}` }, name) : name;
    out.push(h("p", { class: "owner-name" }, linked,
      w.country ? h("span", { class: "muted" }, " (", countryEl(w.country), ")") : null));
  });
  if (o && !owners.length) {
    out.push(h("p", { class: "owner-name" }, o.id
      ? h("a", { href: `/app/parties/${encodeURIComponent(o.id)}` }, data(o.name)) : data(o.name)));
  }
  if (o && typeof o.cases === "number") {
    out.push(h("p", { class: "owner-record" },
      o.cases ? tn("{n} case in the register", "{n} cases in the register", o.cases)
        : t("No cases in the register"),
      o.as_plaintiff ? [" · ", tn("{n} as plaintiff", "{n} as plaintiff", o.as_plaintiff)] : null));
  }
  if (o?.frequent) out.push(h("p", {}, frequentBadge()));
  return out.length ? out : h("span", { class: "muted" }, t("Not recorded"));
}

function conflictRow(c, i, follows) {
  const rec = c.record || {};
  const q = c.query || {};
  const name = t("{mark} ({id})", { mark: rec.mark || "", id: recordId(rec) });
  const follow = h("sw-register-follow");
  follow.target = { kind: "mark", office: rec.office, number: rec.number };
  follow.name = name;
  follow.followId = follows.get(followKey(rec.office, rec.number)) || null;
  const reasons = reasonList(c.reasons);
  return h("tr", { "data-record": recordId(rec), class: `conflict rec-row-${rec.status || "other"}` },
    h("th", { scope: "row", class: "rank" }, numberEl(i + 1)),
    h("td", { "data-label": t("Your query") },
      h("span", { class: "query-kind" }, queryKind(q.kind)), " ", data(q.text, "strong")),
    h("td", { "data-label": t("Register record"), class: "record" },
      h("span", { class: "rec-head" }, data(rec.mark, "strong", { class: "rec-mark" }), " ",
        recordStatus(rec.status)),
      h("span", { class: "rec-id" }, officeEl(rec.office), " ", data(rec.number)),
      rec.classes?.length ? h("span", { class: "rec-classes" },
        tnodes("Classes {list}", { list: h("span", { "data-text": "intl" }, listOf(rec.classes)) })) : null,
      rec.dates?.filed ? h("span", { class: "rec-date" },
        tnodes("Filed {date}", { date: h("span", { "data-text": "intl" }, dayRange(rec.dates.filed)) })) : null,
      /^https?:\/\//.test(rec.url || "") ? h("a", { href: rec.url, rel: "noopener noreferrer",
        target: "_blank", class: "rec-source no-print" }, t("Open the office's record"),
      h("span", { class: "visually-hidden" }, t("(opens in a new tab)"))) : null,
      follow),
    h("td", { "data-label": t("Owner") }, ownerCell(c)),
    h("td", { "data-label": t("Similarity and why"), class: "why" },
      h("span", { class: "conflict-score" }, tnodes("{score} similar", { score: h("span", { "data-text": "intl" }, percent(c.score)) })),
      reasons.length ? h("ul", { class: "conflict-reasons" }, reasons.map((r) => h("li", {}, whySentence(r.why, q.kind),
        r.key ? h("span", { class: "muted reason-key" }, " ",
          tnodes("(found by {key})", { key: keyWords(r.key) })) : null))) : null));
}

function resultsSection(s, follows) {
  const conflicts = s.conflicts || [];
  const base = `/api/v1/screenings/${encodeURIComponent(s.id)}`;
  const gap = current() === "zh-CN" ? "" : " ";   // between sentences: none in Chinese
  const frequent = conflicts.filter((c) => c.owner?.frequent).length;
  const live = conflicts.filter((c) => c.record?.status === "live" || c.record?.status === "pending"
    || c.record?.status === "opposed").length;
  return h("section", { class: "results", "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading", tabindex: "-1" }, t("Conflicts found")),
    h("p", { class: "results-summary" },
      conflicts.length ? tn("{n} record in the register is like what you screened.",
        "{n} records in the register are like what you screened.", conflicts.length)
        : t("Nothing in the register is like what you screened, in these markets and classes."),
      conflicts.length ? [gap, tn("{n} of them is live or pending.", "{n} of them are live or pending.", live)] : null,
      frequent ? [gap, tn("{n} belongs to a frequent plaintiff.", "{n} belong to frequent plaintiffs.", frequent)] : null),
    h("div", { class: "toolbar no-print" },
      h("a", { class: "button secondary", href: `${base}?format=csv`, download: "" }, t("Download as CSV")),
      h("a", { class: "button secondary", href: `${base}?format=json`, download: `screening-${s.id}.json`,
        type: "application/json" },
        t("Download as JSON")),
      h("button", { type: "button", class: "button secondary", onclick: () => window.print() },
        t("Print or save as PDF"))),
    conflicts.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table conflicts" },
      h("caption", { class: "visually-hidden" }, t("Conflicts found, most serious first")),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", class: "rank" }, h("span", { class: "visually-hidden" }, t("Rank")), h("span", { "aria-hidden": "true", "data-text": "symbol" }, "#")),
        h("th", { scope: "col" }, t("Your query")),
        h("th", { scope: "col" }, t("Register record")),
        h("th", { scope: "col" }, t("Owner")),
        h("th", { scope: "col" }, t("Similarity and why")))),
      h("tbody", {}, conflicts.map((c, i) => conflictRow(c, i, follows))))) : null,
    conflicts.length ? h("p", { class: "hint" }, t("Ranked by similarity; live records before dead ones, and frequent plaintiffs first among equals. Follow a record to hear of each change of its status.")) : null);
}

export default async function screeningResult(ctx) {
  await Promise.all([loadStyle("portfolio"), loadStyle("register")]);
  const id = ctx.params.id;
  const path = `/api/v1/screenings/${encodeURIComponent(id)}`;
  const [first, followList] = await Promise.all([
    api.get(path),
    api.get("/api/v1/follows").then((p) => p.items || []).catch((e) => {
      if (!(e instanceof api.ApiError)) throw e;
      return [];   // the results show without the follows; each button then starts afresh
    })]);
  const follows = new Map(followList.filter((f) => f.kind === "mark")
    .map((f) => [followKey(f.office || f.record?.office, f.number || f.record?.number), f.id]));
  let s = first;
  // The fair's name, when the screening named one (one request more).
  const fairName = first.show ? await api.get("/api/v1/shows", { limit: 200 })
    .then((p) => (p.items || []).find((x) => x.id === first.show)?.name)
    .catch((e) => {
      if (!(e instanceof api.ApiError)) throw e;
      return null;
    }) : null;

  const facts = h("div", { class: "facts-wrap" });
  const body = h("div", { class: "screening-body" });
  const said = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const page = h("article", { class: "page screening-result" },
    h("p", { class: "back no-print" }, h("a", { href: "/app/screening" }, t("Risk screening"))),
    h("p", { class: "print-only print-brand" }, t("Seawall · overseas IP early warning")),
    h("h1", { tabindex: "-1" }, t("Risk screening report")),
    h("p", { class: "print-only" }, tnodes("Printed {date}", { date: h("span", { "data-text": "intl" }, dateTime(new Date().toISOString())) })),
    facts, said, body);

  function progressBlock() {
    const p = s.progress || {};
    const total = Number(p.total) || 0;
    const done = Math.min(Number(p.done) || 0, total);
    return h("section", { class: "progress-box", "aria-labelledby": "progress-heading" },
      h("h2", { id: "progress-heading" }, s.status === "queued" ? t("Waiting to start") : t("Screening the register")),
      h("progress", { max: total || 1, value: total ? done : 0, "aria-labelledby": "progress-heading",
        "aria-describedby": "progress-text" }),
      h("p", { id: "progress-text", class: "progress-text" }, total
        ? t("{done} of {total} items screened.", { done: number(done), total: number(total) })
        : t("Counting what to screen…")),
      h("p", { class: "hint" }, t("You can leave this page: the screening goes on, and it is listed under your earlier screenings.")));
  }

  function render() {
    replace(facts, requestFacts(s, fairName));
    if (s.status === "done") {
      replace(body, resultsSection(s, follows));
    } else if (s.status === "failed") {
      replace(body, h("div", { class: "notice error", role: "alert" },
        h("h2", {}, t("The screening could not be finished")),
        s.error ? data(typeof s.error === "string" ? s.error : s.error.detail || s.error.title, "p")
          : h("p", {}, t("Seawall could not screen the register this time. Start it again; if it fails again, tell the centre.")),
        h("p", {}, h("a", { href: "/app/screening", class: "button" }, t("Start a new screening")))));
    } else {
      replace(body, progressBlock());
    }
  }

  let lastSaid = "";
  function announce(text) {
    if (text !== lastSaid) {
      said.textContent = text;
      lastSaid = text;
    }
  }

  // Polls while the page is shown and the job not finished, the pause growing each time.
  let pause = FIRST_PAUSE;
  async function poll() {
    if (!page.isConnected) return;   // the person went to another page
    try {
      s = await api.get(path);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      if (!page.isConnected) return;
      announce(t("The progress could not be read; trying again."));
      pause = Math.min(LONGEST_PAUSE, pause * 2);
      setTimeout(poll, pause);
      return;
    }
    if (!page.isConnected) return;
    render();
    if (s.status === "done") {
      const n = (s.conflicts || []).length;
      announce(tn("The screening is finished: {n} conflict found.", "The screening is finished: {n} conflicts found.", n));
      return;
    }
    if (s.status === "failed") return;   // the alert says it
    const p = s.progress || {};
    announce(p.total ? t("{done} of {total} items screened.", { done: number(p.done || 0), total: number(p.total) })
      : t("Waiting to start"));
    pause = Math.min(LONGEST_PAUSE, Math.round(pause * 1.5));
    setTimeout(poll, pause);
  }

  render();
  if (s.status === "queued" || s.status === "running") {
    // The first look a moment after the page is in the document (the shell adds it after
    // this returns).
    setTimeout(poll, FIRST_PAUSE);
  }
  return page;
}
