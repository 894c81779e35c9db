// alert-words.js — what the API's codes in an alert mean, in the reader's language: event
// types, statuses, the rules that matched and why, the kinds of watch-list items, where in the
// event a match was found, parties' roles, and the case types and states the dashboard shows.
// A code the catalogue does not know is shown as the API wrote it (as data).
import { data } from "./dom.js";
import { countryEl } from "./format.js";
import { t } from "./i18n.js";

export const STATUSES = ["new", "read", "dismissed"];

export const EVENT_TYPES = ["trademark_filing", "trademark_status", "patent_publication",
  "patent_grant", "litigation", "trade_investigation", "customs_seizure", "show_event",
  "show_incident", "bulletin", "news"];

const STATUS = {
  new: () => t("New"),
  read: () => t("Read"),
  dismissed: () => t("Dismissed"),
};

const TYPE = {
  trademark_filing: () => t("Trademark application"),
  trademark_status: () => t("Trademark status change"),
  patent_publication: () => t("Patent publication"),
  patent_grant: () => t("Patent grant"),
  litigation: () => t("Lawsuit"),
  trade_investigation: () => t("Trade investigation"),
  customs_seizure: () => t("Customs detention"),
  show_event: () => t("Trade fair"),
  show_incident: () => t("Complaint at a fair"),
  bulletin: () => t("Early-warning bulletin"),
  news: () => t("News"),
  case_notice: () => t("Notice about your case"),
};

const RULE = {
  "identical-mark": () => t("Identical mark"),
  "similar-mark": () => t("Similar mark"),
  "mark-mentioned": () => t("Your mark is mentioned"),
  "name-filed-as-mark": () => t("Your company name filed as a trademark"),
  "named-as-defendant": () => t("Your company named as defendant"),
  "named-as-respondent": () => t("Your company named as respondent"),
  "named-as-exhibitor": () => t("Your company named as the accused exhibitor"),
  "patent-cited": () => t("Your patent is cited"),
  "keyword-in-news": () => t("Your keyword in the news"),
  "keyword-in-patent": () => t("Your keyword in a patent"),
  "keyword-in-market": () => t("Your keyword in one of your markets"),
  "bulletin-keyword": () => t("Your keyword in an early-warning bulletin"),
  "bulletin-market": () => t("A bulletin about a market you trade in"),
  "show-attended": () => t("A fair you attend"),
  "case-notice": () => t("Your case has changed"),
};

const WHY = {
  identical: () => t("identical"),
  spelling: () => t("similar spelling"),
  "look-alike characters": () => t("look-alike characters"),
  "look-alike spelling": () => t("look-alike spelling"),
  "sound-alike": () => t("sounds alike"),
  "same but for generic words": () => t("the same apart from generic words"),
  "same patent number": () => t("the same patent number"),
  "keyword in the text": () => t("the keyword appears in the text"),
  "a show you attend": () => t("a fair you attend"),
  "a market you trade in": () => t("a market you trade in"),
};

const KIND = {
  mark: () => t("Trademark"),
  name: () => t("Company name"),
  patent: () => t("Patent"),
  keyword: () => t("Keyword"),
  show: () => t("Trade fair"),
  market: () => t("Market"),
};

const FIELD = {
  marks: () => t("the marks it names"),
  parties: () => t("the parties"),
  title: () => t("the title"),
  text: () => t("the text"),
  goods: () => t("the goods and services"),
  numbers: () => t("the numbers it cites"),
  jurisdiction: () => t("where it applies"),
  show: () => t("the fair"),
  state: () => t("the case's state"),
};

const ROLE = {
  applicant: () => t("Applicant"),
  owner: () => t("Owner"),
  assignee: () => t("Assignee"),
  plaintiff: () => t("Plaintiff"),
  defendant: () => t("Defendant"),
  petitioner: () => t("Petitioner"),
  respondent: () => t("Respondent"),
  complainant: () => t("Complainant"),
  exhibitor: () => t("Exhibitor"),
};

const CASE_TYPE = {
  lawsuit: () => t("Lawsuit"),
  trade_investigation: () => t("Trade investigation"),
  schedule_a: () => t("Schedule A lawsuit"),
  cease_and_desist: () => t("Cease-and-desist letter"),
  customs_seizure: () => t("Customs detention"),
  show_complaint: () => t("Complaint at a fair"),
  opposition: () => t("Opposition"),
  bad_faith_filing: () => t("Bad-faith filing"),
  other: () => t("Other"),
};

const CASE_STATE = {
  submitted: () => t("Submitted"),
  needs_info: () => t("More material needed"),
  accepted: () => t("Accepted"),
  rejected: () => t("Rejected"),
  assigned: () => t("Assigned"),
  in_progress: () => t("In progress"),
  waiting_on_exporter: () => t("Waiting on you"),
  resolved: () => t("Resolved"),
  closed: () => t("Closed"),
};

// The word for code from table as a string, or null when the catalogue has none.
function word(table, code) {
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code]() : null;
}

// A node: the translated word, else the code itself marked as data.
function node(table, code) {
  const w = word(table, code);
  return w !== null ? w : data(code ?? "");
}

export const statusLabel = (s) => node(STATUS, s);
export const statusWord = (s) => word(STATUS, s) ?? s;
export const typeLabel = (s) => node(TYPE, s);
export const typeWord = (s) => word(TYPE, s) ?? s;
export const ruleLabel = (s) => node(RULE, s);
export const whyLabel = (s) => node(WHY, s);
export const kindLabel = (s) => node(KIND, s);
export const roleLabel = (s) => node(ROLE, s);
export const caseTypeLabel = (s) => node(CASE_TYPE, s);
export const caseStateLabel = (s) => node(CASE_STATE, s);

// Where a reason was found ("marks[0]", "parties[1]", "title"): the part of the event.
export function fieldLabel(field) {
  const base = String(field || "").replace(/\[\d+\]$/, "").split(".")[0];
  return node(FIELD, base);
}

// An event's jurisdiction as a node: a country or region (its name from Intl), or one of the
// offices that are none.
export function jurisdictionEl(code) {
  switch (code) {
    case "WO": return t("WIPO (international)");
    case "EP": return t("European Patent Office");
    case "EU": return t("European Union");
    default: return countryEl(code);
  }
}
