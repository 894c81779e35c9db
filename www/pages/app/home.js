// app/home.js — the workspace's first page: who is signed in and where to go from here (the
// pages of the side navigation). The exporter's dashboard grows here.
import { h, data } from "../../lib/dom.js";
import { t, tnodes } from "../../lib/i18n.js";
import { routes } from "../registry.js";

export default async function home(ctx) {
  const person = ctx.person;
  const pages = routes.filter((r) => r.nav === "app" && r.path !== "/app" &&
    (!r.roles || r.roles.includes(person.role)));
  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Workspace")),
    h("p", { class: "lead" }, tnodes("Signed in as {name}.", { name: data(person.name || person.email, "strong") })),
    pages.length ? h("ul", { class: "tiles" }, pages.map((r) => h("li", {},
      h("h2", {}, h("a", { href: r.path }, r.title()))))) : null,
    h("p", {}, h("a", { href: "/bulletins" }, t("Read the latest early-warning bulletins"))));
}
