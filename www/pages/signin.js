// signin.js — signing in with email and password, and the authenticator code when the
// account has one (POST /api/v1/session). Afterwards the page the person came for opens.
import * as api from "../lib/api.js";
import { h } from "../lib/dom.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../lib/forms.js";
import { t } from "../lib/i18n.js";

export default async function signin(ctx) {
  const next = ctx.query.get("next");
  const totp = field({ name: "totp", label: t("Code from your authenticator app"),
    hint: t("Six digits; a new code appears every 30 seconds."), inputmode: "numeric",
    autocomplete: "one-time-code", pattern: "[0-9]*", maxlength: "6" });
  totp.hidden = true;
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/signin",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const needed = { email: t("Enter your email address"), password: t("Enter your password") };
      if (!totp.hidden) needed.totp = t("Enter the code from your authenticator app");
      const errors = check(form, needed);
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      const body = { email: v.email.trim(), password: v.password };
      if (!totp.hidden) body.totp = v.totp.trim();
      busy(form, true);
      try {
        await ctx.signedIn(await api.post("/api/v1/session", body), next);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        if (e.slug === "totp-required" && totp.hidden) {
          totp.hidden = false;
          showErrors(form, [{ name: "totp", message: t("This account needs the code from your authenticator app.") }]);
        } else {
          showProblem(form, e.problem);
        }
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "email", type: "email", label: t("Email address"), autocomplete: "username",
    required: true, spellcheck: "false" }),
  field({ name: "password", type: "password", label: t("Password"),
    autocomplete: "current-password", required: true }),
  totp,
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Sign in"))));
  return h("div", { class: "page narrow" },
    h("h1", { tabindex: "-1" }, t("Sign in")),
    form,
    h("ul", { class: "form-links" },
      h("li", {}, h("a", { href: "/reset" }, t("Forgotten your password?"))),
      h("li", {}, h("a", { href: "/signup" }, t("No account yet? Sign up your company")))));
}
