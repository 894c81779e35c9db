// staff/stats.js — the centre's statistics (/staff/stats?from=YYYY-MM&until=YYYY-MM, the
// months inclusive; by default the last twelve): cases by month and type, by type, by country,
// the times to first response and to resolution, the service-level breaches by month, the
// experts' workload and the outcomes — each a bar chart drawn here as SVG with its caption, a
// text description and its figures as a table — and each table as CSV for Excel (UTF-8 with a
// BOM, headers in the person's language: the API's own file). One API request besides the
// session.
import { chartFigure } from "../../components/sw-chart.js";
import * as api from "../../lib/api.js";
import { TYPES } from "../../lib/case-terms.js";
import { OUTCOMES } from "../../lib/console-terms.js";
import { h } from "../../lib/dom.js";
import { country, number } from "../../lib/format.js";
import { current, t } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const PATH = "/staff/stats";
const TOP_COUNTRIES = 8;

const month = (s) => (/^\d{4}-(0[1-9]|1[0-2])$/.test(s || "") ? s : null);

function addMonths(ym, n) {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

function monthLabel(ym) {
  const [y, m] = ym.split("-").map(Number);
  return new Intl.DateTimeFormat(current(), { timeZone: "UTC", year: "numeric", month: "short" })
    .format(new Date(Date.UTC(y, m - 1, 15)));
}

// The CSV of one table for the same period, as the API writes it; about names the table for
// a screen reader, which hears the links out of their place.
function csvLink(query, table, label, about) {
  const q = new URLSearchParams({ ...query, format: "csv", table });
  return h("a", { href: `/api/v1/cases/stats?${q}`, download: `cases-${table}.csv`, class: "csv-link",
    "data-table": table }, label, about ? h("span", { class: "visually-hidden" }, " (", h("span", {}, about), ")") : null);
}

// A block of the page: the chart (its caption is the block's heading) and its download.
function section(id, spec, opts, table, label) {
  return h("section", { class: "stats-block", "aria-labelledby": id },
    chartFigure(spec, { ...opts, id, level: "h2" }),
    table ? h("p", { class: "downloads" }, csvLink(opts.query, table, label || t("Download as CSV"), spec.title)) : null);
}

export default async function stats(ctx) {
  await loadStyle("console");
  const now = new Date().toISOString().slice(0, 7);
  const until = month(ctx.query.get("until")) || now;
  let from = month(ctx.query.get("from")) || addMonths(until, -11);
  if (from > until) from = until;
  const centre = ctx.person.role === "admin" ? ctx.query.get("centre") || "" : "";
  const query = { from: `${from}-01`, until: `${addMonths(until, 1)}-01` };
  if (/^[1-9][0-9]*$/.test(centre)) query.centre = centre;
  const s = await api.get("/api/v1/cases/stats", query);
  ctx.setTitle(t("Statistics"));

  const months = s.months || [];
  const monthRows = months.map((m) => ({ key: m, label: monthLabel(m), kind: "intl" }));
  const types = Object.keys(s.by_type || {}).sort((a, b) => s.by_type[b] - s.by_type[a]);
  const typeSeries = types.map((k) => ({ key: k, label: TYPES[k] ? TYPES[k]() : k, kind: TYPES[k] ? null : "api" }));
  const mt = new Map((s.by_month_type || []).map((r) => [`${r.month}|${r.type}`, r.cases]));
  const countries = Object.keys(s.by_country || {}).sort((a, b) => s.by_country[b] - s.by_country[a]);
  const shownCountries = countries.slice(0, TOP_COUNTRIES);
  const otherCountries = countries.slice(TOP_COUNTRIES);
  const countryRows = shownCountries.map((c) => ({ key: c, label: country(c), kind: "intl" }));
  if (otherCountries.length) countryRows.push({ key: "*", label: t("Other countries and regions") });
  const sla = new Map((s.sla_by_month || []).map((r) => [r.month, r]));
  const one = [{ key: "n", label: t("Cases") }];
  const fmt = (n) => number(n);
  const one1 = (n) => new Intl.NumberFormat(current(), { maximumFractionDigits: 1 }).format(n);
  const hours = (sec) => (Number.isFinite(sec) ? Math.round(sec / 360) / 10 : 0);

  const period = h("form", { class: "filters stats-period", method: "get", action: PATH,
    "aria-label": t("Period"), onsubmit: (ev) => {
      ev.preventDefault();
      const fd = new FormData(period);
      const q = new URLSearchParams();
      for (const k of ["from", "until"]) if (month(fd.get(k))) q.set(k, fd.get(k));
      if (centre) q.set("centre", centre);
      ctx.navigate(`${PATH}?${q}`);
    } },
  h("div", { class: "field" }, h("label", { for: "stats-from" }, t("From the month")),
    h("input", { type: "month", id: "stats-from", name: "from", value: from })),
  h("div", { class: "field" }, h("label", { for: "stats-until" }, t("To the month (included)")),
    h("input", { type: "month", id: "stats-until", name: "until", value: until })),
  h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button" }, t("Show"))));

  const totals = s.sla_breaches || {};
  return h("div", { class: "page console-stats" },
    h("h1", { tabindex: "-1" }, t("Statistics")),
    h("p", { class: "lead" }, t("{n} cases came in between {from} and {until}.", { n: number(s.cases || 0),
      from: monthLabel(from), until: monthLabel(until) })),
    period,
    s.truncated ? h("p", { class: "notice" }, t("There were more cases than the statistics read at once: the oldest were counted.")) : null,
    h("p", {}, t("Each table opens in Excel or WPS with its Chinese intact:"), " ",
      csvLink(query, "cases", t("every case (CSV)"))),
    h("p", { class: "hint" }, t("Every chart is followed by its figures as a table.")),
    section("by-month", {
      title: t("Cases by month and type"), rowHeader: t("Month"), rows: monthRows, series: typeSeries,
      value: (r, x) => mt.get(`${r.key}|${x.key}`) || 0, format: fmt,
    }, { query }, "month_type"),
    h("div", { class: "stats-pair" },
      section("by-type", {
        title: t("Cases by type"), rowHeader: t("Type"),
        rows: types.map((k) => ({ key: k, label: TYPES[k] ? TYPES[k]() : k, kind: TYPES[k] ? null : "api" })),
        series: one, value: (r) => s.by_type[r.key], format: fmt,
      }, { query }),
      section("by-country", {
        title: t("Cases by country or region"), rowHeader: t("Country or region"), rows: countryRows,
        series: one, format: fmt,
        value: (r) => (r.key === "*" ? otherCountries.reduce((n, c) => n + s.by_country[c], 0) : s.by_country[r.key]),
      }, { query }, "month_country", t("By month and country (CSV)"))),
    h("div", { class: "stats-pair" },
      section("first-response", {
        title: t("Time to first response (hours)"), rowHeader: t("Measure"),
        rows: [{ key: "median_s", label: t("Median") }, { key: "p90_s", label: t("90th percentile") }],
        series: [{ key: "h", label: t("Hours") }], format: one1,
        value: (r) => hours(s.first_response?.[r.key]),
      }, { query, note: t("{n} cases; time waiting on the exporter is not counted.", { n: number(s.first_response?.count || 0) }) },
      "times"),
      section("resolution", {
        title: t("Time to resolution (days)"), rowHeader: t("Measure"),
        rows: [{ key: "median_s", label: t("Median") }, { key: "p90_s", label: t("90th percentile") }],
        series: [{ key: "d", label: t("Days") }], format: one1,
        value: (r) => hours(s.resolution?.[r.key]) / 24,
      }, { query, note: t("{n} cases; time waiting on the exporter is not counted.", { n: number(s.resolution?.count || 0) }) },
      "times")),
    section("sla", {
      title: t("Service-level breaches by month"), rowHeader: t("Month"), rows: monthRows,
      series: [{ key: "first_response_breached", label: t("First response late") },
        { key: "resolution_breached", label: t("Resolution late") }],
      value: (r, x) => sla.get(r.key)?.[x.key] || 0, format: fmt,
    }, { query, note: t("In all: {f} first responses and {r} resolutions late.", { f: number(totals.first_response || 0),
      r: number(totals.resolution || 0) }), empty: t("No breach in this period.") }, "sla"),
    section("workload", {
      title: t("Expert workload"), rowHeader: t("Expert"),
      rows: (s.workload || []).map((w) => ({ key: w.expert_id, label: w.name || `#${w.expert_id}`, kind: "api", w })),
      series: [{ key: "open", label: t("Open now") }, { key: "resolved", label: t("Resolved in the period") }],
      value: (r, x) => r.w[x.key] || 0, format: fmt,
    }, { query, empty: t("No expert has cases.") }, "workload"),
    section("outcomes", {
      title: t("Outcomes of the cases resolved in the period"), rowHeader: t("Outcome"),
      rows: (s.outcomes || []).map((o) => ({ key: o.outcome, label: OUTCOMES[o.outcome] ? OUTCOMES[o.outcome]() : o.outcome,
        kind: OUTCOMES[o.outcome] ? null : "api", o })),
      series: [{ key: "resolved", label: t("Resolved") }, { key: "closed", label: t("Closed since") }],
      value: (r, x) => r.o[x.key] || 0, format: fmt,
    }, { query, empty: t("No case was resolved in this period.") }, "outcomes"));
}
