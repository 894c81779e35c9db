// not-for-role.js — what a signed-in person sees at a workspace page their role may not open
// (registry.js's roles): whose page it is, who they are, and the way to their own pages. The
// page's module is not loaded and makes no API request.
import { roleLabel } from "../components/sw-app-nav.js";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

export default function notForRole(route, person) {
  const role = roleLabel(person?.role);
  return h("section", { class: "page narrow not-for-role" },
    h("h1", { tabindex: "-1" }, route.title()),
    h("p", { class: "notice" },
      route.roles.includes("exporter")
        ? t("This page is for exporters: it shows an exporter's own company and its work.")
        : t("This page is not for your role."),
      " ",
      role ? t("You are signed in as: {role}.", { role }) : null),
    h("p", {}, h("a", { href: "/app" }, t("Go to your workspace"))));
}
