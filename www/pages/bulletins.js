// bulletins.js — the early-warning bulletins, newest first, filtered by country and severity
// (kept in the address, so a filtered list can be bookmarked and shared), paged by cursor.
// One API request.
import "../components/sw-bulletin-summary.js";
import "../components/sw-pager.js";
import { SEVERITIES, severityLabel } from "../components/sw-severity.js";
import * as api from "../lib/api.js";
import { MARKETS, options } from "../lib/countries.js";
import { h } from "../lib/dom.js";
import { field } from "../lib/forms.js";
import { t } from "../lib/i18n.js";

const PAGE = 20;

function address(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export default async function bulletins(ctx) {
  const country = ctx.query.get("country") || "";
  const severity = ctx.query.get("severity") || "";
  const cursor = ctx.query.get("cursor") || "";
  const page = await api.get("/api/v1/bulletins", { country, severity, cursor, limit: PAGE });
  const markets = MARKETS.includes(country) || !country ? MARKETS : [country, ...MARKETS];

  const form = h("form", { class: "filters", role: "search", action: "/bulletins", method: "get",
    "aria-label": t("Filter bulletins"),
    onsubmit: (ev) => {
      ev.preventDefault();
      const f = new FormData(form);
      ctx.navigate(address("/bulletins", { country: f.get("country"), severity: f.get("severity") }));
    } },
  field({ name: "country", label: t("Country or region"), value: country,
    options: [{ value: "", label: t("All countries and regions") }, ...options(markets)] }),
  field({ name: "severity", label: t("Severity"), value: severity,
    options: [{ value: "", label: t("All severities") },
      ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))] }),
  h("div", { class: "filter-actions" },
    h("button", { type: "submit", class: "button" }, t("Show bulletins")),
    country || severity ? h("a", { href: "/bulletins" }, t("Clear filters")) : null));

  const pager = h("sw-pager");
  pager.first = cursor ? address("/bulletins", { country, severity }) : null;
  pager.older = page.next ? address("/bulletins", { country, severity, cursor: page.next }) : null;
  const feed = address("/api/v1/bulletins.atom", { country, severity });

  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Early-warning bulletins")),
    h("p", { class: "lead" }, t("Risk warnings that the assistance centres publish for exporters: waves of lawsuits, customs actions, squatting of Chinese brands and other risks in overseas markets. Anyone may read them.")),
    form,
    h("section", { "aria-labelledby": "results", class: "results" },
      h("h2", { id: "results", class: "visually-hidden" }, t("Bulletins")),
      page.items.length
        ? h("ul", { class: "cards" }, page.items.map((b) => {
          const el = h("sw-bulletin-summary", { heading: "h3" });
          el.bulletin = b;
          return h("li", {}, el);
        }))
        : h("p", { class: "empty" }, country || severity
          ? t("No bulletins match these filters.") : t("No bulletins have been published yet.")),
      pager),
    h("p", { class: "feed-link" },
      h("a", { href: feed, type: "application/atom+xml" },
        country || severity ? t("Follow these bulletins as an Atom feed")
          : t("Follow all bulletins as an Atom feed"))));
}
