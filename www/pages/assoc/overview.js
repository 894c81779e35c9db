// assoc/overview.js — the association's overview (/assoc): its members and what each shares,
// its matters (joint responses: one event naming several members), and counts of the cases its
// members share, by market, type and outcome. Three API requests besides the session: the
// members, the matters and the statistics (which name the association).
import * as api from "../../lib/api.js";
import { SHARES, STATUS, assocId, matterHref } from "../../lib/assoc-terms.js";
import { TYPES } from "../../lib/case-terms.js";
import { OUTCOMES, term } from "../../lib/console-terms.js";
import { h, data } from "../../lib/dom.js";
import { countryEl, numberEl, timeEl } from "../../lib/format.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const OUTCOME_WORDS = {
  ...OUTCOMES,
  open: () => t("Still open"),
  rejected: () => t("Not taken on"),
};

// A two-column table of counts: what (a node) and how many cases.
function countTable(id, caption, head, rows) {
  return h("div", { class: "table-wrap" }, h("table", { class: "ws-table counts", id },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, head),
      h("th", { scope: "col", class: "num" }, t("Cases")))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.label),
      h("td", { class: "num", "data-label": t("Cases") }, numberEl(r.cases)))))));
}

export default async function overview(ctx) {
  await loadStyle("console");
  const a = assocId(ctx);
  const [members, matters, stats] = await Promise.all([
    api.get(`/api/v1/associations/${encodeURIComponent(a)}/members`),
    api.get("/api/v1/matters"),
    api.get(`/api/v1/associations/${encodeURIComponent(a)}/stats`),
  ]);
  const m = stats.members || {};
  const sharing = m.sharing || {};
  const byCases = (x, y) => y.cases - x.cases;

  const memberRows = members.items.map((x) => h("tr", { "data-subscriber": x.subscriber },
    h("th", { scope: "row" }, data(x.name)),
    h("td", { "data-label": t("Country") }, x.country ? countryEl(x.country) : "—"),
    h("td", { "data-label": t("Status") }, term(STATUS, x.status)),
    h("td", { "data-label": t("Shares") }, x.status === "member" ? term(SHARES, x.share) : "—")));

  const matterRows = matters.items.map((x) => h("tr", { "data-matter": x.id },
    h("th", { scope: "row" }, h("a", { href: matterHref(x.id) }, data(x.title || x.event_id))),
    h("td", { "data-label": t("Docket or investigation") }, x.docket ? data(x.docket) : "—"),
    h("td", { "data-label": t("Market") }, x.jurisdiction ? countryEl(x.jurisdiction) : "—"),
    h("td", { "data-label": t("Members concerned"), class: "num" }, numberEl(x.members)),
    h("td", { "data-label": t("Linked") }, x.created_at ? timeEl(x.created_at, false) : "—")));

  return h("div", { class: "page assoc" },
    h("h1", { tabindex: "-1" }, t("Association overview")),
    h("p", { class: "lead" }, data(stats.name, "strong"), " — ",
      t("Members join by invitation and choose what they share with the association. You see only what each member shares.")),
    h("section", { class: "panel", "aria-labelledby": "ov-members" },
      h("h2", { id: "ov-members" }, t("Members")),
      h("p", {}, tn("{n} member", "{n} members", m.members || 0, { n: m.members || 0 }), " · ",
        tn("{n} invitation open", "{n} invitations open", m.invited || 0, { n: m.invited || 0 })),
      h("ul", { class: "share-counts" },
        h("li", {}, tnodes("{what}: {n}", { what: term(SHARES, "cases"), n: numberEl(sharing.cases || 0) })),
        h("li", {}, tnodes("{what}: {n}", { what: term(SHARES, "alerts"), n: numberEl(sharing.alerts || 0) })),
        h("li", {}, tnodes("{what}: {n}", { what: term(SHARES, "none"), n: numberEl(sharing.none || 0) }))),
      members.items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table members" },
          h("caption", { class: "visually-hidden" }, t("Members and what each shares")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Company")),
            h("th", { scope: "col" }, t("Country")), h("th", { scope: "col" }, t("Status")),
            h("th", { scope: "col" }, t("Shares")))),
          h("tbody", {}, memberRows)))
        : h("p", { class: "empty" }, t("No members yet.")),
      h("p", {}, h("a", { href: "/assoc/members" }, t("Invite members")))),
    h("section", { class: "panel", "aria-labelledby": "ov-matters" },
      h("h2", { id: "ov-matters" }, t("Matters")),
      h("p", { class: "hint" }, t("When one event — a Section 337 complaint, a Schedule A lawsuit, a customs sweep at a fair — names several members who share their early warnings, Seawall links them into one matter.")),
      matters.items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table matters" },
          h("caption", { class: "visually-hidden" }, t("Matters")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Matter")),
            h("th", { scope: "col" }, t("Docket or investigation")), h("th", { scope: "col" }, t("Market")),
            h("th", { scope: "col", class: "num" }, t("Members concerned")), h("th", { scope: "col" }, t("Linked")))),
          h("tbody", {}, matterRows)))
        : h("p", { class: "empty" }, t("No matters yet."))),
    h("section", { class: "panel", "aria-labelledby": "ov-stats" },
      h("h2", { id: "ov-stats" }, t("Cases of members who share them")),
      h("p", {}, tn("{n} case", "{n} cases", stats.cases, { n: stats.cases }), " — ",
        t("counts only; members who do not share their cases are not counted.")),
      stats.cases ? [
        countTable("by-market", t("By market"), t("Market"),
          stats.by_market.sort(byCases).map((r) => ({ label: countryEl(r.country), cases: r.cases }))),
        countTable("by-type", t("By type"), t("Type"),
          stats.by_type.sort(byCases).map((r) => ({ label: term(TYPES, r.type), cases: r.cases }))),
        countTable("by-outcome", t("By outcome"), t("Outcome"),
          stats.by_outcome.sort(byCases).map((r) => ({ label: term(OUTCOME_WORDS, r.outcome), cases: r.cases }))),
      ] : null));
}
