// console-bulletin.js — what the bulletin desk's pages share: a text in Chinese and English
// side by side (two labelled fields, each marked with its language, read back as the API's
// {"zh-CN": …, "en": …}), the languages a bulletin has, and the fields every bulletin carries.
import { severityLabel, SEVERITIES } from "../components/sw-severity.js";
import { ALL, MARKETS, options as countryOptions } from "./countries.js";
import { h, uid } from "./dom.js";
import { field } from "./forms.js";
import { t } from "./i18n.js";

export const LANGS = ["zh-CN", "en"];
export const LANG_NAMES = { "zh-CN": "中文", en: "English" };

// The languages a bulletin is written in, as "中文 · English".
export function languages(b) {
  const have = LANGS.filter((l) => b.title?.[l] && b.text?.[l]);
  return have.length ? h("span", { class: "langs" }, have.map((l, i) => [i ? " · " : null,
    h("span", { lang: l }, LANG_NAMES[l])])) : h("span", { class: "muted" }, t("incomplete"));
}

// Two fields side by side, one per language, named "<name>.zh-CN" and "<name>.en".
// value: {"zh-CN", "en"}; multiline gives text areas of that many rows.
export function bilingual(name, label, value = {}, { multiline = 0, maxlength = 20000, hint } = {}) {
  return h("fieldset", { class: "bilingual", "data-field": name },
    h("legend", {}, label),
    hint ? h("p", { class: "hint" }, hint) : null,
    h("div", { class: "side-by-side" }, LANGS.map((l) => {
      const id = uid(`${name}-${l}`);
      const control = multiline
        ? h("textarea", { id, name: `${name}.${l}`, rows: multiline, maxlength, lang: l,
          "aria-describedby": `${id}-error` })
        : h("input", { id, name: `${name}.${l}`, maxlength, lang: l, "aria-describedby": `${id}-error` });
      control.value = value?.[l] ?? "";
      return h("div", { class: "field", "data-field": `${name}.${l}` },
        h("label", { for: id }, h("span", { lang: l }, LANG_NAMES[l])),
        h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
        control);
    })));
}

// {"zh-CN": …, "en": …} from the form's pair of fields; empty ones left out (or null with
// keepEmpty, which the API reads as "remove this language").
export function readTexts(form, name, keepEmpty = false) {
  const out = {};
  for (const l of LANGS) {
    const v = (form.elements.namedItem(`${name}.${l}`)?.value || "").trim();
    if (v) out[l] = v;
    else if (keepEmpty) out[l] = null;
  }
  return out;
}

// The fields besides the texts: country, severity, keywords, source URL.
export function commonFields(b = {}) {
  const first = countryOptions(MARKETS);
  const rest = countryOptions(ALL.filter((c) => !MARKETS.includes(c)));
  return h("div", { class: "bulletin-common" },
    field({ name: "country", label: t("Country or region"), value: b.country || "",
      options: [{ value: "", label: t("Choose a country or region") }, ...first, ...rest] }),
    field({ name: "severity", label: t("Severity"), value: b.severity || "",
      options: [{ value: "", label: t("Choose the severity") },
        ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))] }),
    field({ name: "keywords", label: t("Keywords"), value: (b.keywords || []).join(", "),
      hint: t("Separated by commas. Exporters watching one of them are alerted."), "data-text": "input" }),
    field({ name: "url", type: "url", label: t("Source (a web address)"), value: b.url || "",
      "data-text": "input" }));
}

export function readCommon(form) {
  const v = (n) => (form.elements.namedItem(n)?.value || "").trim();
  return {
    country: v("country"),
    severity: v("severity"),
    keywords: v("keywords").split(/[,，、]/).map((k) => k.trim()).filter(Boolean),
    url: v("url"),
  };
}
