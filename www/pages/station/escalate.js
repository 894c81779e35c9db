// station/escalate.js — turning an incident into a case for the accused exhibitor
// (/station/incidents/:id/escalate) without knowing ids: the fair's attending exporters by
// name, the matcher's suggestion first; picking the suggestion sends use_suggestion.
import * as api from "../../lib/api.js";
import { h, data, replace } from "../../lib/dom.js";
import { t, tnodes } from "../../lib/i18n.js";
import { KINDS, label } from "../../lib/station-terms.js";
import { bar, setUp } from "./home.js";

const MATCH = {
  exact: () => t("exact name"),
  same_trade_name: () => t("same trade name"),
  similar: () => t("similar name"),
};

export default async function escalatePage(ctx) {
  const { show } = await setUp(ctx.person);
  const id = ctx.params.id;
  const inc = await api.get(`/api/v1/incidents/${encodeURIComponent(id)}`);
  ctx.setTitle(t("Escalate an incident"));
  const choices = h("fieldset", { class: "choice attendees" },
    h("legend", {}, t("The exhibitor among the fair's attending exporters")));
  const status = h("p", { role: "status", class: "form-status" });
  const fill = (answer) => {
    const items = answer.items || [];
    replace(choices, h("legend", {}, t("The exhibitor among the fair's attending exporters")),
      items.length ? items.map((a, i) => h("label", {},
        h("input", { type: "radio", name: "subscriber", value: a.subscriber_id, checked: i === 0,
          "data-suggested": a.suggested ? "true" : null }),
        h("span", {}, data(a.name, "strong"), " ", h("span", { class: "case-meta" },
          a.suggested ? t("suggested") : null, a.suggested ? " · " : null,
          MATCH[a.match] ? MATCH[a.match]() : null))))
        : h("p", {}, t("No attending exporter has this name.")));
  };
  fill(await api.get(`/api/v1/shows/${encodeURIComponent(show.id)}/attendees`,
    { incident: id }));
  const search = h("form", { class: "form", role: "search", novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      fill(await api.get(`/api/v1/shows/${encodeURIComponent(show.id)}/attendees`,
        { incident: id, q: search.elements.q.value.trim() }));
    } },
    h("div", { class: "field" }, h("label", { for: "attendee-q" }, t("Search by name")),
      h("input", { id: "attendee-q", name: "q", type: "search",
        value: inc.exhibitor?.name || "" })),
    h("button", { type: "submit", class: "button secondary" }, t("Search")));
  const form = h("form", { class: "form escalate-form", novalidate: true, method: "post",
    action: location.pathname }, choices, status,
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, t("Open a case for this exporter"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const picked = form.querySelector("input[name=subscriber]:checked");
    if (!picked) {
      status.textContent = t("Choose the exhibitor first.");
      return;
    }
    const body = picked.dataset.suggested ? { use_suggestion: true }
      : { subscriber_id: Number(picked.value) };
    try {
      const res = await api.post(`/api/v1/incidents/${encodeURIComponent(id)}/escalate`, body);
      replace(status, tnodes("Case {case} is open for the exhibitor.",
        { case: data(`#${res.case.id}`) }));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      replace(status, data(e.problem.detail || e.problem.title));
    }
  });
  return h("div", { class: "station" },
    h("h1", { tabindex: "-1" }, t("Escalate an incident")),
    bar(),
    h("p", {}, tnodes("{kind}: {exhibitor}, complaint by {complainant}", {
      kind: label(KINDS, inc.kind), exhibitor: data(inc.exhibitor?.name),
      complainant: data(inc.complainant?.name) })),
    search, form);
}
