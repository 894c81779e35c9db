// case-dossier.js — a case's claim dossier for the insurer (/app/cases/:id/dossier for the
// exporter, /staff/cases/:id/dossier for the centre), printable on A4: the case and its
// parties, the insurance and the centre's decision, the legal deadlines and whether each was
// met, the experts' time, the costs with their totals, the notices sent, the evidence with its
// SHA-256, and the timeline; a link to the ZIP of the evidence with its manifest. One API
// request besides the session: GET /api/v1/cases/{id}/dossier.
import { COST_KINDS, decisionEl, insuranceEntry, moneyEl, totalsEl } from "../components/sw-case-insurance.js";
import * as api from "../lib/api.js";
import { ROLES, STATES, TYPES, term } from "../lib/case-terms.js";
import { h, data } from "../lib/dom.js";
import { countryEl, dayRange, numberEl, timeEl } from "../lib/format.js";
import { known, t, tn, tnodes } from "../lib/i18n.js";
import { loadStyle } from "../lib/style.js";

const DEADLINE_STATUS = {
  met: () => t("Met"),
  late: () => t("Met late"),
  missed: () => t("Missed"),
  open: () => t("Still open"),
  undated: () => t("No date yet"),
};

const DEADLINE_KINDS = {
  answer: () => t("Answer due"),
  tro_expiry: () => t("TRO expires"),
  pi_hearing: () => t("Preliminary injunction hearing"),
  opposition: () => t("Opposition deadline"),
  counter_statement: () => t("Answer to the opposition due"),
  enforcement: () => t("Enforcement deadline"),
  customs_detention: () => t("Customs detention deadline"),
  fair_answer: () => t("Trade-fair complaint answer due"),
  other: () => t("Deadline"),
};

const NOTICES = {
  needs_info: () => t("More information needed"),
  waiting_on_exporter: () => t("More information needed"),
  accepted: () => t("The centre has accepted the case"),
  rejected: () => t("The centre has not taken the case on"),
  assigned: () => t("An expert has been assigned"),
  reassigned: () => t("Another expert has been assigned"),
  resolved: () => t("The case is resolved"),
  reply: () => t("A reply from the assistance centre"),
  insurance_covered: () => t("The centre finds the dispute within the insurance cover"),
  insurance_not_covered: () => t("The centre finds the dispute outside the insurance cover"),
  notice: () => t("A notice to the members concerned"),
};

function by(x) {
  switch (x?.role) {
    case "exporter": return t("The exporter");
    case "triager": case "expert": return t("The assistance centre");
    case "station": return t("The trade-fair IP service station");
    case "admin": return t("Seawall's administrators");
    default: return t("Seawall");
  }
}

// A duration in hours (one decimal), for the experts' time.
function hoursEl(ms) {
  const n = Math.round((ms || 0) / 360000) / 10;
  return h("span", { "data-text": "intl" }, new Intl.NumberFormat(document.documentElement.lang,
    { style: "unit", unit: "hour", unitDisplay: "long", maximumFractionDigits: 1 }).format(n));
}

function fact(label, value) {
  return value === null || value === undefined || value === "" ? null
    : [h("dt", {}, label), h("dd", {}, value)];
}

function section(id, title, ...content) {
  return h("section", { class: "dossier-section", "aria-labelledby": id },
    h("h2", { id }, title), ...content);
}

function table(caption, heads, rows, empty) {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  return h("div", { class: "table-wrap" }, h("table", { class: "ws-table dossier-table" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows)));
}

function cell(label, ...content) {
  return h("td", { "data-label": label }, ...content);
}

function caseFacts(d) {
  const c = d.case;
  const p = d.parties;
  return section("dossier-case", t("The case"), h("dl", { class: "facts" },
    fact(t("Exporter"), data(p.exporter?.company?.name || "")),
    fact(t("The exporter's part"), p.exporter?.role ? term(ROLES, p.exporter.role) : null),
    fact(t("Opposing party"), data(p.opposing?.name || "")),
    fact(t("Type"), term(TYPES, c.type)),
    fact(t("Country or region"), countryEl(c.country)),
    fact(t("Court, office, customs or fair"), p.forum ? data(p.forum) : null),
    fact(t("State"), term(STATES, c.state)),
    fact(t("Expert"), p.expert?.name ? data(p.expert.name) : null),
    fact(t("Came in"), timeEl(c.created_at))));
}

function insurance(d) {
  const ins = d.insurance;
  if (!ins) return section("dossier-insurance", t("Insurance"), h("p", { class: "empty" }, t("No insurance policy recorded for this case.")));
  return section("dossier-insurance", t("Insurance"), h("dl", { class: "facts" },
    fact(t("Insurer"), data(ins.insurer)),
    fact(t("Policy number"), data(ins.policy)),
    fact(t("Cover"), ins.cover ? data(ins.cover) : null),
    fact(t("Period of cover"), ins.period ? h("span", { "data-text": "intl" }, dayRange(ins.period.from, ins.period.until)) : null),
    fact(t("Limit"), ins.limit ? moneyEl(ins.limit.amount, ins.limit.currency) : null),
    fact(t("Claim reference"), ins.claim ? data(ins.claim) : null),
    fact(t("Covered?"), [decisionEl(ins.decision), ins.decision?.note ? data(ins.decision.note, "p") : null,
      ins.decision?.at ? h("p", { class: "muted" }, timeEl(ins.decision.at)) : null])));
}

function deadlines(d) {
  return section("dossier-deadlines", t("Legal deadlines"), table(t("Legal deadlines"),
    [t("Deadline"), t("Ends"), t("Done"), t("Status")],
    d.deadlines.map((x) => h("tr", {},
      h("th", { scope: "row" }, term(DEADLINE_KINDS, x.kind || "other"), x.rule ? data(known(x.rule), "span", { class: "rule" }) : null),
      cell(t("Ends"), x.at ? timeEl(x.at) : "—"),
      cell(t("Done"), x.done_at ? timeEl(x.done_at) : "—"),
      cell(t("Status"), h("strong", { class: `dl-${x.status}` }, term(DEADLINE_STATUS, x.status))))),
    t("No legal deadline on this case.")));
}

function experts(d) {
  const x = d.experts_time;
  return section("dossier-experts", t("The experts' time"),
    h("p", { class: "hint" }, t("Seawall records who held the case and when, not hours worked: each period runs from the assignment to a reassignment or the end of the case.")),
    table(t("The experts' time"), [t("Expert"), t("Held the case"), t("Time held"), t("Replies"), t("Internal notes")],
      x.experts.map((e) => h("tr", {},
        h("th", { scope: "row" }, data(e.name || `#${e.id}`)),
        cell(t("Held the case"), h("ul", { class: "plain" }, e.periods.map((p) => h("li", {},
          timeEl(p.from), " – ", p.until ? timeEl(p.until) : t("now"))))),
        cell(t("Time held"), hoursEl(e.held_ms)),
        cell(t("Replies"), numberEl(e.replies)),
        cell(t("Internal notes"), numberEl(e.notes)))),
      t("No expert has been assigned yet.")),
    h("dl", { class: "facts" },
      fact(t("Time the centre has worked on the case"), hoursEl(x.active_ms)),
      fact(t("First reply after"), x.first_response_ms === null ? null : hoursEl(x.first_response_ms)),
      fact(t("Resolved after"), x.resolution_ms === null ? null : hoursEl(x.resolution_ms))));
}

function costs(d) {
  return section("dossier-costs", t("Costs"), table(t("Costs"), [t("Date"), t("Kind"), t("Amount"), t("Note"), t("Recorded by")],
    d.costs.items.map((x) => h("tr", {},
      h("th", { scope: "row" }, h("span", { "data-text": "intl" }, dayRange(x.date, x.date))),
      cell(t("Kind"), term(COST_KINDS, x.kind)),
      cell(t("Amount"), moneyEl(x.amount, x.currency)),
      cell(t("Note"), x.note ? data(x.note) : null),
      cell(t("Recorded by"), by(x.recorded_by)))),
    t("No costs recorded yet.")),
  d.costs.items.length ? [h("h3", {}, t("Totals per currency")), totalsEl(d.costs.totals)] : null);
}

function notices(d) {
  return section("dossier-notices", t("Notices sent to the exporter"), d.notices.length
    ? h("ol", { class: "dossier-notices" }, d.notices.map((n) => h("li", {},
      h("p", {}, timeEl(n.at), " · ", h("strong", {}, NOTICES[n.kind] ? NOTICES[n.kind]() : data(n.kind))),
      n.text && !n.text_from_catalogue ? data(n.text, "p") : null)))
    : h("p", { class: "empty" }, t("No notice has been sent yet.")));
}

function evidence(d) {
  return section("dossier-evidence", t("Evidence"), table(t("Evidence"),
    [t("File"), t("Size"), t("SHA-256"), t("Added"), t("Added by")],
    d.evidence.map((f) => h("tr", {},
      h("th", { scope: "row" }, data(f.name)),
      cell(t("Size"), numberEl(f.size), " ", t("bytes")),
      cell(t("SHA-256"), data(f.sha256, "code", { class: "hash" })),
      cell(t("Added"), timeEl(f.uploaded_at)),
      cell(t("Added by"), by(f.uploaded_by)))),
    t("No evidence files yet.")));
}

function entry(e) {
  switch (e.action) {
    case "created": return t("The case was sent to the assistance centre");
    case "transition": return tnodes("Moved to {state}", { state: term(STATES, e.after?.state) });
    case "reply": return e.by?.role === "exporter" ? t("The exporter wrote") : t("Reply sent to the exporter");
    case "note": return t("Internal note");
    case "evidence": return tnodes("Evidence added: {name}", { name: data(e.name) });
    case "deadline": case "deadline_added": case "deadline_changed": case "deadline_removed":
      return t("The legal deadlines were changed");
    case "escalated": return t("The case came from a trade-fair incident");
    default: return insuranceEntry(e)?.[0] || t("Another change to the case");
  }
}

function timeline(d) {
  return section("dossier-timeline", t("Timeline"), h("ol", { class: "dossier-timeline" },
    d.timeline.map((e) => h("li", {}, timeEl(e.at), " · ", by(e.by), " · ", entry(e)))));
}

export default async function dossierPage(ctx) {
  await loadStyle("insurance");
  const id = ctx.params.id;
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new api.ApiError({ status: 404, title: t("Page not found") });
  const staff = location.pathname.startsWith("/staff/");
  const d = await api.get(`/api/v1/cases/${id}/dossier`);
  ctx.setTitle(t("Claim dossier, case #{id}", { id: d.case_id }));
  const zip = `/api/v1/cases/${d.case_id}/dossier.zip`;
  return h("div", { class: "page dossier-page" },
    h("p", { class: "back no-print" }, h("a", { href: `${staff ? "/staff" : "/app"}/cases/${d.case_id}` },
      t("Back to case #{id}", { id: d.case_id }))),
    h("h1", { tabindex: "-1" }, t("Claim dossier, case #{id}", { id: d.case_id })),
    h("p", { class: "muted" }, tnodes("Made {when} from Seawall's records.", { when: timeEl(d.generated_at) })),
    h("div", { class: "dossier-actions no-print" },
      h("a", { class: "button", href: zip, download: `seawall-case-${d.case_id}-dossier.zip` },
        t("Download the evidence and manifest (ZIP)")),
      h("button", { type: "button", class: "button secondary", onclick: () => window.print() }, t("Print")),
      h("p", { class: "hint" }, tn("The ZIP holds {n} evidence file, manifest.json and manifest.csv with each file's SHA-256, and this dossier as dossier.json.",
        "The ZIP holds {n} evidence files, manifest.json and manifest.csv with each file's SHA-256, and this dossier as dossier.json.",
        d.evidence.length, { n: d.evidence.length }))),
    caseFacts(d),
    insurance(d),
    deadlines(d),
    experts(d),
    costs(d),
    notices(d),
    evidence(d),
    timeline(d));
}
