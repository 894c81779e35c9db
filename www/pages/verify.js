// verify.js — the link from the sign-up mail: confirms the address (POST
// /api/v1/signup/verify, which also signs the person in). A POST from the page, so a mail
// scanner that follows the link confirms nothing.
import * as api from "../lib/api.js";
import { h, data } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

export default async function verify(ctx) {
  const token = ctx.query.get("token");
  const page = (...body) => h("div", { class: "page narrow" }, ...body);
  if (!token) {
    return page(h("h1", { tabindex: "-1" }, t("This link is incomplete")),
      h("p", {}, t("Open the link from the mail again, or copy all of it into the address bar.")),
      h("p", {}, h("a", { href: "/signup" }, t("Sign up again"))));
  }
  let answer;
  try {
    answer = await api.post("/api/v1/signup/verify", { token });
  } catch (e) {
    if (!(e instanceof api.ApiError)) throw e;
    return page(h("h1", { tabindex: "-1" }, t("Your address could not be confirmed")),
      h("div", { class: "notice error", role: "alert" }, data(e.problem.detail || e.problem.title, "p")),
      h("p", {}, t("Links from the mail work once and expire. Sign up again to get a new one.")),
      h("p", {}, h("a", { href: "/signup" }, t("Sign up again"))));
  }
  const go = h("button", { type: "button", class: "button",
    onclick: () => ctx.signedIn(answer, "/app") }, t("Go to your workspace"));
  return page(h("h1", { tabindex: "-1" }, t("Your address is confirmed")),
    h("div", { class: "notice success", role: "status" },
      h("p", {}, t("Your company's account is ready and you are signed in."))),
    h("p", {}, go));
}
