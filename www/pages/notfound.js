// notfound.js — what a path the portal does not know, or a thing that does not exist, shows.
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

export default function notFound() {
  return h("section", { class: "page narrow" },
    h("h1", { tabindex: "-1" }, t("Page not found")),
    h("p", {}, t("There is nothing at this address. It may have been mistyped, or what it showed has been removed.")),
    h("p", {}, h("a", { href: "/" }, t("Go to the home page"))));
}
