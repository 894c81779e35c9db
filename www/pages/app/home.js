// app/home.js — the exporter's dashboard (GET /api/v1/dashboard, one request): early warnings
// counted by severity and by status, each count a link into the inbox filtered so; the newest
// critical and high ones still unread; the open cases with their next deadline counted down in
// the person's zone; and, where there is nothing yet, what to do next. Other roles see where
// their pages are.
import "../../components/sw-inbox-entry.js";
import { SEVERITIES, severityLabel } from "../../components/sw-severity.js";
import * as api from "../../lib/api.js";
import { caseStateLabel, caseTypeLabel, jurisdictionEl, statusLabel } from "../../lib/alert-words.js";
import { h, data } from "../../lib/dom.js";
import { number, timeEl } from "../../lib/format.js";
import { current, t, tn, tnodes } from "../../lib/i18n.js";
import { routes } from "../registry.js";

// A count as a figure: the number large, its label under it, the whole a link.
function figure(n, label, href, cls = "") {
  return h("li", { class: `figure ${cls}` },
    h("a", { href },
      h("span", { class: "figure-number", "data-text": "intl" }, number(n || 0)),
      h("span", { class: "figure-label" }, label)));
}

// "in 3 days", "2 hours ago": the time left before a deadline, from the cases' clock.
function countdown(seconds) {
  const rtf = new Intl.RelativeTimeFormat(current(), { numeric: "auto" });
  const s = Number(seconds) || 0;
  const abs = Math.abs(s);
  let text;
  if (abs < 3600) text = rtf.format(Math.round(s / 60), "minute");
  else if (abs < 86400 * 2) text = rtf.format(Math.round(s / 3600), "hour");
  else text = rtf.format(Math.round(s / 86400), "day");
  return h("span", { class: "countdown", "data-text": "intl" }, text);
}

function deadlineEl(dl) {
  if (!dl) return h("span", { class: "none" }, t("No deadline set"));
  return h("span", { class: `deadline${dl.overdue ? " overdue" : ""}` },
    dl.overdue ? h("strong", { class: "overdue-label" }, t("Overdue:")) : null, dl.overdue ? " " : null,
    countdown(dl.time_left_s), " ", h("span", { class: "deadline-at" }, "(", timeEl(dl.at), ")"),
    dl.rule?.text ? [" — ", data(dl.rule.text)] : null);
}

function otherRoles(ctx, person) {
  ctx.setTitle(t("Workspace"));
  const pages = routes.filter((r) => r.nav === "app" && r.path !== "/app" &&
    (!r.roles || r.roles.includes(person.role)));
  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Workspace")),
    h("p", { class: "lead" }, tnodes("Signed in as {name}.", { name: data(person.name || person.email, "strong") })),
    pages.length ? h("ul", { class: "tiles" }, pages.map((r) => h("li", {},
      h("h2", {}, h("a", { href: r.path }, r.title()))))) : null,
    h("p", {}, h("a", { href: "/bulletins" }, t("Read the latest early-warning bulletins"))));
}

export default async function home(ctx) {
  const person = ctx.person;
  if (person.role !== "exporter") return otherRoles(ctx, person);
  const d = await api.get("/api/v1/dashboard");
  const c = d.alerts || {};
  const total = c.total || 0;
  const inbox = (q) => `/app/inbox?${new URLSearchParams(q)}`;

  const counts = h("section", { class: "dash-section", "aria-labelledby": "dash-counts" },
    h("h2", { id: "dash-counts" }, t("Early warnings")),
    total === 0
      ? h("div", { class: "notice" },
        h("p", {}, t("No early warnings yet. Seawall watches the trademarks, company names, patents, keywords and fairs on your watch list and warns you when something abroad touches them.")),
        h("p", {}, h("a", { href: "/app/portfolio", class: "button" }, t("Add to your watch list"))))
      : [
        h("h3", { class: "figures-title" }, t("By status")),
        h("ul", { class: "figures" },
          ["new", "read", "dismissed"].map((s) => figure(c.status?.[s], statusLabel(s),
            inbox({ status: s }), `status-${s}`))),
        h("h3", { class: "figures-title" }, t("By severity")),
        h("ul", { class: "figures" },
          SEVERITIES.map((s) => h("li", { class: `figure severity-figure sev-${s}` },
            h("a", { href: inbox({ severity: s, status: "all" }) },
              h("span", { class: "figure-number", "data-text": "intl" }, number(c.severity?.[s] || 0)),
              h("span", { class: "figure-label" }, severityLabel(s))),
            c.new?.[s] ? h("a", { class: "figure-new", href: inbox({ severity: s, status: "new" }) },
              tn("{n} new", "{n} new", c.new[s], { n: number(c.new[s]) })) : null))),
        h("p", {}, h("a", { href: "/app/inbox" }, t("Open the inbox")))]);

  const latest = d.latest || [];
  const news = h("section", { class: "dash-section", "aria-labelledby": "dash-latest" },
    h("h2", { id: "dash-latest" }, t("Latest critical and high early warnings")),
    latest.length
      ? h("ul", { class: "alert-list" }, latest.map((a) => {
        const el = h("sw-inbox-entry", { heading: "h3" });
        el.alert = a;
        return h("li", {}, el);
      }))
      : h("p", { class: "empty" }, total
        ? t("No critical or high early warnings are waiting to be read.")
        : t("Critical and high early warnings will appear here first.")));

  const open = d.open_cases || [];
  const cases = h("section", { class: "dash-section", "aria-labelledby": "dash-cases" },
    h("h2", { id: "dash-cases" }, t("Open cases")),
    open.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "data-table cases-table" },
        h("caption", { class: "visually-hidden" }, t("Your open cases and their next deadline")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Case")),
          h("th", { scope: "col" }, t("State")),
          h("th", { scope: "col" }, t("Opposing party")),
          h("th", { scope: "col" }, t("Next deadline")))),
        h("tbody", {}, open.map((k) => h("tr", {},
          h("th", { scope: "row", "data-label": t("Case") },
            h("a", { href: `/app/cases/${encodeURIComponent(k.id)}` },
              t("Case #{id}", { id: k.id })), " ", h("span", { class: "case-type" }, caseTypeLabel(k.type)),
            k.country ? [" · ", jurisdictionEl(k.country)] : null),
          h("td", { "data-label": t("State"), class: "case-state" }, caseStateLabel(k.state),
            k.waiting_on_you ? [" ", h("strong", { class: "waiting" }, t("Your answer is needed"))] : null),
          h("td", { "data-label": t("Opposing party") }, k.opposing_party ? data(k.opposing_party) : "—"),
          h("td", { "data-label": t("Next deadline") }, deadlineEl(k.deadline)))))))
      : h("div", { class: "notice" },
        h("p", {}, t("You have no open cases. If you are sued, receive a warning letter or have goods detained abroad, file a case: an assistance centre will help you respond.")),
        h("p", {}, h("a", { href: "/app/cases/new", class: "button" }, t("File a case")))));

  const due = d.deadlines || [];
  const deadlines = due.length ? h("section", { class: "dash-section", "aria-labelledby": "dash-due" },
    h("h2", { id: "dash-due" }, t("Upcoming action deadlines")),
    h("ol", { class: "deadlines" }, due.map((dl) => h("li", { class: dl.overdue ? "overdue" : "" },
      h("a", { href: `/app/cases/${encodeURIComponent(dl.case_id)}` }, t("Case #{id}", { id: dl.case_id })),
      " ", h("span", { class: "case-type" }, caseTypeLabel(dl.case_type)), ": ", deadlineEl(dl)))))
    : null;

  return h("div", { class: "page dashboard" },
    h("h1", { tabindex: "-1" }, t("Dashboard")),
    h("p", { class: "lead" }, tnodes("Signed in as {name}.", { name: data(person.name || person.email, "strong") })),
    counts, news, deadlines, cases);
}
