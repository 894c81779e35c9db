// staff/templates.js — the centre's reply templates (/staff/templates): each with its Chinese
// and English side by side; triagers write, change and delete them, with the placeholders
// explained and inserted where the cursor is ({exporter}, {deadline}, {rule} …, {{ and }} for
// braces; the server refuses any other). Experts read them. One API request besides the
// session.
import * as api from "../../lib/api.js";
import { LANGS, LANG_NAMES, bilingual, readTexts } from "../../lib/console-bulletin.js";
import { h, data, replace } from "../../lib/dom.js";
import { timeEl } from "../../lib/format.js";
import { busy, field, showErrors, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const PLACEHOLDERS = {
  exporter: () => t("the exporter's company name"),
  case: () => t("the case number, as #12"),
  deadline: () => t("the next legal deadline, on the forum's clock with its time zone"),
  rule: () => t("the rule behind that deadline, in the reply's language, with its source"),
  opposing_party: () => t("the opposing party"),
  country: () => t("the country or region, as its code"),
  forum: () => t("the court, office, customs or fair"),
  expert: () => t("the assigned expert's name"),
};

// The last text area a person was in: where a placeholder goes.
let lastArea = null;

function insert(name) {
  const area = lastArea && lastArea.isConnected ? lastArea : document.querySelector("main textarea");
  if (!area) return;
  const text = `{${name}}`;
  const { selectionStart: a, selectionEnd: b, value } = area;
  area.value = value.slice(0, a) + text + value.slice(b);
  area.focus();
  area.selectionStart = area.selectionEnd = a + text.length;
}

function help(names) {
  return h("section", { class: "panel placeholder-help", "aria-labelledby": "placeholders" },
    h("h2", { id: "placeholders" }, t("Placeholders")),
    h("p", {}, t("Write a placeholder in braces; when the reply is sent, the case's own value replaces it. Write {{ or }} for a brace itself.")),
    h("dl", { class: "placeholders" }, names.map((n) => [
      h("dt", {}, h("button", { type: "button", class: "link-button", onclick: () => insert(n),
        "aria-label": t("Insert {placeholder}", { placeholder: `{${n}}` }) }, data(`{${n}}`, "code"))),
      h("dd", {}, PLACEHOLDERS[n] ? PLACEHOLDERS[n]() : "")])));
}

// A server message about texts/en lands on the field "text.en".
function showTemplateProblem(form, problem) {
  const errors = (problem.errors || []).map((e) => {
    const m = /^\/texts\/(zh-CN|en)$/.exec(e.pointer || "");
    const name = m ? `text.${m[1]}` : (e.pointer || "").replace(/^\//, "");
    return { name: form.elements.namedItem(name) ? name : null, message: e.message, api: true };
  });
  showErrors(form, errors, data(problem.detail || problem.title, "p"));
}

function templateForm(tpl, done) {
  const form = h("form", { class: "form template-edit", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  field({ name: "name", label: t("Name"), value: tpl?.name || "", maxlength: 100, "data-text": "input" }),
  bilingual("text", t("Text"), tpl?.texts || {}, { multiline: 6, maxlength: 20000 }),
  h("div", { class: "form-actions split" },
    h("button", { type: "submit", class: "button" }, tpl ? t("Save the changes") : t("Add the template")),
    tpl ? h("button", { type: "button", class: "button secondary", onclick: () => done(null) }, t("Cancel")) : null));
  form.addEventListener("focusin", (ev) => {
    if (ev.target.tagName === "TEXTAREA") lastArea = ev.target;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = form.elements.namedItem("name").value.trim();
    const texts = readTexts(form, "text");
    const errors = [];
    if (!name) errors.push({ name: "name", message: t("Name the template") });
    for (const l of LANGS) {
      if (!texts[l]) errors.push({ name: `text.${l}`, message: t("Write the {lang} text", { lang: LANG_NAMES[l] }) });
    }
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      const saved = tpl ? await api.patch(`/api/v1/templates/${tpl.id}`, { name, texts })
        : await api.post("/api/v1/templates", { name, texts });
      done(saved);
      if (!tpl) form.reset();
      form.querySelector(".error-summary").hidden = true;
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showTemplateProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });
  return form;
}

export default async function templates(ctx) {
  await loadStyle("console");
  const writer = ctx.person.role === "triager";
  const got = await api.get("/api/v1/templates");
  const status = h("p", { class: "visually-hidden", role: "status" });
  const list = h("ul", { class: "template-list" });

  function card(tpl) {
    const li = h("li", { class: "template", "data-template": tpl.id });
    const show = () => replace(li,
      h("h3", {}, data(tpl.name)),
      h("div", { class: "side-by-side" }, LANGS.map((l) => h("div", { class: "template-text", lang: l },
        h("p", { class: "preview-lang" }, LANG_NAMES[l]),
        data(tpl.texts?.[l] || "", "p", { class: "message-text" })))),
      h("p", { class: "case-meta" }, tnodes("Changed {when}", { when: timeEl(tpl.updated_at || tpl.created_at) })),
      writer ? h("div", { class: "form-actions split" },
        h("button", { type: "button", class: "button secondary", onclick: () => {
          replace(li, h("h3", {}, data(tpl.name)), templateForm(tpl, (saved) => {
            if (saved) Object.assign(tpl, saved);
            show();
            li.querySelector("button")?.focus();
            if (saved) status.textContent = t("The template has been saved.");
          }));
          li.querySelector("input")?.focus();
        } }, t("Change"), h("span", { class: "visually-hidden" }, " ", data(tpl.name))),
        h("button", { type: "button", class: "button secondary", onclick: async (ev) => {
          ev.currentTarget.disabled = true;
          try {
            await api.del(`/api/v1/templates/${tpl.id}`);
            li.remove();
            status.textContent = t("The template has been deleted.");
          } catch (e) {
            if (!(e instanceof api.ApiError)) throw e;
            ev.target.disabled = false;
            replace(status, data(e.problem.detail || e.problem.title));
          }
        } }, t("Delete"), h("span", { class: "visually-hidden" }, " ", data(tpl.name)))) : null);
    show();
    return li;
  }
  for (const tpl of got.items) list.append(card(tpl));

  return h("div", { class: "page console-templates" },
    h("h1", { tabindex: "-1" }, t("Reply templates")),
    h("p", { class: "lead" }, t("The centre's replies in Chinese and English. On a case, a template is sent in the language chosen, with the case's values in place of its placeholders.")),
    got.items.length ? null : h("p", { class: "empty" }, t("No templates yet.")),
    list,
    h("div", { class: "templates-layout" },
      writer ? h("section", { class: "panel", "aria-labelledby": "new-template" },
        h("h2", { id: "new-template" }, t("A new template")),
        templateForm(null, (saved) => {
          list.append(card(saved));
          status.textContent = t("The template has been added.");
        })) : null,
      help(got.placeholders || Object.keys(PLACEHOLDERS))),
    status);
}
