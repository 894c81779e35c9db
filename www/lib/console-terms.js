// console-terms.js — the staff console's words in the page's language: case states as the
// centre says them, the moves between them, outcomes, queue views, the priority's factors, the
// experts' fit, deadline kinds and what a period counts from; and the small pieces every
// console page shows the same way (a rule with its source, who did something, the console's
// addresses). Each term is a function so the text follows a change of language.
import { h, data } from "./dom.js";
import { known, t, tnodes } from "./i18n.js";

export const STATES = {
  submitted: () => t("Submitted"),
  needs_info: () => t("More information needed"),
  accepted: () => t("Accepted"),
  rejected: () => t("Not taken on"),
  assigned: () => t("Expert assigned"),
  in_progress: () => t("In progress"),
  waiting_on_exporter: () => t("Waiting on the exporter"),
  resolved: () => t("Resolved"),
  closed: () => t("Closed"),
};

// What the button that moves a case to a state says (lib/cases.c's transitions).
export const MOVES = {
  submitted: () => t("Material received: back to the desk"),
  needs_info: () => t("Ask for more material"),
  accepted: () => t("Accept the case"),
  rejected: () => t("Do not take the case on"),
  assigned: () => t("Assign an expert"),
  in_progress: () => t("Work on the case"),
  waiting_on_exporter: () => t("Wait for the exporter"),
  resolved: () => t("Resolve the case"),
  closed: () => t("Close the case"),
};

// The moves that need a reason, which the exporter is told.
export const NEEDS_REASON = ["needs_info", "rejected", "waiting_on_exporter", "resolved"];

export const OUTCOMES = {
  won: () => t("A favourable result (won)"),
  settled: () => t("Settled"),
  withdrawn_by_other_side: () => t("Withdrawn by the other side"),
  lost: () => t("An unfavourable result (lost)"),
  no_action_needed: () => t("No action needed"),
  other: () => t("Other outcome"),
  not_recorded: () => t("Outcome not recorded"),
};

// The queue's views, in the order of the tabs.
export const VIEWS = {
  new_unassigned: () => t("New and unassigned"),
  mine: () => t("Mine"),
  near_breach: () => t("Near breach"),
  breached: () => t("Breached"),
  waiting: () => t("Waiting on the exporter"),
  due_week: () => t("Due this week"),
  open: () => t("All open"),
};

export const SORTS = {
  priority: () => t("Priority, highest first"),
  deadline: () => t("Deadline, soonest first"),
  "-created": () => t("Newest first"),
  created: () => t("Oldest first"),
  "-updated": () => t("Recently changed first"),
  id: () => t("Case number"),
};

export const SLA_FILTERS = {
  at_risk: () => t("Near breach or breached"),
  near_breach: () => t("Near breach"),
  breached: () => t("Breached"),
};

export const SLA = {
  ok: () => t("On time"),
  near_breach: () => t("Near breach"),
  breached: () => t("Breached"),
  met: () => t("Met"),
  stopped: () => t("Stopped"),
};

// The priority's parts: how near the deadline is, the kind of case, the stakes.
const DEADLINE_POINTS = {
  overdue: () => t("the deadline has passed"),
  under_24h: () => t("the deadline is less than 24 hours away"),
  under_72h: () => t("the deadline is less than 72 hours away"),
  under_a_week: () => t("the deadline is less than a week away"),
  under_30_days: () => t("the deadline is less than 30 days away"),
  later: () => t("the deadline is more than 30 days away"),
  none: () => t("no deadline is known"),
};

export const KINDS = {
  answer: () => t("Answer due"),
  tro_expiry: () => t("Temporary restraining order expires"),
  pi_hearing: () => t("Preliminary injunction hearing"),
  opposition: () => t("Opposition period ends"),
  counter_statement: () => t("Answer to the opposition due"),
  customs_detention: () => t("Customs detention: act by"),
  enforcement: () => t("Injunction to be enforced by"),
  fair_answer: () => t("Answer to the fair complaint due"),
  other: () => t("Other deadline"),
};

// What a rule's period counts from, as the date field asks for it.
export const FROMS = {
  served: () => t("Date of service"),
  entered: () => t("Date the order was entered"),
  hearing: () => t("Date of the hearing"),
  published: () => t("Date of publication"),
  notified: () => t("Date of the notice"),
};

export const ROLE_WORDS = {
  exporter: () => t("The exporter"),
  triager: () => t("Triager"),
  expert: () => t("Expert"),
  station: () => t("Trade-fair IP service station"),
  admin: () => t("Administrator"),
};

// The text of term table[value], or the value itself as data.
export function term(table, value) {
  const fn = table[value];
  return fn ? fn() : data(value ?? "");
}

export function options(table) {
  return Object.keys(table).map((value) => ({ value, label: table[value]() }));
}

// One factor of a case's priority as a sentence: "20 points: the deadline is …".
export function priorityReason(r) {
  let why;
  if (r.factor === "deadline") why = term(DEADLINE_POINTS, r.value);
  else if (r.factor === "type") why = t("the kind of case");
  else if (r.factor === "stakes") why = t("the amount at stake");
  else why = data(r.factor);
  return tnodes("{points} points: {why}", { points: r.points, why });
}

// Why an expert fits a case, from GET /cases/{id}/experts' reasons.
// countryEl(code) gives the country's name as a node.
export function fitReason(r, countryEl) {
  switch (r.fit) {
    case "country": return tnodes("knows {country}", { country: countryEl(r.value) });
    case "ip_types": return t("knows {matched} of the {wanted} kinds of right in the case",
      { matched: r.matched, wanted: r.wanted });
    case "language": return tnodes("speaks the forum's language ({lang})", { lang: data(r.value) });
    case "load": return t("{n} open cases now", { n: r.open_cases });
    default: return data(r.fit);
  }
}

// A deadline rule's text (in the page's language when the catalogue has it) and its source.
export function ruleEl(rule, source) {
  if (!rule) return null;
  return h("span", { class: "rule" },
    data(known(rule.text), "span", { class: "rule-text" }),
    source || rule.source ? h("span", { class: "rule-source" }, " — ",
      data(known(source || rule.source), "cite")) : null);
}

// Who made a history entry: the role's word, the expert's name when it is the one assigned.
export function who(by, names) {
  if (!by) return t("Seawall");
  const name = by.role !== "exporter" && names?.get(by.id);
  return name ? data(name) : term(ROLE_WORDS, by.role);
}

// A case's tags as a list (nothing when it has none).
export function tagList(tags) {
  return tags?.length ? h("ul", { class: "case-tags", "aria-label": t("Tags") },
    tags.map((x) => h("li", {}, data(x)))) : null;
}

// The console's addresses.
export const QUEUE = "/staff";
export const caseHref = (id) => `/staff/cases/${id}`;
