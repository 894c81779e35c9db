// fairs.js — upcoming trade fairs abroad, each with the IP service station on site. One API
// request.
import "../components/sw-fair.js";
import "../components/sw-pager.js";
import * as api from "../lib/api.js";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

const PAGE = 20;

export default async function fairs(ctx) {
  const cursor = ctx.query.get("cursor") || "";
  const page = await api.get("/api/v1/shows", { cursor, limit: PAGE });
  const pager = h("sw-pager");
  pager.first = cursor ? "/fairs" : null;
  pager.older = page.next ? `/fairs?cursor=${encodeURIComponent(page.next)}` : null;
  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Trade fairs")),
    h("p", { class: "lead" }, t("Upcoming trade fairs abroad and the IP service stations on site. If you exhibit, find the station before the fair opens: if a complaint is made against you, it can help the same day.")),
    page.items.length
      ? h("ul", { class: "cards fairs" }, page.items.map((f) => {
        const el = h("sw-fair");
        el.fair = f;
        return h("li", {}, el);
      }))
      : h("p", { class: "empty" }, t("No upcoming fairs are listed yet.")),
    pager);
}
