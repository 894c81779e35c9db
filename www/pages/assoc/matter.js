// assoc/matter.js — one matter (/assoc/matters/:id): the event that concerns several members,
// each member concerned side by side with what it shares — for those who share cases, each
// case's state, next deadline and its deadlines — and one notice to all of them, written in
// Chinese and English (each member reads it in its own language). One API request besides
// the session.
import * as api from "../../lib/api.js";
import { SHARES } from "../../lib/assoc-terms.js";
import { TYPES } from "../../lib/case-terms.js";
import { KINDS, STATES, term } from "../../lib/console-terms.js";
import { h, data, replace } from "../../lib/dom.js";
import { countryEl, timeEl } from "../../lib/format.js";
import { busy, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

function deadlineList(c) {
  const open = (c.deadlines || []).filter((d) => d.at);
  if (!open.length) return h("span", { class: "muted" }, t("No deadline recorded"));
  return h("ul", { class: "plain" }, open.map((d) => h("li", { class: d.done ? "done" : null },
    tnodes("{kind}: {when}", { kind: term(KINDS, d.kind), when: timeEl(d.at) }),
    d.done ? [" ", t("(met)")] : null)));
}

function memberCell(m) {
  if (!m.cases) return h("td", { "data-label": t("Cases") }, t("Member concerned"));
  if (!m.cases.length) return h("td", { "data-label": t("Cases") }, t("No case opened yet"));
  return h("td", { "data-label": t("Cases") }, h("ul", { class: "plain" }, m.cases.map((c) => h("li", {},
    h("strong", {}, t("Case #{id}", { id: c.id })), " — ", term(STATES, c.state),
    h("span", { class: "case-meta" }, term(TYPES, c.type), c.country ? [" · ", countryEl(c.country)] : null),
    h("div", {}, deadlineList(c))))));
}

// The textarea and input of one language of the notice.
function langFields(lang, label) {
  const one = (name, what, control) => h("div", { class: "field", "data-field": `${name}-${lang}` },
    h("label", { for: `n-${name}-${lang}` }, what),
    h("p", { class: "field-error", id: `n-${name}-${lang}-error`, hidden: true }),
    control);
  return h("fieldset", { class: "bilingual" }, h("legend", {}, label),
    one("title", t("Subject"), h("input", { id: `n-title-${lang}`, name: `title-${lang}`, maxlength: 200,
      lang, "aria-describedby": `n-title-${lang}-error` })),
    one("text", t("Message"), h("textarea", { id: `n-text-${lang}`, name: `text-${lang}`, rows: 4,
      lang, "aria-describedby": `n-text-${lang}-error` })));
}

export default async function matter(ctx) {
  await loadStyle("console");
  const m = await api.get(`/api/v1/matters/${encodeURIComponent(ctx.params.id)}`);
  ctx.setTitle(m.title || t("Matter"));
  const said = h("p", { class: "status", role: "status" });
  const sharesCases = m.members.filter((x) => x.cases).length;

  const form = h("form", { class: "form notice-form", novalidate: true, method: "post",
    action: `/assoc/matters/${m.id}`, onsubmit: async (ev) => {
      ev.preventDefault();
      const v = (n) => form.elements.namedItem(n).value.trim();
      const title = {};
      const text = {};
      for (const lang of ["zh-CN", "en"]) {
        if (v(`title-${lang}`)) title[lang] = v(`title-${lang}`);
        if (v(`text-${lang}`)) text[lang] = v(`text-${lang}`);
      }
      const errors = [];
      if (!Object.keys(title).length) errors.push({ name: "title-zh-CN", message: t("Write a subject in at least one language") });
      if (!Object.keys(text).length) errors.push({ name: "text-zh-CN", message: t("Write the message in at least one language") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      busy(form, true);
      try {
        const r = await api.post(`/api/v1/matters/${encodeURIComponent(m.id)}/notices`, { title, text });
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        said.textContent = tn("The notice was sent to {n} member.", "The notice was sent to {n} members.",
          r.recipients.length, { n: r.recipients.length });
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  h("p", { class: "hint" }, t("Each member receives the notice in its inbox, by its own channels, in its own language: write it in both when you can; a member whose language is missing gets the other.")),
  langFields("zh-CN", t("In Chinese")), langFields("en", t("In English")),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Send to every member concerned"))),
  said);

  const rows = m.members.map((x) => h("tr", { "data-subscriber": x.subscriber },
    h("th", { scope: "row" }, data(x.name), x.country ? h("span", { class: "case-meta" }, countryEl(x.country)) : null),
    h("td", { "data-label": t("Shares") }, term(SHARES, x.share)),
    memberCell(x)));

  const facts = h("dl", { class: "facts inline" },
    m.docket ? [h("dt", {}, t("Docket or investigation")), h("dd", {}, data(m.docket))] : null,
    m.jurisdiction ? [h("dt", {}, t("Market")), h("dd", {}, countryEl(m.jurisdiction))] : null,
    h("dt", {}, t("Linked")), h("dd", {}, timeEl(m.created_at)));
  const area = h("div", { class: "table-wrap" });
  replace(area, h("table", { class: "ws-table matter-members" },
    h("caption", { class: "visually-hidden" }, t("Members concerned, side by side")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Member")),
      h("th", { scope: "col" }, t("Shares")), h("th", { scope: "col" }, t("Cases and deadlines")))),
    h("tbody", {}, rows)));

  return h("div", { class: "page assoc" },
    h("p", { class: "breadcrumb" }, h("a", { href: "/assoc" }, t("Association overview"))),
    h("h1", { tabindex: "-1" }, data(m.title || m.event_id)),
    facts,
    h("section", { class: "panel", "aria-labelledby": "mm-heading" },
      h("h2", { id: "mm-heading" }, t("Members concerned")),
      h("p", { class: "hint" }, tn("{n} member concerned", "{n} members concerned", m.members.length, { n: m.members.length }),
        " · ", tn("{n} shares its cases", "{n} share their cases", sharesCases, { n: sharesCases }), " — ",
        t("members who share only their early warnings appear as concerned; the others do not appear.")),
      area),
    h("section", { class: "panel", "aria-labelledby": "notice-heading" },
      h("h2", { id: "notice-heading" }, t("One notice to every member concerned")), form));
}
