// app/cases.js — the exporter's assistance cases, newest first: state, type, country, the
// other side, the next legal deadline counting down in the person's zone, and whether the
// centre is keeping its service level. Filtered by state (kept in the address), paged by cursor.
// One API request besides the session.
import "../../components/sw-case-deadline.js";
import "../../components/sw-pager.js";
import * as api from "../../lib/api.js";
import { OPEN, SLA, STATES, TYPES, currentSla, options, term } from "../../lib/case-terms.js";
import { h, data } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { field } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";

const PAGE = 20;

function address(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/app/cases?${s}` : "/app/cases";
}

// What the state filter sends: one state, every open state, or nothing (all).
function stateQuery(state) {
  if (state === "open") return OPEN.join(",");
  return STATES[state] ? state : "";
}

export function slaCell(c) {
  const cur = currentSla(c.sla);
  if (!cur) return h("span", { class: "muted" }, "—");
  const status = h("strong", {}, term(SLA, cur.clock.status));
  return h("span", { class: `sla sla-${cur.clock.status}` },
    cur.which === "first_response" ? tnodes("First reply: {status}", { status })
      : tnodes("Resolution: {status}", { status }),
    cur.clock.paused ? h("span", { class: "muted" }, " ", t("(paused while waiting for you)")) : null);
}

function row(c) {
  const dl = h("sw-case-deadline");
  dl.deadline = c.deadline;
  return h("tr", { "data-case": c.id },
    h("th", { scope: "row" },
      h("a", { href: `/app/cases/${c.id}` }, t("Case #{id}", { id: c.id })),
      h("span", { class: "case-created" }, timeEl(c.created_at, false))),
    h("td", { "data-label": t("State") }, h("span", { class: `case-state state-${c.state}` },
      term(STATES, c.state))),
    h("td", { "data-label": t("Type") }, term(TYPES, c.type)),
    h("td", { "data-label": t("Country or region") }, countryEl(c.country)),
    h("td", { "data-label": t("Opposing party") }, data(c.opposing_party)),
    h("td", { "data-label": t("Next legal deadline") }, dl),
    h("td", { "data-label": t("Centre's service level") }, slaCell(c)));
}

export default async function cases(ctx) {
  const state = ctx.query.get("state") || "";
  const cursor = ctx.query.get("cursor") || "";
  const page = await api.get("/api/v1/cases", { state: stateQuery(state), cursor, limit: PAGE });

  const form = h("form", { class: "filters", role: "search", action: "/app/cases", method: "get",
    "aria-label": t("Filter cases"),
    onsubmit: (ev) => {
      ev.preventDefault();
      ctx.navigate(address({ state: new FormData(form).get("state") }));
    } },
  field({ name: "state", label: t("State"), value: state,
    options: [{ value: "", label: t("All cases") }, { value: "open", label: t("Open cases") },
      ...options(STATES)] }),
  h("div", { class: "filter-actions" },
    h("button", { type: "submit", class: "button" }, t("Show cases")),
    state ? h("a", { href: "/app/cases" }, t("Clear filters")) : null));

  const pager = h("sw-pager");
  pager.first = cursor ? address({ state }) : null;
  pager.older = page.next ? address({ state, cursor: page.next }) : null;

  return h("div", { class: "page" },
    h("div", { class: "page-head" },
      h("h1", { tabindex: "-1" }, t("Cases")),
      h("a", { href: "/app/cases/new", class: "button" }, t("Ask for help with a dispute"))),
    h("p", { class: "lead" }, t("Disputes abroad that you have brought to an overseas IP dispute response guidance centre. Deadlines are shown in your time zone.")),
    form,
    h("section", { "aria-labelledby": "case-results" },
      h("h2", { id: "case-results", class: "visually-hidden" }, t("Your cases")),
      page.items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table cases" },
          h("caption", { class: "visually-hidden" }, t("Your cases")),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("Case")),
            h("th", { scope: "col" }, t("State")),
            h("th", { scope: "col" }, t("Type")),
            h("th", { scope: "col" }, t("Country or region")),
            h("th", { scope: "col" }, t("Opposing party")),
            h("th", { scope: "col" }, t("Next legal deadline")),
            h("th", { scope: "col" }, t("Centre's service level")))),
          h("tbody", {}, page.items.map(row))))
        : h("p", { class: "empty" }, state
          ? (page.next ? t("No cases on this page match; look at older ones.")
            : t("No cases match this filter."))
          : t("You have not asked for help with a dispute yet.")),
      pager));
}
