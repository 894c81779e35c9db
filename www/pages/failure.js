// failure.js — what a page shows when the API answered with a problem it cannot recover from.
import { h, data } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

export default function failure(problem, retry) {
  return h("section", { class: "page narrow" },
    h("h1", { tabindex: "-1" }, t("This page could not be shown")),
    h("div", { class: "notice error", role: "alert" },
      data(problem.title, "p", { class: "notice-title" }),
      problem.detail ? data(problem.detail, "p") : null),
    h("p", {}, h("button", { type: "button", class: "button", onclick: retry }, t("Try again"))));
}
