// app/case-new.js — asking an assistance centre for help: the intake form (what happened,
// where, against whom, the rights and products concerned, the evidence) with each problem shown
// at its field. Opened from an early warning (?alert=<id>) it starts from what the alert says
// and links the case to it (CaseIn.alerts). Evidence files are hashed here when chosen and sent
// once the case exists. One API request to show (two from an alert) besides the session.
import "../../components/sw-case-evidence.js";
import { uploadSummary } from "../../components/sw-case-evidence.js";
import * as api from "../../lib/api.js";
import { ROLES, RIGHTS, TYPES, options } from "../../lib/case-terms.js";
import { ALL, options as countryOptions } from "../../lib/countries.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { busy, field, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";

// What kind of case an event of each type usually becomes, and the exporter's part in it.
const FROM_EVENT = {
  litigation: ["lawsuit", "defendant"],
  trade_investigation: ["trade_investigation", "respondent"],
  customs_seizure: ["customs_seizure", "other"],
  trademark_filing: ["opposition", "opponent"],
  trademark_status: ["opposition", "opponent"],
  show_incident: ["show_complaint", "exhibitor"],
};
// The parties of an event that are the other side (the exporter is the defendant, respondent
// or exhibitor when named at all).
const OTHER_SIDE = ["plaintiff", "petitioner", "complainant", "applicant", "owner", "assignee"];
const REGIONS = ["EM", "EU"];

// A labelled textarea in the shape of forms.field.
function area({ name, label, hint, value, ...attrs }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-error`;
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errId, hidden: true }),
    h("textarea", { id, name, rows: 5, "data-text": "input", "aria-describedby": [hintId, errId].filter(Boolean).join(" "),
      ...attrs }, value || ""));
}

// One right (type, number or name, country) as a row of the rights fieldset.
function rightRow(r = {}, onremove) {
  const n = uid("right");
  const row = h("li", { class: "right-row" },
    h("div", { class: "field" },
      h("label", { for: `${n}-type` }, t("Kind of right")),
      h("select", { id: `${n}-type`, "data-right": "type" },
        options(RIGHTS).map((o) => h("option", { value: o.value, selected: o.value === r.type }, o.label)))),
    h("div", { class: "field" },
      h("label", { for: `${n}-number` }, t("Number or name")),
      h("input", { id: `${n}-number`, "data-right": "number", value: r.number || "" })),
    h("div", { class: "field" },
      h("label", { for: `${n}-country` }, t("Country or region")),
      h("select", { id: `${n}-country`, "data-right": "country" },
        h("option", { value: "" }, t("Not given")),
        countryOptions([...REGIONS, ...ALL]).map((o) => h("option", { value: o.value,
          selected: o.value === r.country, "data-text": "intl" }, o.label)))),
    h("button", { type: "button", class: "link-button", onclick: () => onremove(row) },
      t("Remove this right")));
  return row;
}

function rightsOf(list) {
  const out = [];
  for (const li of list.querySelectorAll(".right-row")) {
    const get = (k) => li.querySelector(`[data-right=${k}]`).value.trim();
    if (!get("number")) continue;
    const r = { type: get("type"), number: get("number") };
    if (get("country")) r.country = get("country");
    out.push(r);
  }
  return out;
}

// What an alert tells the form: {type, own_role, country, opposing_party, rights, products,
// description}.
export function prefill(alert, link) {
  const ev = alert.event || {};
  const [type, role] = FROM_EVENT[ev.type] || ["other", ""];
  const other = (ev.parties || []).find((p) => OTHER_SIDE.includes(p.role));
  const rights = [];
  const products = [];
  for (const it of alert.items || []) {
    const item = it.item || {};
    const where = (item.countries || [])[0] || "";
    if (item.kind === "mark") rights.push({ type: "trademark", number: item.text, country: where });
    else if (item.kind === "patent") rights.push({ type: "patent", number: item.text, country: where });
    else if (item.kind === "keyword") products.push(item.text);
  }
  const lines = [t("From the early warning “{title}” of {date}.", {
    title: ev.title || alert.id, date: ev.date || alert.created_at || "" })];
  if (ev.text) lines.push(ev.text.length > 1500 ? `${ev.text.slice(0, 1500)}…` : ev.text);
  if (alert.source_url) lines.push(t("Source: {url}", { url: alert.source_url }));
  lines.push(t("The early warning in Seawall: {url}", { url: link }));
  return {
    type, own_role: role,
    country: /^[A-Z]{2}$/.test(ev.jurisdiction || "") && !["WO", "EP"].includes(ev.jurisdiction)
      ? ev.jurisdiction : "",
    opposing_party: other ? other.name : "",
    rights, products,
    description: lines.join("\n\n"),
  };
}

export default async function caseNew(ctx) {
  const alertId = ctx.query.get("alert");
  let alert = null;
  let alertProblem = null;
  if (alertId) {
    try {
      alert = await api.get(`/api/v1/alerts/${encodeURIComponent(alertId)}`);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      alertProblem = e.problem;
    }
  }
  const link = alert ? `${location.origin}/app/alerts/${alert.id}` : "";
  const pre = alert ? prefill(alert, link) : { rights: [], products: [] };

  const page = h("div", { class: "page" });
  const rightsList = h("ul", { class: "rights-list" });
  const removeRight = (row) => {
    row.remove();
    addRight.focus();
  };
  const addRight = h("button", { type: "button", class: "button secondary", onclick: () => {
    const row = rightRow({}, removeRight);
    rightsList.append(row);
    row.querySelector("select").focus();
  } }, t("Add a right"));
  for (const r of pre.rights.length ? pre.rights : [{}]) rightsList.append(rightRow(r, removeRight));
  const evidence = h("sw-case-evidence");
  const rightsId = uid("rights");

  const form = h("form", { class: "form case-form", novalidate: true, method: "post",
    action: "/app/cases/new", onsubmit: (ev) => {
      ev.preventDefault();
      submit();
    } },
  summary(),
  h("fieldset", {},
    h("legend", {}, t("The dispute")),
    field({ name: "type", label: t("What happened"), value: pre.type || "",
      options: [{ value: "", label: t("Choose …") }, ...options(TYPES)] }),
    field({ name: "country", label: t("Country or region"), value: pre.country || "",
      options: [{ value: "", label: t("Choose …") }, ...countryOptions([...REGIONS, ...ALL])] }),
    field({ name: "forum", label: t("Court, office, customs or fair (optional)"), maxlength: 200,
      hint: t("For example: U.S. District Court, N.D. Illinois; EUIPO; Hamburg customs.") }),
    field({ name: "opposing_party", label: t("Opposing party"), value: pre.opposing_party,
      maxlength: 200, hint: t("Who brought the action or holds the rights against you.") }),
    field({ name: "own_role", label: t("Your part in it"), value: pre.own_role || "",
      options: [{ value: "", label: t("Choose …") }, ...options(ROLES)] }),
    field({ name: "served_at", type: "date", label: t("Date you were served or notified (optional)"),
      hint: t("The legal deadline is counted from this date.") })),
  h("fieldset", { name: "rights", id: rightsId, class: "field rights" },
    h("legend", {}, t("Rights concerned (optional)")),
    h("p", { class: "field-error", id: `${rightsId}-error`, hidden: true }),
    rightsList, addRight),
  h("fieldset", {},
    h("legend", {}, t("What is at stake")),
    area({ name: "products", label: t("Products concerned (optional)"), rows: 3,
      hint: t("One product on each line."), value: pre.products.join("\n") }),
    field({ name: "amount_usd", type: "number", min: 0, step: 1, inputmode: "numeric",
      label: t("Amount at stake in US dollars (optional)") }),
    area({ name: "description", label: t("What happened, in your words"), maxlength: 20000,
      rows: 8, value: pre.description,
      hint: t("Dates, what you received, what the other side asks for, what you have done so far.") })),
  h("fieldset", {},
    h("legend", {}, t("Evidence")),
    evidence),
  h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "button" }, t("Send to the assistance centre")),
    h("a", { href: "/app/cases" }, t("Cancel"))));

  function checkForm(v) {
    const errors = [];
    if (!v.type) errors.push({ name: "type", message: t("Choose what happened") });
    if (!v.country) errors.push({ name: "country", message: t("Choose the country or region") });
    if (!v.opposing_party) errors.push({ name: "opposing_party", message: t("Name the opposing party") });
    if (!v.own_role) errors.push({ name: "own_role", message: t("Choose your part in the dispute") });
    if (v.amount_usd && !/^\d+$/.test(v.amount_usd)) {
      errors.push({ name: "amount_usd", message: t("Enter a whole number of dollars") });
    }
    if (!v.description) errors.push({ name: "description", message: t("Describe what happened") });
    return errors;
  }

  async function submit() {
    const f = new FormData(form);
    const v = {};
    for (const k of ["type", "country", "forum", "opposing_party", "own_role", "served_at",
      "products", "amount_usd", "description"]) v[k] = String(f.get(k) || "").trim();
    const errors = checkForm(v);
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    const body = { type: v.type, country: v.country, opposing_party: v.opposing_party,
      own_role: v.own_role, description: v.description };
    if (v.forum) body.forum = v.forum;
    if (v.served_at) body.served_at = v.served_at;
    if (v.amount_usd) body.amount_usd = Number(v.amount_usd);
    const products = v.products.split("\n").map((p) => p.trim()).filter(Boolean);
    if (products.length) body.products = products;
    const rights = rightsOf(rightsList);
    if (rights.length) body.rights = rights;
    if (alert) body.alerts = [alert.id];
    busy(form, true);
    let made;
    try {
      made = await api.post("/api/v1/cases", body);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
      busy(form, false);
      return;
    }
    if (!evidence.count) {
      ctx.navigate(`/app/cases/${made.id}`);
      return;
    }
    // The case exists: the evidence goes to it, with each file's progress and answer.
    const status = h("p", { class: "lead", role: "status" }, t("Sending the evidence …"));
    const open = h("a", { href: `/app/cases/${made.id}`, class: "button", hidden: true },
      t("Open the case"));
    replace(page,
      h("h1", { tabindex: "-1" }, t("Case #{id} has been sent", { id: made.id })),
      h("p", {}, t("The assistance centre has your case. Your evidence files follow.")),
      status, evidence, h("p", {}, open));
    page.querySelector("h1").focus();
    const result = await evidence.uploadTo(made.id);
    status.textContent = uploadSummary(result);
    open.hidden = false;
  }

  return replace(page,
    h("h1", { tabindex: "-1" }, t("Ask for help with a dispute")),
    h("p", { class: "lead" }, t("Tell an overseas IP dispute response guidance centre what happened. Fields not marked optional are needed; the centre may ask you for more.")),
    alert ? h("div", { class: "notice", role: "note" },
      h("p", {}, tnodes("This case starts from the early warning {title}; it will be linked to it.", {
        title: h("a", { href: `/app/alerts/${alert.id}` }, data(alert.event?.title || alert.id)) })),
      h("p", {}, t("Check what has been filled in from it before you send."))) : null,
    alertProblem ? h("div", { class: "notice error", role: "alert" },
      h("p", {}, t("The early warning could not be loaded, so nothing has been filled in.")),
      data(alertProblem.detail || alertProblem.title, "p")) : null,
    form);
}

