// app/parties/:id — one party of the register (a plaintiff, complainant, owner of marks): the
// frequent-plaintiff badge, its other names, its cases by year (a bar chart with the figures
// as a table), the courts and counsel the records name, the marks it owns, its cases (each
// docket can be followed), and the bulletins about it. Two API requests besides the session
// (the party, the follows).
import "../../components/sw-register-follow.js";
import { chartFigure } from "../../components/sw-chart.js";
import * as api from "../../lib/api.js";
import { jurisdictionEl, roleLabel, typeLabel } from "../../lib/alert-words.js";
import { h, data } from "../../lib/dom.js";
import { dayRange, number } from "../../lib/format.js";
import { current, t, tn } from "../../lib/i18n.js";
import { followName, frequentBadge, inLang, recordStatus } from "../../lib/register-words.js";
import { loadStyle } from "../../lib/style.js";

// A court or counsel as the API gives it: a name, or {name, cases}.
function named(x) {
  if (typeof x === "string") return { name: x, cases: null };
  return { name: x?.name || "", cases: typeof x?.cases === "number" ? x.cases : null };
}

function namedList(items, cls) {
  return h("ul", { class: `plain-list ${cls}` }, items.map(named).map((x) => h("li", {}, data(x.name),
    x.cases !== null ? h("span", { class: "muted" }, " · ", tn("{n} case", "{n} cases", x.cases)) : null)));
}

function day(d) {
  return d ? h("span", { "data-text": "intl" }, dayRange(String(d).slice(0, 10))) : h("span", { class: "muted" }, "—");
}

export default async function party(ctx) {
  // The chart's look (sw-chart's bars and labels) is in the console's sheet, where it began.
  await Promise.all([loadStyle("portfolio"), loadStyle("console"), loadStyle("register")]);
  const [p, followList] = await Promise.all([
    api.get(`/api/v1/parties/${encodeURIComponent(ctx.params.id)}`),
    api.get("/api/v1/follows").then((x) => x.items || []).catch((e) => {
      if (!(e instanceof api.ApiError)) throw e;
      return [];
    })]);
  ctx.setTitle(p.name || t("Party"));
  const dockets = new Map(followList.filter((f) => f.kind === "docket")
    .map((f) => [`${f.court || ""}/${f.docket}`, f.id]));

  const years = Object.keys(p.cases_by_year || {}).sort();
  const cases = p.cases || [];
  const totalCases = typeof p.cases_total === "number" ? p.cases_total : years.reduce((n, y) => n + (Number(p.cases_by_year[y]) || 0), 0) || cases.length;
  const asPlaintiff = typeof p.as_plaintiff === "number" ? p.as_plaintiff : cases.filter((c) => ["plaintiff", "complainant", "petitioner"].includes(c.role)).length;
  const others = (p.names || []).filter((n) => n && n !== p.name);

  const chart = years.length ? chartFigure({
    title: t("Cases by year"),
    rowHeader: t("Year"),
    rows: years.map((y) => ({ key: y, label: y, kind: "api" })),
    series: [{ key: "cases", label: t("Cases") }],
    value: (r) => Number(p.cases_by_year[r.key]) || 0,
    format: number,
  }, { id: "years-heading", level: "h2" }) : null;

  const caseRows = cases.map((c) => {
    let follow = null;
    if (c.docket) {
      follow = h("sw-register-follow");
      follow.target = c.court ? { kind: "docket", court: c.court, docket: c.docket } : { kind: "docket", docket: c.docket };
      follow.name = followName({ kind: "docket", court: c.court, docket: c.docket });
      follow.followId = dockets.get(`${c.court || ""}/${c.docket}`) || null;
    }
    return h("tr", {},
      h("th", { scope: "row" }, day(c.date)),
      h("td", { "data-label": t("Kind") }, c.type ? typeLabel(c.type) : h("span", { class: "muted" }, "—")),
      h("td", { "data-label": t("Case") },
        /^https?:\/\//.test(c.url || "") ? h("a", { href: c.url, rel: "noopener noreferrer", target: "_blank" },
          data(c.title || c.docket), h("span", { class: "visually-hidden" }, t("(opens in a new tab)")))
          : data(c.title || c.docket),
        c.docket && c.title ? data(c.docket, "span", { class: "party-docket" }) : null),
      h("td", { "data-label": t("Court") }, c.court ? data(c.court) : h("span", { class: "muted" }, "—")),
      h("td", { "data-label": t("Role") }, c.role ? roleLabel(c.role) : h("span", { class: "muted" }, "—")),
      h("td", { class: "follow-cell" }, follow));
  });

  const bulletins = (p.bulletins || []).map((b) => (typeof b === "string" ? { id: b, title: b } : b));

  return h("article", { class: "page party" },
    h("div", { class: "page-head" },
      h("h1", { tabindex: "-1" }, data(p.name)),
      p.frequent ? frequentBadge() : null),
    h("p", { class: "lead" },
      totalCases ? tn("{n} case in the register", "{n} cases in the register", totalCases) : t("No cases in the register"),
      asPlaintiff ? [" · ", tn("{n} as plaintiff", "{n} as plaintiff", asPlaintiff)] : null),
    p.frequent ? h("p", { class: "hint" }, t("A frequent plaintiff has brought three or more cases in the register. Expect it to act quickly: keep your evidence of use and your licences at hand.")) : null,
    others.length ? h("section", { "aria-labelledby": "names-heading" },
      h("h2", { id: "names-heading" }, t("Other names")),
      h("ul", { class: "tags" }, others.map((n) => h("li", {}, data(n))))) : null,
    chart,
    h("div", { class: "party-columns" },
      h("section", { "aria-labelledby": "courts-heading" },
        h("h2", { id: "courts-heading" }, t("Courts")),
        p.courts?.length ? namedList(p.courts, "courts") : h("p", { class: "empty" }, t("No court is recorded."))),
      h("section", { "aria-labelledby": "counsel-heading" },
        h("h2", { id: "counsel-heading" }, t("Counsel")),
        p.counsel?.length ? namedList(p.counsel, "counsel") : h("p", { class: "empty" }, t("The records name no counsel.")))),
    h("section", { "aria-labelledby": "marks-heading" },
      h("h2", { id: "marks-heading" }, t("Trademarks owned")),
      p.marks?.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table party-marks" },
        h("caption", { class: "visually-hidden" }, t("Trademarks owned")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Trademark")),
          h("th", { scope: "col" }, t("Office")),
          h("th", { scope: "col" }, t("Number")),
          h("th", { scope: "col" }, t("Status")))),
        h("tbody", {}, p.marks.map((m) => h("tr", {},
          h("th", { scope: "row" }, data(m.mark)),
          h("td", { "data-label": t("Office") }, jurisdictionEl(m.office)),
          h("td", { "data-label": t("Number") }, data(m.number)),
          h("td", { "data-label": t("Status") }, recordStatus(m.status)))))))
        : h("p", { class: "empty" }, t("The register holds no trademark of this party."))),
    h("section", { "aria-labelledby": "cases-heading" },
      h("h2", { id: "cases-heading" }, t("Cases")),
      cases.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table party-cases" },
        h("caption", { class: "visually-hidden" }, t("Cases, newest first")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Date")),
          h("th", { scope: "col" }, t("Kind")),
          h("th", { scope: "col" }, t("Case")),
          h("th", { scope: "col" }, t("Court")),
          h("th", { scope: "col" }, t("Role")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Follow"))))),
        h("tbody", {}, caseRows)))
        : h("p", { class: "empty" }, t("No cases in the register"))),
    h("section", { "aria-labelledby": "bulletins-heading" },
      h("h2", { id: "bulletins-heading" }, t("Related early-warning bulletins")),
      bulletins.length ? h("ul", { class: "plain-list bulletin-links" }, bulletins.map((b) => h("li", {},
        b.id ? h("a", { href: `/bulletins/${encodeURIComponent(b.id)}` }, data(inLang(b.title, current()) || b.id))
          : data(inLang(b.title, current()))))) : h("p", { class: "empty" }, t("No bulletin names this party."))));
}
