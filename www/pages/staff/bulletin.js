// staff/bulletin.js — one bulletin at the desk. /staff/bulletins/new and a draft: the editor,
// Chinese and English side by side, saved as a draft, previewed in each language (the public
// page and the alert an exporter gets), published. A published one: its current version side
// by side, a correction (the fields that change and a note in both languages: the exporters
// an earlier version alerted get a follow-up), a withdrawal with its reason, and every
// version. Requests besides the session: the drafts (a draft is found there: the public routes
// answer 404 for one), and for a published one the bulletin and its versions.
import "../../components/sw-severity.js";
import { inLang } from "../../components/sw-bulletin-summary.js";
import * as api from "../../lib/api.js";
import {
  LANGS, LANG_NAMES, bilingual, commonFields, languages, readCommon, readTexts,
} from "../../lib/console-bulletin.js";
import { h, data, replace } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { busy, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const DESK = "/staff/bulletins";

async function findDraft(id) {
  let cursor = "";
  do {
    const page = await api.get("/api/v1/bulletins/drafts", { cursor, limit: 200 });
    const hit = page.items.find((b) => String(b.id) === String(id));
    if (hit) return hit;
    cursor = page.next || "";
  } while (cursor);
  return null;
}

// An API problem on the bulletin's fields: "/title/en" belongs to the field "title.en".
function showBulletinProblem(form, problem) {
  const errors = (problem.errors || []).map((e) => {
    const parts = (e.pointer || "").replace(/^\//, "").split("/");
    const name = parts.length > 1 && LANGS.includes(parts[1]) ? `${parts[0]}.${parts[1]}` : parts[0];
    return { name: name && form.elements.namedItem(name) ? name : null, message: e.message, api: true };
  });
  if (errors.some((e) => e.name)) {
    showErrors(form, errors, data(problem.detail || problem.title, "p"));
  } else {
    showProblem(form, problem);
  }
}

function paragraphs(text) {
  return String(text || "").split(/\n\s*\n/).filter((p) => p.trim()).map((p) => data(p, "p"));
}

// The preview: for each language, the public page and the alert as the API renders them.
function previewPanel(id) {
  const panel = h("div", { class: "previews", tabindex: "-1" });
  async function show() {
    replace(panel, h("p", { class: "muted" }, t("Preparing the preview …")));
    const both = await Promise.all(LANGS.map((l) => api.get(`/api/v1/bulletins/${id}/preview`, { lang: l })));
    replace(panel, h("h2", {}, t("Preview")), h("div", { class: "side-by-side" }, both.map((p) =>
      h("article", { class: "preview", lang: p.lang, "aria-label": LANG_NAMES[p.lang] },
        h("p", { class: "preview-lang" }, LANG_NAMES[p.lang]),
        (p.page.languages || []).includes(p.lang) ? null
          : h("p", { class: "notice", lang: document.documentElement.lang },
            t("Not written in this language yet: readers get the other one.")),
        h("h3", {}, data(p.page.title)),
        h("div", { class: "prose" }, paragraphs(p.page.text)),
        h("div", { class: "alert-preview" },
          h("p", { class: "preview-label", lang: document.documentElement.lang }, t("The early warning exporters get:")),
          h("p", {}, p.alert?.severity ? h("sw-severity", { level: p.alert.severity }) : null, " ",
            data(p.alert?.title || "", "strong")),
          data(p.alert?.summary || "", "p"),
          h("p", { class: "case-meta" }, data(p.alert?.mail_subject || "")))))));
    panel.focus();
  }
  return { panel, show };
}

function editor(ctx, b) {
  const status = h("p", { class: "visually-hidden", role: "status" });
  const { panel, show } = previewPanel(b?.id);
  let saved = b;
  const form = h("form", { class: "form bulletin-editor", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  bilingual("title", t("Title"), b?.title, { maxlength: 300 }),
  bilingual("text", t("Text"), b?.text, { multiline: 10,
    hint: t("Paragraphs are separated by a blank line. Write both languages: a reader gets the other one when theirs is missing.") }),
  commonFields(b || {}),
  h("div", { class: "form-actions split" },
    h("button", { type: "submit", class: "button secondary", value: "save" }, t("Save the draft")),
    h("button", { type: "submit", class: "button secondary", value: "preview" }, t("Save and preview")),
    h("button", { type: "submit", class: "button", value: "publish" }, t("Publish"))));

  async function save() {
    const common = readCommon(form);
    if (!saved) {
      const body = { status: "draft", title: readTexts(form, "title"), text: readTexts(form, "text") };
      for (const k of ["title", "text"]) if (!Object.keys(body[k]).length) delete body[k];
      if (common.country) body.country = common.country;
      if (common.severity) body.severity = common.severity;
      if (common.keywords.length) body.keywords = common.keywords;
      if (common.url) body.url = common.url;
      saved = await api.post("/api/v1/bulletins", body);
      history.replaceState(null, "", `${DESK}/${saved.id}`);
      const p = previewPanel(saved.id);
      panel.replaceWith(p.panel);
      Object.assign(preview, p);
      return saved;
    }
    const body = { title: readTexts(form, "title", true), text: readTexts(form, "text", true),
      keywords: common.keywords.length ? common.keywords : null, url: common.url || null };
    if (common.country) body.country = common.country;
    if (common.severity) body.severity = common.severity;
    saved = await api.patch(`/api/v1/bulletins/${saved.id}`, body);
    return saved;
  }
  const preview = { panel, show };

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const what = ev.submitter?.value || "save";
    const title = readTexts(form, "title");
    const text = readTexts(form, "text");
    if (!Object.keys(title).length && !Object.keys(text).length) {
      showErrors(form, [{ name: "title.zh-CN", message: t("Write a title in at least one language") }]);
      return;
    }
    busy(form, true);
    try {
      await save();
      form.querySelector(".error-summary").hidden = true;
      if (what === "publish") {
        const out = await api.post(`/api/v1/bulletins/${saved.id}/publish`);
        ctx.navigate(`${DESK}/${out.id}`, { replace: true });
        return;
      }
      if (what === "preview") await preview.show();
      status.textContent = t("The draft has been saved.");
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showBulletinProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });
  return h("div", {}, form, status, panel);
}

// The current version, read-only, both languages side by side.
function current(b) {
  return h("div", { class: "side-by-side bulletin-current" }, LANGS.map((l) =>
    h("article", { class: "preview", lang: l, "aria-label": LANG_NAMES[l] },
      h("p", { class: "preview-lang" }, LANG_NAMES[l]),
      b.title?.[l] ? h("h3", {}, data(b.title[l])) : h("p", { class: "muted", lang: document.documentElement.lang },
        t("Not written in this language.")),
      h("div", { class: "prose" }, paragraphs(b.text?.[l])))));
}

function correctionForm(ctx, b) {
  const form = h("form", { class: "form correction-form", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  h("p", {}, t("Change what is wrong; a note says what changed. The exporters an earlier version alerted get a follow-up early warning with the note; the public page shows the new version and the note.")),
  bilingual("note", t("What changed (the note)"), {}, { multiline: 2, maxlength: 2000 }),
  bilingual("title", t("Title"), b.title, { maxlength: 300 }),
  bilingual("text", t("Text"), b.text, { multiline: 8 }),
  commonFields(b),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Publish the correction"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const note = readTexts(form, "note");
    if (!Object.keys(note).length) {
      showErrors(form, [{ name: "note.zh-CN", message: t("Say what changed, in at least one language") }]);
      return;
    }
    const body = { version: b.version, note };
    for (const k of ["title", "text"]) {
      const v = readTexts(form, k);
      if (LANGS.some((l) => (v[l] || "") !== (b[k]?.[l] || ""))) body[k] = v;
    }
    const common = readCommon(form);
    if (common.country && common.country !== b.country) body.country = common.country;
    if (common.severity && common.severity !== b.severity) body.severity = common.severity;
    if (common.keywords.join("\n") !== (b.keywords || []).join("\n")) body.keywords = common.keywords.length ? common.keywords : null;
    if (common.url !== (b.url || "")) body.url = common.url || null;
    busy(form, true);
    try {
      await api.post(`/api/v1/bulletins/${b.id}/corrections`, body);
      ctx.navigate(location.pathname, { replace: true });
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showBulletinProblem(form, e.problem);
      busy(form, false);
    }
  });
  return form;
}

function withdrawForm(ctx, b) {
  const form = h("form", { class: "form withdraw-form", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  h("p", {}, t("A withdrawn bulletin leaves the public list; its page says why. Everyone a version alerted gets a follow-up early warning.")),
  bilingual("reason", t("Why it is withdrawn"), {}, { multiline: 3, maxlength: 2000 }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button danger" }, t("Withdraw the bulletin"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const reason = readTexts(form, "reason");
    if (!Object.keys(reason).length) {
      showErrors(form, [{ name: "reason.zh-CN", message: t("Give the reason, in at least one language") }]);
      return;
    }
    busy(form, true);
    try {
      await api.post(`/api/v1/bulletins/${b.id}/withdraw`, { reason });
      ctx.navigate(location.pathname, { replace: true });
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showBulletinProblem(form, e.problem);
      busy(form, false);
    }
  });
  return form;
}

function versionsTable(versions) {
  return h("div", { class: "table-wrap" }, h("table", { class: "ws-table versions" },
    h("caption", { class: "visually-hidden" }, t("Versions")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Version")), h("th", { scope: "col" }, t("Published")),
      h("th", { scope: "col" }, t("Title")), h("th", { scope: "col" }, t("Note")))),
    h("tbody", {}, [...versions].reverse().map((v) => h("tr", { "data-version": v.version },
      h("th", { scope: "row" }, t("Version {n}", { n: v.version })),
      h("td", { "data-label": t("Published") }, v.at ? timeEl(v.at) : "—"),
      h("td", { "data-label": t("Title") }, data(inLang(v.title))),
      h("td", { "data-label": t("Note") }, v.note ? data(inLang(v.note)) : h("span", { class: "muted" }, t("first version"))))))));
}

function facts(b) {
  return h("dl", { class: "facts inline" },
    h("dt", {}, t("State")), h("dd", {}, b.status === "withdrawn" ? t("Withdrawn")
      : b.status === "draft" ? t("Draft") : t("Published")),
    h("dt", {}, t("Version")), h("dd", {}, String(b.version || 0)),
    h("dt", {}, t("Languages")), h("dd", {}, languages(b)),
    b.severity ? [h("dt", {}, t("Severity")), h("dd", {}, h("sw-severity", { level: b.severity }))] : null,
    b.country ? [h("dt", {}, t("Country or region")), h("dd", {}, countryEl(b.country))] : null,
    b.published_at ? [h("dt", {}, t("Published")), h("dd", {}, timeEl(b.published_at))] : null,
    b.corrected_at ? [h("dt", {}, t("Corrected")), h("dd", {}, timeEl(b.corrected_at), " — ",
      data(inLang(b.correction?.note)))] : null,
    b.withdrawn_at ? [h("dt", {}, t("Withdrawn")), h("dd", {}, timeEl(b.withdrawn_at), " — ",
      data(inLang(b.withdrawal?.reason)))] : null);
}

export default async function bulletinPage(ctx) {
  await loadStyle("console");
  const writer = ctx.person.role !== "expert";
  const id = ctx.params.id;
  const back = h("p", { class: "back" }, h("a", { href: DESK }, t("Bulletin desk")));
  if (!id) {
    if (!writer) throw new api.ApiError({ status: 404, title: t("Page not found") });
    ctx.setTitle(t("Write a bulletin"));
    return h("div", { class: "page console-bulletin" }, back,
      h("h1", { tabindex: "-1" }, t("Write a bulletin")),
      h("p", { class: "lead" }, t("Chinese and English side by side. A draft is seen only by the centre's staff until it is published.")),
      editor(ctx, null));
  }
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new api.ApiError({ status: 404, title: t("Page not found") });
  const draft = await findDraft(id);
  if (draft) {
    ctx.setTitle(t("Draft bulletin"));
    return h("div", { class: "page console-bulletin" }, back,
      h("h1", { tabindex: "-1" }, t("Draft bulletin")),
      facts(draft),
      writer ? editor(ctx, draft) : current(draft));
  }
  const [b, versions] = await Promise.all([api.get(`/api/v1/bulletins/${id}`),
    api.get(`/api/v1/bulletins/${id}/versions`)]);
  ctx.setTitle(inLang(b.title));
  const open = writer && b.status === "published";
  return h("div", { class: "page console-bulletin" }, back,
    h("h1", { tabindex: "-1" }, data(inLang(b.title))),
    facts(b),
    h("p", {}, h("a", { href: `/bulletins/${b.id}` }, t("Its public page"))),
    h("section", { "aria-labelledby": "current" },
      h("h2", { id: "current" }, tnodes("Version {n} as published", { n: b.version })), current(b)),
    open ? h("section", { "aria-labelledby": "correct" },
      h("details", { class: "action-box" }, h("summary", {}, h("h2", { id: "correct" }, t("Correct the bulletin"))),
        correctionForm(ctx, b))) : null,
    open ? h("section", { "aria-labelledby": "withdraw" },
      h("details", { class: "action-box" }, h("summary", {}, h("h2", { id: "withdraw" }, t("Withdraw the bulletin"))),
        withdrawForm(ctx, b))) : null,
    h("section", { "aria-labelledby": "versions" },
      h("h2", { id: "versions" }, t("Versions")), versionsTable(versions.items || [])));
}
