// <sw-bulletin-summary>: one early-warning bulletin in a list — its title (a link to it), its
// severity, country and time, and the start of its text. Set .bulletin before adding it.
import "./sw-severity.js";
import { h, data } from "../lib/dom.js";
import { countryEl, timeEl } from "../lib/format.js";
import { current, t } from "../lib/i18n.js";

const EXCERPT = 220;

// A bulletin's text — {"zh-CN": …, "en": …}, one language at least — in the reader's
// language, else in the one it has.
export function inLang(v) {
  if (typeof v === "string") return v;
  if (!v) return "";
  const want = current() === "zh-CN" ? "zh-CN" : "en";
  return v[want] ?? v[want === "en" ? "zh-CN" : "en"] ?? "";
}

export function excerpt(text) {
  const s = String(text || "").replace(/\s+/g, " ").trim();
  return s.length > EXCERPT ? `${s.slice(0, EXCERPT - 1)}…` : s;
}

class BulletinSummary extends HTMLElement {
  connectedCallback() {
    const b = this.bulletin;
    if (!b) return;
    const heading = this.getAttribute("heading") || "h3";
    this.replaceChildren(h("article", { class: "card bulletin" },
      h("div", { class: "card-meta" },
        h("sw-severity", { level: b.severity }),
        h("span", { class: "meta-item" },
          h("span", { class: "visually-hidden" }, t("Country or region:")), " ",
          countryEl(b.country)),
        h("span", { class: "meta-item" },
          h("span", { class: "visually-hidden" }, t("Published:")), " ",
          timeEl(b.published_at, false))),
      h(heading, { class: "card-title" },
        h("a", { href: `/bulletins/${encodeURIComponent(b.id)}` }, data(inLang(b.title)))),
      data(excerpt(inLang(b.text)), "p", { class: "card-text" })));
  }
}

customElements.define("sw-bulletin-summary", BulletinSummary);
