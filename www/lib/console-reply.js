// console-reply.js — writing on the staff case page: a reply the exporter reads or an internal
// note only staff see, from the same box; and a reply from one of the centre's templates, in
// Chinese or English, shown with its placeholders filled before it is sent (the server fills
// them the same way when it sends: POST …/messages {template, lang}). The templates are read
// (GET /api/v1/templates) when the template chooser is first opened.
import * as api from "./api.js";
import { h, data, replace, uid } from "./dom.js";
import { busy, showErrors, showProblem, summary } from "./forms.js";
import { current, t } from "./i18n.js";

export const TEMPLATE_LANGS = [
  { code: "zh-CN", name: "中文" },
  { code: "en", name: "English" },
];

// The catalogue of lang ({} for English), for wording a reply in a language other than the
// page's as the server will: /i18n/<lang>.json, read once.
const catalogues = new Map();
function catalogueOf(lang) {
  if (lang === "en") return Promise.resolve({});
  if (!catalogues.has(lang)) {
    catalogues.set(lang, fetch(`/i18n/${lang}.json`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : {}), () => ({})));
  }
  return catalogues.get(lang);
}

// The values a template's placeholders take for case c, as the server words them
// (fcgi/cases.c template_values): the next deadline on the forum's clock with its zone, the
// rule's text in the reply's language (cat: its catalogue) with its source.
export function templateValues(c, cat) {
  const v = { case: `#${c.id}`, opposing_party: c.opposing_party, country: c.country };
  if (c.exporter?.name) v.exporter = c.exporter.name;
  if (c.forum) v.forum = c.forum;
  if (c.assignee?.name) v.expert = c.assignee.name;
  const d = c.deadline;
  if (d?.at) {
    const zone = d.zone || "UTC";
    try {
      const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: zone,
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        hourCycle: "h23" }).formatToParts(new Date(d.at)).map((p) => [p.type, p.value]));
      v.deadline = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${zone})`;
    } catch {
      v.deadline = d.at;
    }
  }
  if (d?.rule?.text) {
    const text = typeof cat[d.rule.text] === "string" && cat[d.rule.text] ? cat[d.rule.text] : d.rule.text;
    v.rule = `${text} (${d.rule.source || ""})`;
  }
  return v;
}

// A template's text with {placeholders} filled; {{ and }} are braces.
export function render(text, values, none) {
  return String(text || "").replace(/\{\{|\}\}|\{([a-z_]+)\}/g, (m, name) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    return values[name] ?? none;
  });
}

// The reply box and the template chooser; onSent(entry) gets each history entry made.
export function replySection(c, onSent) {
  const id = uid("reply");
  const status = h("p", { class: "visually-hidden", role: "status" });
  let intent = "reply";
  const form = h("form", { class: "form reply-form", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  h("div", { class: "field", "data-field": "text" },
    h("label", { for: id }, t("Reply or internal note")),
    h("p", { class: "hint", id: `${id}-hint` }, t("A reply goes to the exporter's inbox and counts as a response. An internal note stays with the centre's staff.")),
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
    h("textarea", { id, name: "text", rows: 5, maxlength: 20000, "data-text": "input",
      "aria-describedby": `${id}-hint ${id}-error` })),
  h("div", { class: "form-actions split" },
    h("button", { type: "submit", class: "button", value: "reply",
      onclick: () => { intent = "reply"; } }, t("Send to the exporter")),
    h("button", { type: "submit", class: "button secondary", value: "note",
      onclick: () => { intent = "note"; } }, t("Save as an internal note"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = form.elements.namedItem("text").value.trim();
    if (!text) {
      showErrors(form, [{ name: "text", message: t("Write the text first") }]);
      return;
    }
    busy(form, true);
    try {
      const entry = await api.post(`/api/v1/cases/${c.id}/messages`, intent === "note"
        ? { text, internal: true } : { text });
      form.reset();
      form.querySelector(".error-summary").hidden = true;
      status.textContent = intent === "note" ? t("The internal note has been saved.")
        : t("The reply has been sent to the exporter.");
      onSent(entry);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });

  const chooser = h("details", { class: "template-chooser" },
    h("summary", {}, t("Reply from a template")));
  let loaded = false;
  chooser.addEventListener("toggle", () => {
    if (!chooser.open || loaded) return;
    loaded = true;
    const wait = h("p", { class: "muted" }, t("Loading the templates …"));
    chooser.append(wait);
    api.get("/api/v1/templates").then((r) => {
      wait.replaceWith(templateForm(c, r.items, form, status, onSent));
    }, (e) => {
      if (!(e instanceof api.ApiError)) throw e;
      wait.replaceWith(data(e.problem.detail || e.problem.title, "p", { class: "notice error" }));
    });
  });

  return h("section", { class: "case-section", "aria-labelledby": "write" },
    h("h2", { id: "write" }, t("Write to the exporter or the team")),
    chooser, form, status);
}

function templateForm(c, templates, replyForm, status, onSent) {
  if (!templates.length) {
    return h("p", { class: "empty" }, t("The centre has no reply templates yet."), " ",
      h("a", { href: "/staff/templates" }, t("Write one")));
  }
  const id = uid("tpl");
  const preview = h("div", { class: "template-preview", "aria-live": "polite" });
  const form = h("form", { class: "form template-form", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  h("div", { class: "field", "data-field": "template" },
    h("label", { for: id }, t("Template")),
    h("select", { id, name: "template" }, templates.map((x) =>
      h("option", { value: x.id, "data-text": "api" }, x.name)))),
  h("fieldset", { class: "choice inline" },
    h("legend", {}, t("Language of the reply")),
    TEMPLATE_LANGS.map((l) => h("label", { lang: l.code },
      h("input", { type: "radio", name: "lang", value: l.code, checked: l.code === current() }),
      " ", l.name))),
  preview,
  h("div", { class: "form-actions split" },
    h("button", { type: "submit", class: "button" }, t("Send this reply")),
    h("button", { type: "button", class: "button secondary", onclick: () => {
      const ta = replyForm.elements.namedItem("text");
      ta.value = shown;
      ta.focus();
    } }, t("Edit it before sending"))));
  const chosen = () => templates.find((x) => String(x.id) === form.elements.namedItem("template").value);
  const lang = () => form.elements.namedItem("lang").value;
  let shown = "";
  async function text() {
    const l = lang();
    const cat = await catalogueOf(l);
    const none = "(not known yet)";
    return render(chosen()?.texts?.[l], templateValues(c, cat), cat[none] || none);
  }
  async function show() {
    const l = lang();
    const x = await text();
    if (l !== lang()) return;   // changed again meanwhile
    shown = x;
    replace(preview, h("p", { class: "hint" }, t("The reply as the exporter will read it:")),
      data(x, "blockquote", { class: "message-text", lang: l }));
  }
  form.addEventListener("change", show);
  show();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    busy(form, true);
    try {
      const entry = await api.post(`/api/v1/cases/${c.id}/messages`,
        { template: Number(form.elements.namedItem("template").value), lang: lang() });
      status.textContent = t("The reply has been sent to the exporter.");
      form.querySelector(".error-summary").hidden = true;
      onSent(entry);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });
  return form;
}
