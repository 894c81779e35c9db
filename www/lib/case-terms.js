// case-terms.js — the words of assistance cases in the page's language: types, states, the
// exporter's role, rights, SLA states and the changes of the history. Each is a function so the
// text follows a change of language; unknown values come back as they are, marked as data.
import { data } from "./dom.js";
import { t } from "./i18n.js";

export const TYPES = {
  lawsuit: () => t("Lawsuit"),
  schedule_a: () => t("Schedule A lawsuit"),
  trade_investigation: () => t("Trade investigation (e.g. Section 337)"),
  cease_and_desist: () => t("Cease-and-desist letter"),
  customs_seizure: () => t("Customs seizure"),
  show_complaint: () => t("Complaint at a trade fair"),
  opposition: () => t("Trade mark opposition"),
  bad_faith_filing: () => t("Bad-faith filing of your mark"),
  other: () => t("Other dispute"),
};

export const STATES = {
  submitted: () => t("Submitted"),
  needs_info: () => t("More information needed"),
  accepted: () => t("Accepted"),
  rejected: () => t("Not taken on"),
  assigned: () => t("Expert assigned"),
  in_progress: () => t("In progress"),
  waiting_on_exporter: () => t("Waiting for you"),
  resolved: () => t("Resolved"),
  closed: () => t("Closed"),
};

// The states in which the case still needs someone's work.
export const OPEN = ["submitted", "needs_info", "accepted", "assigned", "in_progress",
  "waiting_on_exporter"];

export const ROLES = {
  defendant: () => t("Defendant"),
  respondent: () => t("Respondent"),
  exhibitor: () => t("Exhibitor"),
  plaintiff: () => t("Plaintiff"),
  complainant: () => t("Complainant"),
  rights_holder: () => t("Rights holder"),
  applicant: () => t("Applicant"),
  opponent: () => t("Opponent"),
  other: () => t("Other role"),
};

export const RIGHTS = {
  trademark: () => t("Trade mark"),
  patent: () => t("Patent"),
  design: () => t("Design"),
  copyright: () => t("Copyright"),
  trade_secret: () => t("Trade secret"),
  domain: () => t("Domain name"),
  other: () => t("Other right"),
};

// The service level of the centre, as the exporter sees it.
export const SLA = {
  ok: () => t("On time"),
  near_breach: () => t("Due soon"),
  breached: () => t("Late"),
  met: () => t("Met"),
  stopped: () => t("Stopped"),
};

// The text of term table[value], or the value itself as data.
export function term(table, value) {
  const fn = table[value];
  return fn ? fn() : data(value ?? "");
}

// [{value, label}] for a select.
export function options(table) {
  return Object.keys(table).map((value) => ({ value, label: table[value]() }));
}

// The service-level clock that matters now: the first response until it is met, then the
// resolution. {which, clock} or null.
export function currentSla(sla) {
  if (!sla) return null;
  const first = sla.first_response;
  if (first && first.status !== "met" && first.status !== "stopped") {
    return { which: "first_response", clock: first };
  }
  if (sla.resolution) return { which: "resolution", clock: sla.resolution };
  return first ? { which: "first_response", clock: first } : null;
}
