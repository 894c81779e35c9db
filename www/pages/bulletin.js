// bulletin.js — one early-warning bulletin in full. One API request.
import "../components/sw-severity.js";
import { inLang } from "../components/sw-bulletin-summary.js";
import { webUrl } from "../components/sw-fair.js";
import * as api from "../lib/api.js";
import { h, data } from "../lib/dom.js";
import { countryEl, timeEl } from "../lib/format.js";
import { t, tnodes } from "../lib/i18n.js";

export default async function bulletin(ctx) {
  if (!/^[1-9][0-9]{0,17}$/.test(ctx.params.id)) {
    throw new api.ApiError({ status: 404, title: t("Page not found") });
  }
  const b = await api.get(`/api/v1/bulletins/${ctx.params.id}`);
  const title = inLang(b.title);
  ctx.setTitle(title);
  const paragraphs = String(inLang(b.text)).split(/\n\s*\n/).filter((p) => p.trim());
  const source = webUrl(b.url);
  // A withdrawal, else the latest correction, said before the text.
  const change = b.status === "withdrawn"
    ? tnodes("Withdrawn on {date}: {reason}", { date: timeEl(b.withdrawn_at),
      reason: data(inLang(b.withdrawal?.reason)) })
    : b.corrected_at ? tnodes("Corrected on {date}: {note}", { date: timeEl(b.corrected_at),
      note: data(inLang(b.correction?.note)) }) : null;
  return h("article", { class: "page narrow bulletin-full" },
    h("p", { class: "back" }, h("a", { href: "/bulletins" }, t("All bulletins"))),
    h("h1", { tabindex: "-1" }, data(title)),
    change ? h("p", { class: "notice", role: "note" }, change) : null,
    h("dl", { class: "facts inline" },
      h("dt", {}, t("Severity")), h("dd", {}, h("sw-severity", { level: b.severity })),
      h("dt", {}, t("Country or region")), h("dd", {}, countryEl(b.country)),
      h("dt", {}, t("Published")), h("dd", {}, timeEl(b.published_at))),
    h("div", { class: "prose" }, paragraphs.map((p) => data(p, "p"))),
    b.keywords?.length ? h("section", { "aria-labelledby": "kw" },
      h("h2", { id: "kw" }, t("Keywords")),
      h("ul", { class: "tags" }, b.keywords.map((k) => h("li", {}, data(k))))) : null,
    source ? h("p", {}, h("a", { href: source, rel: "noopener noreferrer", target: "_blank" },
      t("Read the source"), h("span", { class: "visually-hidden" }, t("(opens in a new tab)"))))
      : null,
    h("aside", { class: "notice", "aria-labelledby": "todo" },
      h("h2", { id: "todo" }, t("What you can do")),
      h("p", {}, t("If this concerns your products or markets, check your listings, shipments and trademark filings there. If you need help, file a case with an assistance centre from your workspace.")),
      h("p", {}, ctx.person ? h("a", { href: "/app" }, t("Go to your workspace"))
        : h("a", { href: "/signup" }, t("Sign up your company")))));
}
