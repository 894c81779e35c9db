// format.js — dates, numbers and places in the person's language and time zone, through Intl.
// What these return is marked data-text="intl" where it becomes a node: it comes from the
// browser's locale data, not from the catalogue.
import { h } from "./dom.js";
import { current, t, timeZone } from "./i18n.js";

function dtf(options) {
  return new Intl.DateTimeFormat(current(), { timeZone: timeZone(), ...options });
}

// An instant ("2026-11-30T08:00:00Z") as a date and time where the person is.
export function dateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dtf({ dateStyle: "medium", timeStyle: "short" }).format(d);
}

// An instant as a date where the person is.
export function date(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dtf({ dateStyle: "medium" }).format(d);
}

// A calendar day ("2026-12-01", a fair's opening day at its venue): the same day everywhere.
function day(ymd) {
  return new Date(`${ymd}T12:00:00Z`);
}

export function dayRange(from, to) {
  const f = new Intl.DateTimeFormat(current(), { dateStyle: "long", timeZone: "UTC" });
  const a = day(from);
  const b = day(to || from);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return "";
  return a.getTime() === b.getTime() ? f.format(a) : f.formatRange(a, b);
}

// Calendar days ("2026-12-01", …) as one list in the person's language: the same days
// everywhere, as a publisher's file dates are.
export function dayListEl(days) {
  const f = new Intl.DateTimeFormat(current(), { dateStyle: "medium", timeZone: "UTC" });
  const text = new Intl.ListFormat(current(), { type: "conjunction" })
    .format(days.map((d) => f.format(day(d))));
  return h("span", { "data-text": "intl" }, text);
}

export function number(n) {
  return new Intl.NumberFormat(current()).format(n);
}

// A region's name from its ISO 3166 code; EM is the EUIPO's code for the European Union.
export function country(code) {
  if (!code) return "";
  if (code === "EM") return t("European Union (EUIPO)");
  try {
    return new Intl.DisplayNames([current()], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

// <time datetime=…> with the instant formatted for the person.
export function timeEl(iso, withTime = true) {
  return h("time", { datetime: iso, "data-text": "intl" }, withTime ? dateTime(iso) : date(iso));
}

export function countryEl(code) {
  return h("span", { "data-text": "intl" }, country(code));
}

export function numberEl(n) {
  return h("span", { "data-text": "intl" }, number(n));
}
