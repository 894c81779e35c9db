// assoc/watch.js — the association's sector watch (/assoc/watch): the watch-list page of an
// exporter (pages/app/portfolio.js, the same items, markets and dialogs) over the
// association's own subscriber, with the choice of where its early warnings go: to the
// association alone, or also to each member who trades in the market concerned. Three API
// requests besides the session: the association, and the watch list's two.
import * as api from "../../lib/api.js";
import { FORWARDS, assocId } from "../../lib/assoc-terms.js";
import { h } from "../../lib/dom.js";
import { busy, showProblem, summary } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";
import { watchList } from "../app/portfolio.js";

function forwarding(assoc) {
  const path = `/api/v1/associations/${encodeURIComponent(assoc.id)}`;
  const said = h("p", { class: "status", role: "status" });
  const choice = (value) => h("div", { class: "choice" },
    h("input", { type: "radio", name: "forward_to_members", id: `fwd-${value}`, value,
      checked: (assoc.forward_to_members || "none") === value }),
    h("label", { for: `fwd-${value}` }, FORWARDS[value]()));
  const form = h("form", { class: "form forward-form", novalidate: true, method: "post",
    action: "/assoc/watch", onsubmit: async (ev) => {
      ev.preventDefault();
      const value = form.elements.namedItem("forward_to_members").value;
      busy(form, true);
      try {
        const saved = await api.patch(path, { forward_to_members: value });
        said.textContent = saved.forward_to_members === "affected"
          ? t("Saved: members in the market concerned receive a copy of each early warning.")
          : t("Saved: the early warnings stay with the association.");
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  h("fieldset", {}, h("legend", {}, t("Where the sector watch's early warnings go")),
    choice("none"), choice("affected")),
  h("p", { class: "hint" }, t("A member receives a copy when its markets or the countries of its watch list include the market of the event, in its own language and channels. Members choose nothing here: forwarding tells them, it does not tell the association anything about them.")),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Save"))),
  said);
  return h("section", { class: "panel", "aria-labelledby": "forward-heading" },
    h("h2", { id: "forward-heading" }, t("Forwarding to members")), form);
}

export default async function watch(ctx) {
  await loadStyle("console");
  const assoc = await api.get(`/api/v1/associations/${encodeURIComponent(assocId(ctx))}`);
  return watchList(ctx, {
    path: "/assoc/watch",
    heading: t("Sector watch"),
    lead: t("What Seawall watches for the whole sector: its keywords, trade marks and names, the markets and fairs that matter, and the plaintiffs who often sue its members (as company names). Matching early warnings arrive in the association's inbox."),
    importHref: null,
    before: forwarding(assoc),
  });
}
