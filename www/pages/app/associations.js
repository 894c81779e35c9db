// app/associations.js — the exporter's industry associations (行业组织、产业知识产权联盟)
// (/app/associations): the invitations waiting for an answer and the memberships, each with
// the company's choice of what the association may see (early warnings, cases too, or
// membership only), changed at any time; declining an invitation or leaving. One API request
// besides the session.
import * as api from "../../lib/api.js";
import { SHARES, SHARE_HINTS, STATUS } from "../../lib/assoc-terms.js";
import { term } from "../../lib/console-terms.js";
import { h, data, replace } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { busy, showProblem, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const CHOICES = ["none", "alerts", "cases"];

export default async function associations() {
  // The console's panels and actions, the watch list's radio choices with their hints.
  await Promise.all([loadStyle("console"), loadStyle("portfolio")]);
  let items = (await api.get("/api/v1/me/associations")).items;
  const said = h("p", { class: "status", role: "status" });
  const area = h("div", { class: "association-list" });

  function card(m) {
    const a = m.association;
    const id = `assoc-${a.id}`;
    const invited = m.status !== "member";
    const choice = (value) => h("div", { class: "choice" },
      h("input", { type: "radio", name: "share", id: `${id}-${value}`, value,
        checked: (invited ? "none" : m.share) === value, "aria-describedby": `${id}-${value}-hint` }),
      h("label", { for: `${id}-${value}` }, SHARES[value]()),
      h("p", { class: "hint", id: `${id}-${value}-hint` }, SHARE_HINTS[value]()));
    const leave = h("button", { type: "button", class: "button secondary", onclick: async () => {
      if (leave.dataset.sure !== "1") {
        leave.dataset.sure = "1";
        leave.textContent = invited ? t("Confirm: decline the invitation") : t("Confirm: leave the association");
        return;
      }
      leave.disabled = true;
      try {
        await api.del(`/api/v1/me/associations/${encodeURIComponent(a.id)}`);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        leave.disabled = false;
        said.textContent = e.problem.detail || e.problem.title;
        return;
      }
      items = items.filter((x) => x.association.id !== a.id);
      render();
      said.textContent = invited ? t("You declined the invitation of {name}.", { name: a.name })
        : t("You left {name}. It no longer sees anything of your company.", { name: a.name });
      document.querySelector("h1")?.focus();
    } }, invited ? t("Decline the invitation") : t("Leave the association"));
    const form = h("form", { class: "form consent-form", novalidate: true, method: "post",
      action: "/app/associations", onsubmit: async (ev) => {
        ev.preventDefault();
        const share = form.elements.namedItem("share").value;
        busy(form, true);
        try {
          const saved = await api.post(`/api/v1/me/associations/${encodeURIComponent(a.id)}/consent`, { share });
          items = items.map((x) => (x.association.id === a.id ? { ...x, ...saved } : x));
          render();
          said.textContent = invited
            ? t("You joined {name}. It sees: {what}.", { name: a.name, what: SHARES[share]() })
            : t("Saved. {name} now sees: {what}.", { name: a.name, what: SHARES[share]() });
          document.getElementById(`${id}-heading`)?.focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showProblem(form, e.problem);
        } finally {
          busy(form, false);
        }
      } },
    summary(),
    h("fieldset", { class: "share-choice" }, h("legend", {}, t("What the association may see")),
      CHOICES.map(choice)),
    h("div", { class: "form-actions split" },
      h("button", { type: "submit", class: "button" }, invited ? t("Join and share this") : t("Save the choice")),
      leave));
    return h("section", { class: "panel", "aria-labelledby": `${id}-heading`, "data-association": a.id },
      h("h3", { id: `${id}-heading`, tabindex: "-1" }, data(a.name)),
      h("dl", { class: "facts inline" },
        h("dt", {}, t("Status")), h("dd", {}, term(STATUS, m.status)),
        a.sector ? [h("dt", {}, t("Sector")), h("dd", {}, data(a.sector))] : null,
        a.country ? [h("dt", {}, t("Country")), h("dd", {}, countryEl(a.country))] : null,
        invited ? [h("dt", {}, t("Invited")), h("dd", {}, timeEl(m.invited_at, false))]
          : [h("dt", {}, t("It sees")), h("dd", {}, term(SHARES, m.share))]),
      invited ? h("p", {}, tnodes("{name} invites your company to join. Choose what it may see; you can change this or leave at any time.", {
        name: data(a.name, "strong") })) : null,
      form);
  }

  function render() {
    const open = items.filter((m) => m.status !== "member");
    const joined = items.filter((m) => m.status === "member");
    replace(area,
      open.length ? [h("h2", {}, t("Invitations")), open.map(card)] : null,
      joined.length ? [h("h2", {}, t("Memberships")), joined.map(card)] : null,
      items.length ? null : h("p", { class: "empty" }, t("No association has invited your company yet.")));
  }

  render();
  return h("div", { class: "page associations" },
    h("h1", { tabindex: "-1" }, t("Associations")),
    h("p", { class: "lead" }, t("Industry associations and IP alliances watch whole sectors and coordinate the response when many members are hit at once. You decide what each may see of your company.")),
    said, area);
}
