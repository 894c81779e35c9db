// <sw-chart>: a bar chart drawn as SVG at the width it is given — one horizontal bar per row
// (a month, a type, a country, an expert), split into its series (stacked, each series its
// own colour and named in the legend), with each row's total written at its end. On a narrow
// screen the row's name goes above its bar. The chart is an image with a title and a text
// description for screen readers; chartFigure() puts it in a <figure> with its caption and
// the same figures as a table, so nothing depends on seeing the bars or their colours.
//
// spec: {title, rows: [{key, label, kind?}], series: [{key, label}], value(row, series) → n,
//        format(n) → string}. label is a string; kind "intl" or "api" marks where it came from
//        (Intl formatting or the API) for the catalogue checks, a catalogue term has none.
import { h, uid } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

const NS = "http://www.w3.org/2000/svg";
const NARROW = 480;

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c);
  }
  return el;
}

function text(attrs, label, kind) {
  return svg("text", { ...attrs, "data-text": kind || null }, label);
}

// A label cut to about n characters (a wide character counts two).
function clip(label, n) {
  let w = 0;
  let out = "";
  for (const ch of String(label)) {
    w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
    if (w > n) return `${out}…`;
    out += ch;
  }
  return out;
}

export function total(spec, row) {
  return spec.series.reduce((sum, s) => sum + (spec.value(row, s) || 0), 0);
}

// A sentence per row: "March 2026: 12 (Lawsuit 4, Customs seizure 8)".
export function describe(spec) {
  const fmt = spec.format || String;
  return spec.rows.map((r) => {
    const parts = spec.series.length > 1
      ? spec.series.map((s) => [s, spec.value(r, s) || 0]).filter(([, v]) => v)
        .map(([s, v]) => `${s.label} ${fmt(v)}`) : [];
    return parts.length ? t("{label}: {total} ({parts})", { label: r.label,
      total: fmt(total(spec, r)), parts: parts.join(t(", ")) })
      : t("{label}: {total}", { label: r.label, total: fmt(total(spec, r)) });
  }).join(t("; "));
}

class Chart extends HTMLElement {
  connectedCallback() {
    this.draw();
    if (!this.observer) {
      this.observer = new ResizeObserver(() => {
        if (this.clientWidth !== this.drawnAt) this.draw();
      });
    }
    this.observer.observe(this);
  }

  disconnectedCallback() {
    this.observer?.disconnect();
  }

  draw() {
    const spec = this.spec;
    if (!spec) return;
    const width = Math.max(240, this.clientWidth || 600);
    this.drawnAt = this.clientWidth;
    const narrow = width < NARROW;
    const fmt = spec.format || String;
    const totals = spec.rows.map((r) => total(spec, r));
    const max = Math.max(1, ...totals);
    const textW = (label) => Array.from(String(label))
      .reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 13 : 7.4), 0);
    const longest = Math.max(4, ...spec.rows.map((r) => textW(r.label)));
    const labelW = narrow ? 0 : Math.min(Math.round(width * 0.4), Math.ceil(longest) + 16);
    const valueW = 56;
    const barH = 16;
    const rowH = narrow ? 42 : 28;
    const per = Math.max(1, Math.min(spec.series.length,
      Math.floor(width / (Math.max(...spec.series.map((x) => textW(x.label))) + 34))));
    const legendH = spec.series.length > 1 ? Math.ceil(spec.series.length / per) * 22 + 8 : 0;
    const plotW = width - labelW - valueW - 8;
    const height = legendH + spec.rows.length * rowH + 4;
    const titleId = uid("chart-title");
    const descId = uid("chart-desc");
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-labelledby": `${titleId} ${descId}`, class: "chart-svg", focusable: "false" },
    svg("title", { id: titleId, "data-text": "chart" }, spec.title),
    svg("desc", { id: descId, "data-text": "chart" }, describe(spec)));
    // The legend: a swatch and the series' name, in rows.
    if (legendH) {
      const colW = width / per;
      spec.series.forEach((s, i) => {
        const x = (i % per) * colW;
        const y = Math.floor(i / per) * 22 + 4;
        root.append(svg("g", { class: "legend", "aria-hidden": "true" },
          svg("rect", { x, y, width: 12, height: 12, class: `bar series-${i % 9}` }),
          text({ x: x + 18, y: y + 11, class: "chart-label" }, clip(s.label, Math.floor(colW / 8)), s.kind)));
      });
    }
    spec.rows.forEach((r, ri) => {
      const y0 = legendH + ri * rowH;
      const barY = narrow ? y0 + 18 : y0 + (rowH - barH) / 2;
      const g = svg("g", { class: "chart-row", "aria-hidden": "true" });
      g.append(text({ x: narrow ? 0 : labelW - 8, y: narrow ? y0 + 13 : barY + barH - 3,
        "text-anchor": narrow ? "start" : "end", class: "chart-label" },
      clip(r.label, narrow ? Math.floor(width / 7.4) : Math.floor((labelW - 12) / 7.4)), r.kind));
      let x = labelW;
      spec.series.forEach((s, si) => {
        const v = spec.value(r, s) || 0;
        if (!v) return;
        const w = Math.max(1, (v / max) * plotW);
        g.append(svg("rect", { x, y: barY, width: w, height: barH, class: `bar series-${si % 9}` },
          svg("title", { "data-text": "chart" }, `${r.label} · ${s.label}: ${fmt(v)}`)));
        x += w;
      });
      g.append(text({ x: x + 6, y: barY + barH - 3, class: "chart-value", "data-text": "intl" },
        fmt(totals[ri])));
      root.append(g);
    });
    this.replaceChildren(root);
  }
}

customElements.define("sw-chart", Chart);

// A <figure>: the caption, the chart, a line saying what it shows, and the same figures as a
// table (rows × series, with each row's total when there are several series).
export function chartFigure(spec, { id, note, empty, level = "h3" } = {}) {
  const capId = id || uid("chart");
  const fmt = spec.format || String;
  const chart = h("sw-chart");
  chart.spec = spec;
  const many = spec.series.length > 1;
  const cell = (v, label) => h("td", { class: "num", "data-label": label }, h("span", { "data-text": "intl" }, fmt(v || 0)));
  const nothing = spec.rows.every((r) => !total(spec, r));
  return h("figure", { class: "chart", "aria-labelledby": capId },
    h("figcaption", {}, h(level, { id: capId }, spec.title)),
    note ? h("p", { class: "hint" }, note) : null,
    nothing ? h("p", { class: "empty" }, empty || t("Nothing to show for this period.")) : chart,
    h("details", { class: "chart-table" },
      h("summary", {}, t("The figures as a table")),
      h("div", { class: "table-wrap" }, h("table", { class: "ws-table figures" },
        h("caption", { class: "visually-hidden" }, spec.title),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, spec.rowHeader || t("Row")),
          spec.series.map((s) => h("th", { scope: "col", "data-text": s.kind || null }, s.label)),
          many ? h("th", { scope: "col" }, t("Total")) : null)),
        h("tbody", {}, spec.rows.map((r) => h("tr", {},
          h("th", { scope: "row", "data-text": r.kind || null }, r.label),
          spec.series.map((s) => cell(spec.value(r, s), s.label)),
          many ? cell(total(spec, r), t("Total")) : null)))))));
}
