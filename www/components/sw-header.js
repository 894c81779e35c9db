// <sw-header>: the Seawall name, the main navigation (the registry's nav "main" pages), the
// language switch and the way in (sign in / sign up) or, signed in, to the workspace. On a
// phone the navigation folds behind a Menu button.
import "./sw-lang-switch.js";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import * as session from "../lib/session.js";
import { routes } from "../pages/registry.js";

class Header extends HTMLElement {
  connectedCallback() {
    this.render();
  }

  // Marks the link of the current section with aria-current.
  mark(pathname) {
    for (const a of this.querySelectorAll("nav a")) {
      const p = a.getAttribute("href");
      const here = p === "/" ? pathname === "/" : pathname === p || pathname.startsWith(`${p}/`);
      if (here) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  render() {
    const person = session.current();
    const menuId = "site-menu";
    const toggle = h("button", {
      type: "button", class: "menu-toggle", "aria-expanded": "false", "aria-controls": menuId,
      onclick: () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        this.querySelector(".site-menu").classList.toggle("open", open);
      },
    }, t("Menu"));
    const account = person
      ? [h("a", { href: "/app", class: "account-link" }, t("Workspace"))]
      : [h("a", { href: "/signin", class: "account-link" }, t("Sign in")),
        h("a", { href: "/signup", class: "account-link primary" }, t("Sign up"))];
    const bar = h("div", { class: "bar" },
      h("a", { href: "/", class: "brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }),
        h("span", { class: "brand-text" },
          h("span", { class: "brand-name" }, t("Seawall")),
          h("span", { class: "brand-tag" }, t("Overseas IP early warning and assistance")))),
      toggle,
      h("div", { class: "site-menu", id: menuId },
        h("nav", { "aria-label": t("Main") },
          h("ul", {}, routes.filter((r) => r.nav === "main").map((r) =>
            h("li", {}, h("a", { href: r.path }, r.title()))))),
        h("div", { class: "tools" }, h("sw-lang-switch"), h("div", { class: "account" },
          account))));
    this.replaceChildren(h("div", { class: "wrap" }, bar));
    this.mark(location.pathname);
  }

  // Folds the phone menu (after a navigation).
  fold() {
    const toggle = this.querySelector(".menu-toggle");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    this.querySelector(".site-menu")?.classList.remove("open");
  }
}

customElements.define("sw-header", Header);
