// home.js — what Seawall does, for whom, and how to get help; the newest bulletins and the
// next fairs with a station (two API requests).
import "../components/sw-bulletin-summary.js";
import "../components/sw-fair.js";
import * as api from "../lib/api.js";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

// A list section that says so when its data could not be loaded instead of failing the page.
function listOr(promise, build, emptyText, failText) {
  return promise.then((page) => (page.items.length
    ? h("ul", { class: "cards" }, page.items.map((it) => h("li", {}, build(it))))
    : h("p", { class: "empty" }, emptyText)))
    .catch(() => h("p", { class: "notice" }, failText));
}

export default async function home(ctx) {
  const [bulletins, fairs] = await Promise.all([
    listOr(api.get("/api/v1/bulletins", { limit: 3 }), (b) => {
      const el = h("sw-bulletin-summary");
      el.bulletin = b;
      return el;
    }, t("No bulletins have been published yet."), t("The latest bulletins could not be loaded.")),
    listOr(api.get("/api/v1/shows", { limit: 3 }), (f) => {
      const el = h("sw-fair", { heading: "h3" });
      el.fair = f;
      return el;
    }, t("No upcoming fairs are listed yet."), t("The upcoming fairs could not be loaded.")),
  ]);
  const person = ctx.person;
  return h("div", { class: "page home" },
    h("section", { class: "hero" },
      h("h1", { tabindex: "-1" }, t("Early warning and assistance for exporters' intellectual property abroad")),
      h("p", { class: "lead" }, t("Seawall watches foreign courts, trademark offices, customs notices and trade-fair calendars for the marks, names, patents and markets of Chinese exporters. It warns them early, and connects them with the assistance centres and trade-fair IP service stations that help them respond.")),
      h("p", { class: "actions" },
        person
          ? h("a", { href: "/app", class: "button" }, t("Go to your workspace"))
          : h("a", { href: "/signup", class: "button" }, t("Sign up your company")),
        h("a", { href: "/bulletins", class: "button secondary" }, t("Read the bulletins")))),
    h("section", { class: "audiences", "aria-labelledby": "who" },
      h("h2", { id: "who" }, t("Who Seawall serves")),
      h("ul", { class: "tiles" },
        h("li", {}, h("h3", {}, t("Exporters and SMEs")),
          h("p", {}, t("Keep a watch list of your trademarks, company and trade names, patents, keywords, markets and fairs. Seawall sends an early warning when a similar mark is filed, a lawsuit names you or customs detain goods like yours, and lets you ask an assistance centre for help."))),
        h("li", {}, h("h3", {}, t("Assistance centres")),
          h("p", {}, t("The overseas IP dispute response guidance centres and rights-protection assistance centres receive exporters' cases, check them against answer deadlines and service-time targets, and assign experts from their expert pool."))),
        h("li", {}, h("h3", {}, t("Trade-fair IP service stations")),
          h("p", {}, t("Stations at overseas trade fairs log complaints against exhibitors on site, preserve evidence, help with answers and mediation, and pass serious disputes to an assistance centre."))))),
    h("section", { class: "help", id: "help", "aria-labelledby": "help-title" },
      h("h2", { id: "help-title" }, t("How to get help")),
      h("ol", { class: "steps" },
        h("li", {}, h("strong", {}, t("Act before the deadline.")), " ",
          t("If you have been sued, received a complaint or had goods detained by customs abroad, note the date: answer deadlines abroad are often only a few weeks away.")),
        h("li", {}, h("strong", {}, t("File a case.")), " ",
          t("Sign up your company and file a case in your workspace. An assistance centre accepts it, tells you what material it needs and assigns an expert.")),
        h("li", {}, h("strong", {}, t("At a trade fair, go to the station.")), " ",
          t("If a complaint is made against you at a fair, go to the IP service station on site; the trade fairs page lists them.")),
        h("li", {}, h("strong", {}, t("Watch for early warnings.")), " ",
          t("Read the bulletins the centres publish for your markets, or follow them as a feed; anyone may read them.")))),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "latest" },
        h("h2", { id: "latest" }, t("Latest early-warning bulletins")),
        bulletins,
        h("p", {}, h("a", { href: "/bulletins" }, t("All bulletins")))),
      h("section", { "aria-labelledby": "next-fairs" },
        h("h2", { id: "next-fairs" }, t("Upcoming trade fairs")),
        fairs,
        h("p", {}, h("a", { href: "/fairs" }, t("All trade fairs and their stations"))))));
}
