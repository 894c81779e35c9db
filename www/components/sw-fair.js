// <sw-fair>: one upcoming trade fair — name, dates, place, and the IP service station on site.
// Set .fair (a show from GET /api/v1/shows) before adding it.
import { h, data } from "../lib/dom.js";
import { countryEl, dayRange, numberEl } from "../lib/format.js";
import { t, tnodes } from "../lib/i18n.js";

export function webUrl(u) {
  return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null;
}

class Fair extends HTMLElement {
  connectedCallback() {
    const f = this.fair;
    if (!f) return;
    const heading = this.getAttribute("heading") || "h2";
    const place = [f.venue, f.city].filter(Boolean).join(", ");
    const site = webUrl(f.website);
    const earlier = f.record?.incidents || 0;
    this.replaceChildren(h("article", { class: "card fair" },
      h(heading, { class: "card-title" }, data(f.name)),
      h("dl", { class: "facts" },
        h("dt", {}, t("Dates")),
        h("dd", {}, h("span", { "data-text": "intl" }, dayRange(f.starts, f.ends))),
        h("dt", {}, t("Place")),
        h("dd", {}, place ? [data(place), ", "] : null, countryEl(f.country)),
        f.organiser ? [h("dt", {}, t("Organiser")), h("dd", {}, data(f.organiser))] : null,
        h("dt", {}, t("IP service station")),
        h("dd", { class: f.station ? "station" : "station none" },
          f.station ? data(f.station.name) : t("No station is registered for this fair yet.")),
        earlier > 0 ? [h("dt", {}, t("Earlier editions")),
          h("dd", {}, tnodes("{count} incidents logged by the station", {
            count: numberEl(earlier) }))] : null),
      site ? h("p", { class: "card-links" },
        h("a", { href: site, rel: "noopener noreferrer", target: "_blank" },
          t("Fair website"), h("span", { class: "visually-hidden" }, t("(opens in a new tab)"))))
        : null));
  }
}

customElements.define("sw-fair", Fair);
