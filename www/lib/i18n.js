// i18n.js — the portal's two languages. t(msgid, vars) returns the Chinese
// of the catalogue (/i18n/zh-CN.json, made from po/zh-CN.po) or the English msgid itself.
// The language is the person's (once signed in), else the one chosen here before (kept in
// localStorage), else the first of the browser's languages that Seawall speaks.

export const LANGUAGES = [
  { code: "zh-CN", name: "中文" },
  { code: "en", name: "English" },
];
const STORE = "seawall.lang";

let lang = "en";
let catalogue = {};
let zone;   // the person's IANA time zone; undefined: the browser's

// "zh", "zh-Hans", "zh-CN", "zh-SG" … are Simplified Chinese; "en-*" English; else null.
export function supported(tag) {
  const t = String(tag || "").toLowerCase();
  if (t === "zh" || t.startsWith("zh-hans") || t === "zh-cn" || t === "zh-sg") return "zh-CN";
  if (t === "en" || t.startsWith("en-")) return "en";
  return null;
}

export function fromBrowser(languages) {
  for (const l of languages || []) {
    const s = supported(l);
    if (s) return s;
  }
  return "en";
}

function stored() {
  try {
    return supported(localStorage.getItem(STORE));
  } catch {
    return null;
  }
}

// Loads the catalogue of code (nothing for English) and makes it the page's language.
export async function use(code) {
  const next = supported(code) || "en";
  let cat = {};
  if (next !== "en") {
    const res = await fetch(`/i18n/${next}.json`, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`the ${next} catalogue did not load (HTTP ${res.status})`);
    cat = await res.json();
  }
  lang = next;
  catalogue = cat;
  document.documentElement.lang = lang;
  return lang;
}

// The language at start: remembered here, else the browser's.
export function initial() {
  return stored() || fromBrowser(navigator.languages || [navigator.language]);
}

export function remember(code) {
  try {
    localStorage.setItem(STORE, code);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}

export function current() {
  return lang;
}

export function setZone(tz) {
  zone = tz || undefined;
}

export function timeZone() {
  return zone;
}

// The translation of msgid with its {placeholders} filled from vars.
export function t(msgid, vars) {
  return fill((lang !== "en" && catalogue[msgid]) || msgid, vars);
}

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (m, k) => (k in vars ? String(vars[k]) : m));
}

// A message with a plural: the catalogue's form for n (Simplified Chinese has one form, the
// catalogue keeps it as a list), else the English singular for 1 and the plural otherwise;
// {n} and the other {placeholders} filled from vars.
export function tn(singular, plural, n, vars) {
  const forms = lang !== "en" ? catalogue[singular] : undefined;
  const text = Array.isArray(forms) ? forms[0] : n === 1 ? singular : plural;
  return fill(text, { n, ...vars });
}

// As t, but placeholders may be nodes (a link, a <time>): returns a DocumentFragment in which
// the translated text stays text.
export function tnodes(msgid, vars) {
  const text = (lang !== "en" && catalogue[msgid]) || msgid;
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(/\{([a-z_][a-z0-9_]*)\}/gi)) {
    if (m.index > last) frag.append(text.slice(last, m.index));
    const v = vars[m[1]];
    frag.append(v instanceof Node ? v : String(v ?? m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) frag.append(text.slice(last));
  return frag;
}

// The catalogue's translation of a text that arrives as data but is also one of the C side's
// messages (a deadline rule's text from etc/deadlines.json, which the catalogue translates for
// mail and templates too), else the text as it came.
export function known(text) {
  return (lang !== "en" && typeof text === "string" && typeof catalogue[text] === "string"
    && catalogue[text]) || text;
}
