// app/team.js — the exporter's team: the colleagues who share its cases, alerts and
// watch-list (GET /api/v1/team), and for the team's owners inviting more by mail (as owner or
// member) and the invitations still open, which they may revoke. API tokens are personal (the
// API lists a person's own), so they are on the account page. Two API requests besides the
// session (one for a member).
import * as api from "../../lib/api.js";
import { h, data } from "../../lib/dom.js";
import { timeEl } from "../../lib/format.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";

const TEAM_ROLES = {
  owner: () => t("Owner"),
  member: () => t("Member"),
};

function teamRole(r) {
  return TEAM_ROLES[r] ? TEAM_ROLES[r]() : data(r || "");
}

function colleagueRow(p, me) {
  return h("tr", { "data-person": p.id },
    h("th", { scope: "row" }, data(p.name || p.email),
      p.id === me.id ? h("span", { class: "muted" }, " ", t("(you)")) : null),
    h("td", { "data-label": t("Email") }, data(p.email)),
    h("td", { "data-label": t("Role in the team") }, teamRole(p.team_role)),
    h("td", { "data-label": t("Second factor") }, p.totp_enabled ? t("On") : t("Off")),
    h("td", { "data-label": t("Joined") }, p.created_at ? timeEl(p.created_at, false) : "—"));
}

export default async function team(ctx) {
  const me = ctx.person;
  const owner = me.team_role === "owner";
  const [people, invitations] = await Promise.all([
    api.get("/api/v1/team", { limit: 200 }),
    owner ? api.get("/api/v1/invitations") : Promise.resolve({ items: [] }),
  ]);
  const status = h("p", { class: "visually-hidden", role: "status" });
  const pending = h("tbody");
  const pendingWrap = h("div", { class: "table-wrap" });
  const noPending = h("p", { class: "empty" }, t("No invitations are waiting for an answer."));

  function showPending() {
    const any = pending.children.length > 0;
    pendingWrap.hidden = !any;
    noPending.hidden = any;
  }

  function inviteRow(inv) {
    const revoke = h("button", { type: "button", class: "button secondary", onclick: async () => {
      revoke.disabled = true;
      try {
        await api.del(`/api/v1/invitations/${encodeURIComponent(inv.id)}`);
        row.remove();
        showPending();
        status.textContent = t("The invitation to {email} has been revoked.", { email: inv.email });
        form.querySelector("input[name=email]").focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        revoke.disabled = false;
        status.textContent = e.problem.detail || e.problem.title;
      }
    } }, t("Revoke"), h("span", { class: "visually-hidden" }, " ", data(inv.email)));
    const row = h("tr", { "data-invitation": inv.id },
      h("th", { scope: "row" }, data(inv.email)),
      h("td", { "data-label": t("Role in the team") }, teamRole(inv.team_role)),
      h("td", { "data-label": t("Sent") }, inv.created_at ? timeEl(inv.created_at) : "—"),
      h("td", { "data-label": t("Expires") }, inv.expires_at ? timeEl(inv.expires_at) : "—"),
      h("td", {}, revoke));
    return row;
  }

  const form = h("form", { class: "form invite-form", novalidate: true, method: "post",
    action: "/app/team", onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { email: t("Enter your colleague's email address") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      busy(form, true);
      try {
        const inv = await api.post("/api/v1/invitations", { email: v.email.trim(), role: "exporter",
          team_role: v.team_role });
        pending.prepend(inviteRow(inv));
        showPending();
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        status.textContent = t("An invitation has been mailed to {email}.", { email: inv.email });
        sent.textContent = status.textContent;
        sent.hidden = false;
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "email", type: "email", label: t("Colleague's email address"), autocomplete: "off",
    required: true }),
  field({ name: "team_role", label: t("Role in the team"), value: "member",
    hint: t("Owners may also invite colleagues and revoke invitations."),
    options: [{ value: "member", label: t("Member") }, { value: "owner", label: t("Owner") }] }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Send the invitation"))));
  const sent = h("p", { class: "notice success", hidden: true });
  for (const inv of invitations.items || []) pending.append(inviteRow(inv));
  pendingWrap.append(h("table", { class: "ws-table invitations" },
    h("caption", { class: "visually-hidden" }, t("Invitations waiting for an answer")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Email")),
      h("th", { scope: "col" }, t("Role in the team")), h("th", { scope: "col" }, t("Sent")),
      h("th", { scope: "col" }, t("Expires")), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
    pending));
  showPending();

  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Team")),
    h("p", { class: "lead" }, t("Everyone in your company who uses Seawall: they share its cases, early warnings and watch list.")),
    status,
    h("section", { "aria-labelledby": "colleagues" },
      h("h2", { id: "colleagues" }, t("Colleagues")),
      h("div", { class: "table-wrap" }, h("table", { class: "ws-table team" },
        h("caption", { class: "visually-hidden" }, t("Colleagues")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Name")), h("th", { scope: "col" }, t("Email")),
          h("th", { scope: "col" }, t("Role in the team")), h("th", { scope: "col" }, t("Second factor")),
          h("th", { scope: "col" }, t("Joined")))),
        h("tbody", {}, people.items.map((p) => colleagueRow(p, me)))))),
    owner ? h("section", { "aria-labelledby": "invite" },
      h("h2", { id: "invite" }, t("Invite a colleague")),
      h("p", {}, t("Your colleague receives a link by mail that works once, for seven days.")),
      sent, form) : h("p", { class: "notice" }, t("Only the team's owners can invite colleagues.")),
    owner ? h("section", { "aria-labelledby": "pending" },
      h("h2", { id: "pending" }, t("Invitations waiting for an answer")),
      noPending, pendingWrap) : null,
    h("section", { "aria-labelledby": "team-tokens" },
      h("h2", { id: "team-tokens" }, t("API tokens")),
      h("p", {}, tnodes("API tokens are personal: each colleague makes and revokes their own on {link}.", {
        link: h("a", { href: "/app/account#tokens" }, t("their account page")) }))));
}
