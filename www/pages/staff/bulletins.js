// staff/bulletins.js — the centre's early-warning bulletins (/staff/bulletins): the drafts
// (nobody's but the centre's staff), then the published ones, each with its languages, version
// and dates, and "Write a bulletin". Two API requests besides the session: the drafts and the
// published list (withdrawn bulletins leave the public list; each stays at its own address).
import "../../components/sw-severity.js";
import { inLang } from "../../components/sw-bulletin-summary.js";
import * as api from "../../lib/api.js";
import { languages } from "../../lib/console-bulletin.js";
import { h, data } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { t, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

function row(b) {
  return h("tr", { "data-bulletin": b.id },
    h("th", { scope: "row" }, h("a", { href: `/staff/bulletins/${b.id}` },
      data(inLang(b.title) || t("(untitled)")))),
    h("td", { "data-label": t("Severity") }, b.severity ? h("sw-severity", { level: b.severity }) : "—"),
    h("td", { "data-label": t("Country or region") }, b.country ? countryEl(b.country) : "—"),
    h("td", { "data-label": t("Languages") }, languages(b)),
    h("td", { "data-label": t("Changed") }, b.status === "draft" ? timeEl(b.updated_at || b.created_at)
      : b.corrected_at ? tnodes("version {v}, corrected {when}", { v: b.version, when: timeEl(b.corrected_at) })
        : tnodes("published {when}", { when: timeEl(b.published_at) })));
}

function table(items, caption) {
  return h("div", { class: "table-wrap" }, h("table", { class: "ws-table bulletins" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("Title")), h("th", { scope: "col" }, t("Severity")),
      h("th", { scope: "col" }, t("Country or region")), h("th", { scope: "col" }, t("Languages")),
      h("th", { scope: "col" }, t("Changed")))),
    h("tbody", {}, items.map((b) => row(b)))));
}

export default async function bulletins(ctx) {
  await loadStyle("console");
  const writer = ctx.person.role !== "expert";
  const [drafts, published] = await Promise.all([
    api.get("/api/v1/bulletins/drafts", { limit: 100 }),
    api.get("/api/v1/bulletins", { limit: 100 }),
  ]);
  const centre = ctx.person.centre;
  const ours = published.items.filter((b) => ctx.person.role === "admin" || !centre || b.centre === centre);
  return h("div", { class: "page console-bulletins" },
    h("div", { class: "page-head" },
      h("h1", { tabindex: "-1" }, t("Bulletin desk")),
      writer ? h("a", { href: "/staff/bulletins/new", class: "button" }, t("Write a bulletin")) : null),
    h("p", { class: "lead" }, t("Early-warning bulletins in Chinese and English: drafts are the centre's alone; publishing alerts the exporters they concern; a correction or withdrawal reaches everyone already alerted.")),
    h("section", { "aria-labelledby": "drafts" },
      h("h2", { id: "drafts" }, t("Drafts")),
      drafts.items.length ? table(drafts.items, t("Drafts"))
        : h("p", { class: "empty" }, t("No drafts."))),
    h("section", { "aria-labelledby": "published" },
      h("h2", { id: "published" }, t("Published")),
      ours.length ? table(ours, t("Published"))
        : h("p", { class: "empty" }, t("Nothing published yet.")),
      h("p", { class: "hint" }, t("Withdrawn bulletins leave this list; each keeps its own page with the reason."))));
}
