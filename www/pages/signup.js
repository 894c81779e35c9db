// signup.js — an exporter signs up its company (POST /api/v1/signup); a link to confirm the
// address arrives by mail (/verify).
import * as api from "../lib/api.js";
import { ALL, options } from "../lib/countries.js";
import { h, data, replace } from "../lib/dom.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../lib/forms.js";
import { current, t, tnodes } from "../lib/i18n.js";

export default async function signup() {
  const page = h("div", { class: "page narrow" });
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/signup",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { company: t("Enter your company's name"),
        country: t("Choose the country where your company is registered"),
        email: t("Enter your email address"), password: t("Choose a password") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      busy(form, true);
      try {
        await api.post("/api/v1/signup", { company: v.company.trim(), country: v.country,
          email: v.email.trim(), password: v.password, lang: current() });
        replace(page,
          h("h1", { tabindex: "-1" }, t("Check your mail")),
          h("div", { class: "notice success", role: "status" },
            h("p", {}, tnodes("We have sent a link to {email}. Open it to confirm your address and finish signing up.",
              { email: data(v.email.trim(), "strong") }))),
          h("p", {}, t("No mail after a few minutes? Look in your spam folder, or sign up again to get a new link.")));
        page.querySelector("h1").focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "company", label: t("Company name"), autocomplete: "organization",
    hint: t("As registered, for example 宁波港湾照明有限公司."), required: true }),
  field({ name: "country", label: t("Country of registration"), value: "CN", required: true,
    autocomplete: "country", options: options(ALL) }),
  field({ name: "email", type: "email", label: t("Work email address"), autocomplete: "email",
    required: true, spellcheck: "false" }),
  field({ name: "password", type: "password", label: t("Password"), autocomplete: "new-password",
    hint: t("Use a long password that you use nowhere else."), required: true }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Sign up"))));
  return replace(page,
    h("h1", { tabindex: "-1" }, t("Sign up your company")),
    h("p", { class: "lead" }, t("Exporters keep their watch list in Seawall, receive early warnings and ask an assistance centre for help.")),
    form,
    h("ul", { class: "form-links" },
      h("li", {}, h("a", { href: "/signin" }, t("Already signed up? Sign in")))));
}
