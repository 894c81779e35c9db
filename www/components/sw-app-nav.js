// <sw-app-nav>: the workspace's side navigation — who is signed in, the pages of the registry
// with nav "app" that the person's role may open, and signing out.
import { h, data } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import * as session from "../lib/session.js";
import { routes } from "../pages/registry.js";

const ROLE = {
  exporter: () => t("Exporter"),
  triager: () => t("Triager"),
  expert: () => t("Expert"),
  station: () => t("Trade-fair IP service station"),
  admin: () => t("Administrator"),
  association: () => t("Industry association"),
};

// What a role is called, in the reader's language (the code itself when unknown).
export function roleLabel(role) {
  return ROLE[role] ? ROLE[role]() : role || "";
}

class AppNav extends HTMLElement {
  render() {
    const person = session.current();
    if (!person) {
      this.replaceChildren();
      return;
    }
    const pages = routes.filter((r) => r.nav === "app" &&
      (!r.roles || r.roles.includes(person.role)));
    const here = location.pathname;
    this.replaceChildren(h("nav", { "aria-label": t("Workspace") },
      h("div", { class: "who" },
        data(person.name || person.email, "p", { class: "who-name" }),
        ROLE[person.role] ? h("p", { class: "who-role" }, roleLabel(person.role)) : null),
      h("ul", {}, pages.map((r) => h("li", {}, h("a", {
        href: r.path, "aria-current": r.path === here ? "page" : null,
      }, r.title())))),
      h("button", {
        type: "button", class: "button secondary",
        onclick: () => this.dispatchEvent(new CustomEvent("sw-signout", { bubbles: true })),
      }, t("Sign out"))));
  }
}

customElements.define("sw-app-nav", AppNav);
