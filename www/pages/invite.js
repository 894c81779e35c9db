// invite.js — the link from an invitation: who invites whom to which account (GET
// /api/v1/invitations/{token}), then a name, a password and a language to accept it (POST
// /api/v1/invitations/accept). Two API requests.
import * as api from "../lib/api.js";
import { h, data, replace } from "../lib/dom.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../lib/forms.js";
import { LANGUAGES, current, t, tnodes } from "../lib/i18n.js";

const ROLE = {
  exporter: () => t("a colleague in the exporter's team"),
  triager: () => t("a triager at the assistance centre"),
  expert: () => t("an expert in the centre's expert pool"),
  station: () => t("staff of the trade-fair IP service station"),
  association: () => t("staff of the industry association"),
  admin: () => t("an administrator"),
};

// A name from the invitation's parts, whichever way the API names them.
function nameOf(v) {
  if (!v) return "";
  return typeof v === "string" ? v : v.name || v.email || "";
}

function invalid(problem) {
  return h("div", { class: "page narrow" },
    h("h1", { tabindex: "-1" }, t("This invitation cannot be used")),
    h("div", { class: "notice error", role: "alert" }, data(problem.detail || problem.title, "p")),
    h("p", {}, t("Invitations work once and expire. Ask the person who invited you to send a new one.")));
}

export default async function invite(ctx) {
  const token = ctx.query.get("token");
  if (!token) return invalid({ title: t("The link has no invitation in it.") });
  let inv;
  try {
    inv = await api.get(`/api/v1/invitations/${encodeURIComponent(token)}`);
  } catch (e) {
    if (!(e instanceof api.ApiError)) throw e;
    return invalid(e.problem);
  }
  const inviter = nameOf(inv.inviter || inv.invited_by);
  const account = nameOf(inv.account || inv.subject);
  const page = h("div", { class: "page narrow" });
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/invite",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { name: t("Enter your name"), password: t("Choose a password") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      busy(form, true);
      try {
        const answer = await api.post("/api/v1/invitations/accept", { token, name: v.name.trim(),
          password: v.password, lang: v.lang });
        if (answer?.person && answer.csrf_token) {
          await ctx.signedIn(answer, "/app");
          return;
        }
        replace(page, h("h1", { tabindex: "-1" }, t("Your account is ready")),
          h("p", {}, h("a", { href: "/signin", class: "button" }, t("Sign in"))));
        page.querySelector("h1").focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  inv.email ? h("p", {}, tnodes("You will sign in as {email}.", { email: data(inv.email, "strong") }))
    : null,
  field({ name: "name", label: t("Your name"), autocomplete: "name", required: true }),
  field({ name: "password", type: "password", label: t("Password"), autocomplete: "new-password",
    hint: t("Use a long password that you use nowhere else."), required: true }),
  field({ name: "lang", label: t("Language for Seawall and its mail"), value: current(),
    options: LANGUAGES.map((l) => ({ value: l.code, label: l.name, intl: true })) }),
  h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "button" }, t("Accept the invitation"))));
  return replace(page,
    h("h1", { tabindex: "-1" }, t("Accept an invitation")),
    h("p", { class: "lead" }, inviter && account
      ? tnodes("{inviter} invites you to join {account} as {role}.", { inviter: data(inviter, "strong"),
        account: data(account, "strong"), role: (ROLE[inv.role] || (() => inv.role || ""))() })
      : t("You have been invited to Seawall.")),
    form);
}
