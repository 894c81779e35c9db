// registry.js — every page of the portal, one line each: its path (":name" is a parameter),
// its module in this folder (which exports `default async function (ctx)` returning the page's
// content), its layout ("public", or "app": signed in, with the side navigation), its title,
// and where it appears: nav "main" in the header, nav "app" in the workspace's side
// navigation (for the roles listed; every role when roles is absent). A signed-in person whose
// role a page's roles do not list is told whose page it is (pages/not-for-role.js).
// Adding a page: write pages/<name>.js and add its line here.
import { t } from "../lib/i18n.js";

export const routes = [
  { path: "/", module: "./home.js", title: () => t("Home"), nav: "main" },
  { path: "/bulletins", module: "./bulletins.js", title: () => t("Early-warning bulletins"),
    nav: "main" },
  { path: "/bulletins/:id", module: "./bulletin.js", title: () => t("Early-warning bulletin") },
  { path: "/fairs", module: "./fairs.js", title: () => t("Trade fairs"), nav: "main" },
  { path: "/coverage", module: "./coverage.js", title: () => t("Source coverage"), nav: "main" },
  { path: "/signin", module: "./signin.js", title: () => t("Sign in") },
  { path: "/signup", module: "./signup.js", title: () => t("Sign up") },
  { path: "/verify", module: "./verify.js", title: () => t("Confirm your email address") },
  { path: "/reset", module: "./reset.js", title: () => t("Reset your password") },
  { path: "/invite", module: "./invite.js", title: () => t("Accept an invitation") },
  { path: "/app", module: "./app/home.js", layout: "app", title: () => t("Dashboard"),
    nav: "app" },
  { path: "/app/inbox", module: "./app/inbox.js", layout: "app", title: () => t("Inbox"), nav: "app", roles: ["exporter", "association"] },
  { path: "/app/alerts/:id", module: "./app/alert.js", layout: "app", title: () => t("Early warning"), roles: ["exporter", "association"] },
  { path: "/app/portfolio", module: "./app/portfolio.js", layout: "app", title: () => t("Watch list"), nav: "app", roles: ["exporter"] },
  { path: "/app/portfolio/import", module: "./app/portfolio-import.js", layout: "app", title: () => t("Import into the watch list"), roles: ["exporter"] },
  { path: "/app/channels", module: "./app/channels.js", layout: "app", title: () => t("Delivery channels"), nav: "app", roles: ["exporter"] },
  { path: "/app/cases", module: "./app/cases.js", layout: "app", title: () => t("Cases"), nav: "app", roles: ["exporter"] },
  { path: "/app/cases/new", module: "./app/case-new.js", layout: "app", title: () => t("Ask for help with a dispute"), roles: ["exporter"] },
  { path: "/app/cases/:id", module: "./app/case.js", layout: "app", title: () => t("Case"), roles: ["exporter"] },
  { path: "/app/cases/:id/dossier", module: "./case-dossier.js", layout: "app", title: () => t("Claim dossier"), roles: ["exporter"] },
  { path: "/app/team", module: "./app/team.js", layout: "app", title: () => t("Team"), nav: "app", roles: ["exporter"] },
  { path: "/app/screening", module: "./app/screening.js", layout: "app", title: () => t("Risk screening"), nav: "app", roles: ["exporter"] },
  { path: "/app/screenings/:id", module: "./app/screening-result.js", layout: "app", title: () => t("Risk screening report"), roles: ["exporter"] },
  { path: "/app/parties/:id", module: "./app/party.js", layout: "app", title: () => t("Party"), roles: ["exporter"] },
  { path: "/app/follows", module: "./app/follows.js", layout: "app", title: () => t("Followed records"), nav: "app", roles: ["exporter"] },
  { path: "/app/associations", module: "./app/associations.js", layout: "app", title: () => t("Associations"), nav: "app", roles: ["exporter"] },
  { path: "/staff", module: "./staff/queue.js", layout: "app", title: () => t("Case queue"), nav: "app", roles: ["triager", "expert", "admin"] },
  { path: "/staff/cases/:id", module: "./staff/case.js", layout: "app", title: () => t("Case"), roles: ["triager", "expert", "admin"] },
  { path: "/staff/cases/:id/dossier", module: "./case-dossier.js", layout: "app", title: () => t("Claim dossier"), roles: ["triager", "expert", "admin"] },
  { path: "/staff/calendar", module: "./staff/calendar.js", layout: "app", title: () => t("Deadline calendar"), nav: "app", roles: ["triager", "expert", "admin"] },
  { path: "/staff/bulletins", module: "./staff/bulletins.js", layout: "app", title: () => t("Bulletin desk"), nav: "app", roles: ["triager", "expert", "admin"] },
  { path: "/staff/bulletins/new", module: "./staff/bulletin.js", layout: "app", title: () => t("Write a bulletin"), roles: ["triager", "admin"] },
  { path: "/staff/bulletins/:id", module: "./staff/bulletin.js", layout: "app", title: () => t("Bulletin"), roles: ["triager", "expert", "admin"] },
  { path: "/staff/stats", module: "./staff/stats.js", layout: "app", title: () => t("Statistics"), nav: "app", roles: ["triager", "expert", "admin"] },
  { path: "/staff/templates", module: "./staff/templates.js", layout: "app", title: () => t("Reply templates"), nav: "app", roles: ["triager", "expert"] },
  { path: "/station", module: "./station/home.js", layout: "app", title: () => t("Station desk"), nav: "app", roles: ["station"] },
  { path: "/station/log", module: "./station/log.js", layout: "app", title: () => t("Log an incident"), nav: "app", roles: ["station"] },
  { path: "/station/queue", module: "./station/queue.js", layout: "app", title: () => t("Records to send"), nav: "app", roles: ["station"] },
  { path: "/station/incidents/:id/escalate", module: "./station/escalate.js", layout: "app", title: () => t("Escalate an incident"), roles: ["station"] },
  { path: "/assoc", module: "./assoc/overview.js", layout: "app", title: () => t("Association overview"), nav: "app", roles: ["association"] },
  { path: "/assoc/members", module: "./assoc/members.js", layout: "app", title: () => t("Members"), nav: "app", roles: ["association"] },
  { path: "/assoc/watch", module: "./assoc/watch.js", layout: "app", title: () => t("Sector watch"), nav: "app", roles: ["association"] },
  { path: "/assoc/matters/:id", module: "./assoc/matter.js", layout: "app", title: () => t("Matter"), roles: ["association"] },
  { path: "/app/account", module: "./app/account.js", layout: "app", title: () => t("Your account"), nav: "app" },
];

// The page for a path: {route, params} or null.
export function match(pathname) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const route of routes) {
    const names = [];
    const re = new RegExp(`^${route.path.replace(/:([a-z]+)/g, (_, n) => {
      names.push(n);
      return "([^/]+)";
    })}$`);
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route, params };
    }
  }
  return null;
}
