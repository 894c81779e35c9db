// assoc/members.js — the association's members (/assoc/members): inviting an exporter company
// (by the address of one of its people, or its Seawall number), the companies invited and the
// members with what each has chosen to share, and withdrawing an invitation or ending a
// membership after a confirmation. One API request besides the session.
import * as api from "../../lib/api.js";
import { SHARES, STATUS, assocId } from "../../lib/assoc-terms.js";
import { term } from "../../lib/console-terms.js";
import { h, data, replace } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { busy, check, field, showErrors, summary, values } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

export default async function members(ctx) {
  await loadStyle("console");
  const a = assocId(ctx);
  const base = `/api/v1/associations/${encodeURIComponent(a)}`;
  let list = (await api.get(`${base}/members`)).items;
  const status = h("p", { class: "status", role: "status" });
  const area = h("div", {});

  async function remove(m, button) {
    const sure = button.dataset.sure === "1";
    if (!sure) {
      button.dataset.sure = "1";
      button.textContent = m.status === "member" ? t("Confirm: end the membership")
        : t("Confirm: withdraw the invitation");
      return;
    }
    button.disabled = true;
    try {
      await api.del(`${base}/members/${encodeURIComponent(m.subscriber)}`);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      button.disabled = false;
      status.textContent = e.problem.detail || e.problem.title;
      return;
    }
    list = list.filter((x) => x.subscriber !== m.subscriber);
    render();
    status.textContent = t("{name} is no longer on the list.", { name: m.name });
    form.querySelector("input").focus();
  }

  function row(m) {
    const button = h("button", { type: "button", class: "button secondary",
      onclick: (ev) => remove(m, ev.currentTarget) },
    m.status === "member" ? t("End the membership") : t("Withdraw the invitation"),
    h("span", { class: "visually-hidden" }, " ", data(m.name)));
    return h("tr", { "data-subscriber": m.subscriber },
      h("th", { scope: "row" }, data(m.name)),
      h("td", { "data-label": t("Country") }, m.country ? countryEl(m.country) : "—"),
      h("td", { "data-label": t("Status") }, term(STATUS, m.status)),
      h("td", { "data-label": t("Shares") }, m.status === "member" ? term(SHARES, m.share) : "—"),
      h("td", { "data-label": t("Since") }, timeEl(m.joined_at || m.invited_at, false)),
      h("td", {}, button));
  }

  function render() {
    replace(area, list.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table members" },
        h("caption", { class: "visually-hidden" }, t("Companies invited and members")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Company")),
          h("th", { scope: "col" }, t("Country")), h("th", { scope: "col" }, t("Status")),
          h("th", { scope: "col" }, t("Shares")), h("th", { scope: "col" }, t("Since")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
        h("tbody", {}, list.map(row))))
      : h("p", { class: "empty" }, t("No members yet. Invite the exporters of your sector below.")));
  }

  const form = h("form", { class: "form invite-form", novalidate: true, method: "post",
    action: "/assoc/members", onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { invitee: t("Enter an e-mail address or a Seawall number") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const who = values(form).invitee.trim();
      const body = /^\d+$/.test(who) ? { subscriber: Number(who) } : { email: who };
      busy(form, true);
      try {
        const m = await api.post(`${base}/invitations`, body);
        list = [...list, m];
        render();
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        status.textContent = t("{name} is invited. The company answers in its workspace.", { name: m.name });
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        const msgs = (e.problem.errors || []).map((x) => ({ name: "invitee", message: x.message, api: true }));
        showErrors(form, msgs.length ? msgs : [{ name: "invitee", message: e.problem.detail || e.problem.title, api: true }]);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "invitee", label: t("The company's e-mail address or Seawall number"), autocomplete: "off",
    required: true, hint: t("The address of one of the company's people in Seawall, or its subscriber number.") }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Invite"))));

  render();
  return h("div", { class: "page assoc" },
    h("h1", { tabindex: "-1" }, t("Members")),
    h("p", { class: "lead" }, t("Exporters join by invitation and choose what they share: early warnings, cases too, or membership only. They may change their choice or leave at any time.")),
    status,
    h("section", { class: "panel", "aria-labelledby": "invite-heading" },
      h("h2", { id: "invite-heading" }, t("Invite a company")), form),
    h("section", { "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, t("Companies invited and members")), area));
}
