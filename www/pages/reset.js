// reset.js — a forgotten password: without a token, ask for a link by mail (POST
// /api/v1/password/forgot, always 202); with the token from that mail, choose a new password
// (POST /api/v1/password/reset).
import * as api from "../lib/api.js";
import { h, data, replace } from "../lib/dom.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../lib/forms.js";
import { t, tnodes } from "../lib/i18n.js";

function done(page, ...body) {
  replace(page, ...body);
  page.querySelector("h1").focus();
}

function askForLink(page) {
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/reset",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { email: t("Enter your email address") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const email = values(form).email.trim();
      busy(form, true);
      try {
        await api.post("/api/v1/password/forgot", { email });
        done(page, h("h1", { tabindex: "-1" }, t("Check your mail")),
          h("div", { class: "notice success", role: "status" },
            h("p", {}, tnodes("If {email} belongs to an account, a link to choose a new password is on its way. It works once, within an hour.",
              { email: data(email, "strong") }))),
          h("p", {}, h("a", { href: "/signin" }, t("Back to sign in"))));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "email", type: "email", label: t("Email address"), autocomplete: "username",
    required: true, spellcheck: "false" }),
  h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "button" }, t("Send me a link"))));
  return replace(page, h("h1", { tabindex: "-1" }, t("Reset your password")),
    h("p", { class: "lead" }, t("Enter the address you sign in with. We will send you a link to choose a new password.")),
    form);
}

function choosePassword(page, token) {
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/reset",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { password: t("Choose a new password"),
        confirm: t("Enter the new password again") });
      const v = values(form);
      if (!errors.length && v.password !== v.confirm) {
        errors.push({ name: "confirm", message: t("The two passwords are not the same") });
      }
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      busy(form, true);
      try {
        await api.post("/api/v1/password/reset", { token, password: v.password });
        done(page, h("h1", { tabindex: "-1" }, t("Your password has been changed")),
          h("div", { class: "notice success", role: "status" },
            h("p", {}, t("Sign in with your new password."))),
          h("p", {}, h("a", { href: "/signin", class: "button" }, t("Sign in"))));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "password", type: "password", label: t("New password"),
    autocomplete: "new-password", required: true }),
  field({ name: "confirm", type: "password", label: t("New password again"),
    autocomplete: "new-password", required: true }),
  h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "button" }, t("Change the password"))));
  return replace(page, h("h1", { tabindex: "-1" }, t("Choose a new password")), form);
}

export default async function reset(ctx) {
  const page = h("div", { class: "page narrow" });
  const token = ctx.query.get("token");
  return token ? choosePassword(page, token) : askForLink(page);
}
