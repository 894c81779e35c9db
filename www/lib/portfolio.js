// portfolio.js — what the watch list (监测清单) pages share: the five kinds of item and their
// names, an item described in words, the address of the subscriber's portfolio in the API,
// and an API problem's errors sorted by the field (or the file's row) they name.
import { current, t } from "./i18n.js";

export const KINDS = ["mark", "name", "patent", "keyword", "show"];

export function kindLabel(kind) {
  switch (kind) {
    case "mark": return t("Trade mark");
    case "name": return t("Company name");
    case "patent": return t("Patent");
    case "keyword": return t("Keyword");
    case "show": return t("Trade fair");
    default: return kind || "";
  }
}

// The heading of a kind's part of the list (and its filter).
export function kindPlural(kind) {
  switch (kind) {
    case "mark": return t("Trade marks");
    case "name": return t("Company names");
    case "patent": return t("Patents");
    case "keyword": return t("Keywords");
    case "show": return t("Trade fairs");
    default: return t("All items");
  }
}

// The API's address of the subscriber's portfolio (and of what hangs below it).
export function base(subject) {
  return `/api/v1/subscribers/${encodeURIComponent(subject)}/portfolio`;
}

// What a person calls an item: its text, its patent number or its fair (the fair's name when
// shows is a Map of id → show).
export function itemName(item, shows) {
  if (item.kind === "patent") return item.number || item.normalised || "";
  if (item.kind === "show") return shows?.get(item.show)?.name || item.show || "";
  return item.text || "";
}

// A problem's errors by what they name: {fields: Map(field → [{index, message}]), rest: [msg]}.
// "/countries/2" is field countries, index 2; "/text" field text, index null.
export function errorsByField(problem) {
  const fields = new Map();
  const rest = [];
  for (const e of problem?.errors || []) {
    const m = /^\/([a-z_]+)(?:\/(\d+))?/.exec(e.pointer || "");
    if (!m) {
      rest.push(e.message);
      continue;
    }
    if (!fields.has(m[1])) fields.set(m[1], []);
    fields.get(m[1]).push({ index: m[2] === undefined ? null : Number(m[2]), message: e.message });
  }
  return { fields, rest };
}

// A CSV import's errors by row: Map(row number → [{column, message}]) — "/rows/3/classes/0"
// is row 3, column classes; "/rows/3" the whole row (column null); "/header/2" row 1, the
// header's third column (by position).
export function errorsByRow(problem) {
  const rows = new Map();
  const rest = [];
  for (const e of problem?.errors || []) {
    const p = e.pointer || "";
    let m = /^\/rows\/(\d+)(?:\/([a-z_]+))?/.exec(p);
    let row;
    let at;
    if (m) {
      row = Number(m[1]);
      at = { column: m[2] || null, message: e.message };
    } else if ((m = /^\/header(?:\/(\d+))?/.exec(p))) {
      row = 1;
      at = { position: m[1] === undefined ? null : Number(m[1]), message: e.message };
    } else {
      rest.push(e.message);
      continue;
    }
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row).push(at);
  }
  return { rows, rest };
}

// How the server read a file ("GB18030", "tab") in words.
export function charsetLabel(cs) {
  switch (cs) {
    case "UTF-8": return t("UTF-8");
    case "UTF-16LE": case "UTF-16BE": return t("UTF-16 (Excel's Unicode text)");
    case "GB18030": return t("GB18030 (GBK, as Excel on Chinese Windows saves CSV)");
    default: return cs || "";
  }
}

export function delimiterLabel(d) {
  return d === "tab" ? t("tab-separated") : t("comma-separated");
}

// "A, B, C" in English, "A、B、C" in Chinese.
export function list(items) {
  return new Intl.ListFormat(current(), { type: "conjunction", style: "narrow" }).format(items);
}
