// register-words.js — the register's codes in the reader's language, for the risk screening,
// party and followed-record pages: a record's status, why the screener found a record (the
// matcher's `why` keys as sentences), what was screened, a record's and a docket's name.
// A code the catalogue does not know is shown as the API wrote it (as data).
import { jurisdictionEl } from "./alert-words.js";
import { data, h } from "./dom.js";
import { current, t, tn } from "./i18n.js";

const STATUS = {
  live: () => t("Live"),
  pending: () => t("Application pending"),
  opposed: () => t("Opposed"),
  dead: () => t("Dead"),
};

// The matcher's keys (lib/normalise.c sw_similarity_ref), each said as a sentence.
const WHY = {
  identical: () => t("The mark is written the same as yours, once case, spaces and punctuation are set aside."),
  spelling: () => t("The mark is spelt almost like yours: a letter or two differ."),
  "look-alike characters": () => t("The mark differs from yours only in characters that look alike, such as 0 and O or rn and m."),
  "look-alike spelling": () => t("The mark is spelt like yours with some characters swapped for ones that look alike."),
  "sound-alike": () => t("The mark sounds like yours when spoken."),
  "same but for generic words": () => t("The mark is yours with only generic words added or left out, such as “brand”, “group” or “Co., Ltd.”."),
};

// The same when a company name was screened: the register's mark against the name.
const WHY_NAME = {
  identical: () => t("The mark is written the same as your company name, once case, spaces and punctuation are set aside."),
  spelling: () => t("The mark is spelt almost like your company name: a letter or two differ."),
  "look-alike characters": () => t("The mark differs from your company name only in characters that look alike, such as 0 and O or rn and m."),
  "look-alike spelling": () => t("The mark is spelt like your company name with some characters swapped for ones that look alike."),
  "sound-alike": () => t("The mark sounds like your company name when spoken."),
  "same but for generic words": () => t("The mark is your company name with only generic words added or left out, such as “Co., Ltd.”, “group” or “trading”."),
};

// The screener's index keys (include/seawall/regidx.h): which of the matcher's keys found it.
const KEY = {
  exact: () => t("the same letters"),
  visual: () => t("characters that look alike"),
  phonetic: () => t("the sound"),
  bare: () => t("the words left once generic ones are set aside"),
  deletion: () => t("a spelling a letter or two apart"),
};

// The index key that found a record, in words (the key as data when unknown).
export function keyWords(key) {
  const w = WORD(KEY, key);
  return w !== null ? w : data(key ?? "");
}

const QUERY = {
  mark: () => t("Your trademark"),
  name: () => t("Your company name"),
};

const WORD = (table, code) =>
  (Object.prototype.hasOwnProperty.call(table, code) ? table[code]() : null);

export const RECORD_STATUSES = Object.keys(STATUS);

// A record's status as a badge: the word, a class for its colour (the word says it all).
export function recordStatus(status) {
  const w = WORD(STATUS, status);
  return h("span", { class: `rec-status rec-${RECORD_STATUSES.includes(status) ? status : "other"}` },
    w !== null ? w : data(status ?? ""));
}

// Why a record was found for a query of kind ("mark", "name"), as a sentence (the key itself,
// marked as data, when unknown).
export function whySentence(why, kind) {
  const w = WORD(kind === "name" ? WHY_NAME : WHY, why);
  return w !== null ? w : data(why ?? "");
}

export function queryKind(kind) {
  const w = WORD(QUERY, kind);
  return w !== null ? w : data(kind ?? "");
}

// A conflict's reasons as a list [{key, why}]: the API gives one object or a list.
export function reasonList(reasons) {
  if (!reasons) return [];
  return (Array.isArray(reasons) ? reasons : [reasons]).filter((r) => r && typeof r === "object");
}

// "US 97123456": the office and number, as data.
export function recordId(rec) {
  return `${rec.office || ""} ${rec.number || ""}`.trim();
}

// A followed thing's name as text: "SUVENEER (US 97123456)", "1:26-cv-01234 (N.D. Ill.)".
export function followName(f) {
  if (f.kind === "docket") {
    return f.court ? t("{docket} ({court})", { docket: f.docket || "", court: f.court }) : f.docket || "";
  }
  const mark = f.record?.mark || f.mark;
  const id = recordId(f.record?.office ? f.record : f);
  return mark ? t("{mark} ({id})", { mark, id }) : id;
}

// The office of a record as a node (a country, the EUIPO, WIPO).
export function officeEl(code) {
  return jurisdictionEl(code);
}

// A similarity score (0–1, or a percentage above 1) as "87%".
export function percent(score) {
  const n = Number(score);
  if (!Number.isFinite(n)) return "";
  return new Intl.NumberFormat(current(), { style: "percent",
    maximumFractionDigits: 0 }).format(n > 1 ? n / 100 : n);
}

// The owner's litigation record: "12 cases, 9 as plaintiff" and the frequent badge.
export function frequentBadge() {
  return h("span", { class: "badge frequent" }, t("Frequent plaintiff"));
}

// A text given in two languages ({"zh-CN", "en"}) or as one string, in the reader's language
// or else the other.
export function inLang(text, lang) {
  if (text && typeof text === "object") return text[lang] || text.en || text["zh-CN"] || "";
  return text || "";
}

const JOB = {
  queued: () => t("Waiting to start"),
  running: () => t("In progress"),
  done: () => t("Finished"),
  failed: () => t("Failed"),
};

// A screening's status as a word in a badge.
export function screeningStatus(s) {
  const w = WORD(JOB, s.status);
  return h("span", { class: `job-status job-${s.status in JOB ? s.status : "other"}` },
    w !== null ? w : data(s.status ?? ""));
}

// What a screening asked about: the marks and names it screened (data; the first few, and how
// many more), and "your whole watch list" for a request that asked for it. The API keeps what
// was screened as `items` ({kind, text}), the watch list already spread into them.
const SHOWN = 5;
export function screeningWhat(s) {
  const q = s.request || s;
  const texts = [...(q.items || q.marks || []).map((m) => (typeof m === "string" ? m : m.text)),
    ...(q.names || [])].filter(Boolean);
  const out = h("span", { class: "screened" });
  if (texts.length) out.append(data(listOf(texts.slice(0, SHOWN))));
  if (texts.length > SHOWN) {
    out.append(" ", tn("and {n} more", "and {n} more", texts.length - SHOWN));
  }
  if (q.portfolio) {
    out.append(texts.length ? h("span", { class: "plus" }, " + ", t("your whole watch list"))
      : t("Your whole watch list"));
  }
  return out;
}

// "A, B and C" in the reader's language.
export function listOf(items) {
  return new Intl.ListFormat(current(),
    { type: "conjunction", style: "narrow" }).format(items.map(String));
}
