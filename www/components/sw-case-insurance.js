// <sw-case-insurance>: a case's "Insurance and costs" (issue 23), for the exporter's case page
// and the staff console's: the policy (insurer, number, cover, period, limit, the insurer's
// claim reference) with a form to record or change it, the centre's decision whether the
// dispute falls under the cover (a form for staff: .decide = true), the costs recorded on the
// case with a form to add one, correct or remove it, the totals per currency, and the link to
// the printable claim dossier. It reads what the case already holds (c.insurance, c.costs)
// and makes requests only when a person changes something; each change is announced in a live
// region. Amounts stay decimal strings from the API to the screen: never floats.
import * as api from "../lib/api.js";
import { h, data, replace, uid } from "../lib/dom.js";
import { dayRange, timeEl } from "../lib/format.js";
import { busy, check, field, showErrors, showProblem, summary } from "../lib/forms.js";
import { current, t, timeZone, tn, tnodes } from "../lib/i18n.js";
import { loadStyle } from "../lib/style.js";

loadStyle("insurance");

export const COST_KINDS = {
  counsel: () => t("Counsel's fees"),
  filing: () => t("Filing and court fees"),
  bond: () => t("Bond or security"),
  expert: () => t("Experts' fees"),
  travel: () => t("Travel"),
  other: () => t("Other costs"),
};

// Currencies offered first; the server takes any ISO 4217 currency in use.
const CURRENCIES = ["CNY", "USD", "EUR", "GBP", "JPY", "KRW", "HKD", "SGD", "AUD", "CAD", "CHF",
  "INR", "BRL", "MXN", "TRY", "AED", "SAR", "THB", "VND", "IDR", "MYR", "RUB", "ZAR", "KWD"];

function currencyName(code) {
  try {
    return new Intl.DisplayNames([current()], { type: "currency" }).of(code) || code;
  } catch {
    return code;
  }
}

// A decimal string in its currency, for the person's language: formatted from the string
// itself (Intl reads it exactly), never through a float.
export function moneyEl(amount, currency) {
  let text = `${amount} ${currency}`;
  try {
    text = new Intl.NumberFormat(current(), { style: "currency", currency,
      maximumFractionDigits: 20 }).format(amount);
  } catch {
    // an unknown currency stays as the API wrote it
  }
  return h("span", { class: "money", "data-text": "intl" }, text);
}

export function totalsEl(totals) {
  return h("ul", { class: "plain totals" }, (totals || []).map((x) => h("li", {},
    h("strong", {}, moneyEl(x.amount, x.currency)), " ",
    h("span", { class: "muted" }, tn("({n} cost)", "({n} costs)", x.count, { n: x.count })))));
}

function term(map, v) {
  return map[v] ? map[v]() : data(v);
}

export function decisionEl(d) {
  if (!d) return h("span", { class: "cover cover-open" }, t("Not decided yet"));
  return h("span", { class: `cover ${d.covered ? "cover-yes" : "cover-no"}` },
    d.covered ? t("Within the cover") : t("Outside the cover"));
}

// What a history entry of this section says, or null for other entries (for the timelines).
export function insuranceEntry(e) {
  switch (e.action) {
    case "insurance":
      return [e.before ? t("The insurance policy was changed") : t("The insurance policy was recorded"),
        e.after ? h("p", {}, data(e.after.insurer), " · ", data(e.after.policy)) : null,
        e.decision_cleared ? h("p", {}, t("Another policy: the decision on the cover was cleared")) : null];
    case "insurance_decision":
      return [e.after?.covered ? t("The centre finds the dispute within the insurance cover")
        : t("The centre finds the dispute outside the insurance cover"),
      e.after?.note ? data(e.after.note, "p") : null];
    case "cost_added": case "cost_changed": case "cost_removed": {
      const x = e.after || e.before || {};
      const lead = { cost_added: () => t("A cost was recorded"), cost_changed: () => t("A cost was corrected"),
        cost_removed: () => t("A cost was removed") }[e.action]();
      return [lead, h("p", {}, term(COST_KINDS, x.kind), " · ", moneyEl(x.amount, x.currency),
        e.action === "cost_changed" && e.before
          ? [" ", tnodes("(was {amount})", { amount: moneyEl(e.before.amount, e.before.currency) })] : null),
      e.reason ? data(e.reason, "p") : null];
    }
    default: return null;
  }
}

// Today where the person is, as YYYY-MM-DD.
function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone() }).format(new Date());
}

function fact(label, value) {
  return value === null || value === undefined || value === "" ? null
    : [h("dt", {}, label), h("dd", {}, value)];
}

// Problems about nested members (/limit/amount) belong to the fields named limit_amount.
function flatProblem(p) {
  return { ...p, errors: (p.errors || []).map((e) => (e.pointer
    ? { ...e, pointer: `/${e.pointer.slice(1).replace(/\//g, "_")}` } : e)) };
}

function textArea(name, label, value, max, hint) {
  const id = uid(`f-${name}`);
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
    h("textarea", { id, name, rows: 3, maxlength: max, "data-text": "input",
      "aria-describedby": [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ") }, value || ""));
}

function currencyField(name, label, value) {
  const options = CURRENCIES.map((c) => ({ value: c, label: `${c} · ${currencyName(c)}`, intl: true }));
  return field({ name, label, options, value: value || "CNY" });
}

class CaseInsurance extends HTMLElement {
  connectedCallback() {
    if (this.status) return;
    this.status = h("p", { class: "visually-hidden", role: "status" });
    this.render();
  }

  get base() {
    return `/api/v1/cases/${this.case.id}`;
  }

  render() {
    const c = this.case;
    const ins = c.insurance || null;
    const costs = c.costs || { items: [], totals: [] };
    const hid = uid("insurance");
    replace(this,
      h("section", { class: "case-section case-insurance", "aria-labelledby": hid },
        h("h2", { id: hid }, t("Insurance and costs")),
        this.policyPart(ins),
        this.decide && ins ? this.decisionForm(ins) : null,
        this.costsPart(costs),
        h("p", { class: "dossier-link" }, h("a", { href: this.dossier, class: "button secondary" },
          t("Open the claim dossier")), " ",
        h("span", { class: "hint" }, t("A printable summary for the insurer, with the evidence as a ZIP file."))),
        this.status));
  }

  announce(text) {
    this.status.textContent = text;
  }

  update(patch, said) {
    this.case = { ...this.case, ...patch };
    this.render();
    this.announce(said);
  }

  policyPart(ins) {
    const l = ins?.limit;
    const list = ins ? h("dl", { class: "facts insurance-facts" },
      fact(t("Insurer"), data(ins.insurer)),
      fact(t("Policy number"), data(ins.policy, "span", { class: "policy-number" })),
      fact(t("Cover"), ins.cover ? data(ins.cover) : null),
      fact(t("Period of cover"), ins.period ? h("span", { "data-text": "intl" }, dayRange(ins.period.from, ins.period.until)) : null),
      fact(t("Limit"), l ? moneyEl(l.amount, l.currency) : null),
      fact(t("Claim reference"), ins.claim ? data(ins.claim) : null),
      fact(t("Covered?"), [decisionEl(ins.decision),
        ins.decision?.note ? data(ins.decision.note, "p", { class: "decision-note" }) : null,
        ins.decision?.at ? h("p", { class: "muted" }, timeEl(ins.decision.at)) : null]))
      : h("p", { class: "empty" }, t("No insurance policy recorded for this case."));
    const form = this.policyForm(ins);
    const details = h("details", { class: "insurance-edit", open: !ins },
      h("summary", {}, ins ? t("Change the policy") : t("Record the policy")), form);
    return h("div", { class: "insurance-policy" }, list, details);
  }

  policyForm(ins) {
    const form = h("form", { class: "form insurance-form", novalidate: true, method: "post",
      action: location.pathname, onsubmit: async (ev) => {
        ev.preventDefault();
        const errors = check(form, { insurer: t("Name the insurer"), policy: t("Give the policy number") });
        const v = (n) => form.elements.namedItem(n).value.trim();
        if ((v("period_from") === "") !== (v("period_until") === "")) {
          errors.push({ name: v("period_from") ? "period_until" : "period_from",
            message: t("Give both days of the period, or neither") });
        }
        if (errors.length) {
          showErrors(form, errors);
          return;
        }
        const body = { insurer: v("insurer"), policy: v("policy"), cover: v("cover"), claim: v("claim") };
        if (v("period_from")) body.period = { from: v("period_from"), until: v("period_until") };
        if (v("limit_amount")) body.limit = { amount: v("limit_amount"), currency: v("limit_currency") };
        busy(form, true);
        try {
          const fresh = await api.request("PUT", `${this.base}/insurance`, { body });
          this.update({ insurance: fresh }, t("The insurance policy has been saved."));
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showProblem(form, flatProblem(e.problem));
          busy(form, false);
        }
      } },
    summary(),
    field({ name: "insurer", label: t("Insurer"), value: ins?.insurer, maxlength: 200,
      autocomplete: "organization" }),
    field({ name: "policy", label: t("Policy number"), value: ins?.policy, maxlength: 64,
      hint: t("Letters, digits, “.”, “-” and “_”, as on the policy.") }),
    textArea("cover", t("Cover"), ins?.cover, 4000, t("What the policy covers, in its own words.")),
    h("div", { class: "field-row" },
      field({ name: "period_from", label: t("Cover from"), type: "date", value: ins?.period?.from }),
      field({ name: "period_until", label: t("Cover until"), type: "date", value: ins?.period?.until })),
    h("div", { class: "field-row" },
      field({ name: "limit_amount", label: t("Limit"), inputmode: "decimal", value: ins?.limit?.amount,
        hint: t("An amount such as 500000 or 500000.00") }),
      currencyField("limit_currency", t("Currency of the limit"), ins?.limit?.currency)),
    field({ name: "claim", label: t("The insurer's claim reference"), value: ins?.claim, maxlength: 100 }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Save the policy"))));
    return form;
  }

  decisionForm(ins) {
    const yes = uid("covered");
    const no = uid("covered");
    const form = h("form", { class: "form decision-form", novalidate: true, method: "post",
      action: location.pathname, onsubmit: async (ev) => {
        ev.preventDefault();
        const covered = form.elements.namedItem("covered").value;
        const errors = check(form, { note: t("Say why, for the exporter and the insurer") });
        if (!covered) errors.unshift({ name: "covered", message: t("Choose whether the dispute is covered") });
        if (errors.length) {
          showErrors(form, errors);
          return;
        }
        busy(form, true);
        try {
          const fresh = await api.post(`${this.base}/insurance/decision`,
            { covered: covered === "yes", note: form.elements.namedItem("note").value.trim() });
          this.update({ insurance: fresh }, t("The decision on the cover has been recorded."));
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showProblem(form, e.problem);
          busy(form, false);
        }
      } },
    summary(),
    h("fieldset", { class: "field", "data-field": "covered" },
      h("legend", {}, t("Does the dispute fall under the cover?")),
      h("p", { class: "field-error", hidden: true }),
      h("p", { class: "choice" }, h("input", { type: "radio", id: yes, name: "covered", value: "yes",
        checked: ins.decision?.covered === true }), " ", h("label", { for: yes }, t("Yes, within the cover"))),
      h("p", { class: "choice" }, h("input", { type: "radio", id: no, name: "covered", value: "no",
        checked: ins.decision?.covered === false }), " ", h("label", { for: no }, t("No, outside the cover")))),
    textArea("note", t("Note on the decision"), "", 4000, t("The exporter is told, with this note.")),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Record the decision"))));
    return h("div", { class: "decision-box" }, h("h3", {}, t("The centre's decision")), form);
  }

  costsPart(costs) {
    const items = costs.items || [];
    const tid = uid("costs");
    const table = items.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table costs" },
      h("caption", { id: tid }, t("Costs recorded")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Date")), h("th", { scope: "col" }, t("Kind")),
        h("th", { scope: "col" }, t("Amount")), h("th", { scope: "col" }, t("Note")),
        h("th", { scope: "col" }, t("Actions")))),
      h("tbody", {}, items.map((x) => h("tr", { "data-cost": x.id },
        h("th", { scope: "row" }, h("span", { "data-text": "intl" }, dayRange(x.date, x.date))),
        h("td", { "data-label": t("Kind") }, term(COST_KINDS, x.kind)),
        h("td", { "data-label": t("Amount"), class: "amount" }, moneyEl(x.amount, x.currency)),
        h("td", { "data-label": t("Note") }, x.note ? data(x.note) : null),
        h("td", { "data-label": t("Actions") },
          h("button", { type: "button", class: "link-button", onclick: () => this.correct(x) },
            t("Correct"), h("span", { class: "visually-hidden" }, " ", t("cost #{id}", { id: x.id }))), " ",
          h("button", { type: "button", class: "link-button", onclick: () => this.remove(x) },
            t("Remove"), h("span", { class: "visually-hidden" }, " ", t("cost #{id}", { id: x.id })))))))))
      : h("p", { class: "empty" }, t("No costs recorded yet."));
    this.costForm = this.makeCostForm();
    return h("div", { class: "insurance-costs" },
      h("h3", {}, t("Costs")),
      table,
      items.length ? h("div", { class: "totals-box" }, h("h4", {}, t("Totals per currency")), totalsEl(costs.totals)) : null,
      this.costForm);
  }

  makeCostForm(cost) {
    const editing = Boolean(cost);
    const form = h("form", { class: "form cost-form", novalidate: true, method: "post",
      action: location.pathname, onsubmit: async (ev) => {
        ev.preventDefault();
        const v = (n) => form.elements.namedItem(n)?.value.trim() ?? "";
        const errors = check(form, { amount: t("Give the amount"), date: t("Give the day of the cost") });
        if (errors.length) {
          showErrors(form, errors);
          return;
        }
        const body = { kind: v("kind"), amount: v("amount"), currency: v("currency"), date: v("date"),
          note: v("note") };
        if (editing && v("reason")) body.reason = v("reason");
        busy(form, true);
        try {
          if (editing) await api.patch(`${this.base}/costs/${cost.id}`, body);
          else await api.post(`${this.base}/costs`, body);
          const costs = await api.get(`${this.base}/costs`);
          this.update({ costs }, editing ? t("The cost has been corrected.") : t("The cost has been recorded."));
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showProblem(form, e.problem);
          busy(form, false);
        }
      } },
    h("h4", {}, editing ? t("Correct cost #{id}", { id: cost.id }) : t("Record a cost")),
    summary(),
    h("div", { class: "field-row" },
      field({ name: "kind", label: t("Kind"), value: cost?.kind || "counsel",
        options: Object.keys(COST_KINDS).map((k) => ({ value: k, label: COST_KINDS[k]() })) }),
      field({ name: "date", label: t("Day"), type: "date", value: cost?.date || today() })),
    h("div", { class: "field-row" },
      field({ name: "amount", label: t("Amount"), inputmode: "decimal", value: cost?.amount,
        hint: t("Digits and a decimal point, such as 1234.50") }),
      currencyField("currency", t("Currency"), cost?.currency)),
    field({ name: "note", label: t("Note"), value: cost?.note, maxlength: 2000 }),
    editing ? field({ name: "reason", label: t("Why it is corrected"), maxlength: 2000 }) : null,
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, editing ? t("Save the correction") : t("Record the cost")),
      editing ? h("button", { type: "button", class: "button secondary", onclick: () => this.render() }, t("Cancel")) : null));
    return form;
  }

  correct(cost) {
    const form = this.makeCostForm(cost);
    this.costForm.replaceWith(form);
    this.costForm = form;
    form.elements.namedItem("amount").focus();
  }

  async remove(cost) {
    try {
      await api.del(`${this.base}/costs/${cost.id}`);
      const costs = await api.get(`${this.base}/costs`);
      this.update({ costs }, t("The cost has been removed; the history keeps it."));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      this.announce(e.problem.detail || e.problem.title);
    }
  }
}

customElements.define("sw-case-insurance", CaseInsurance);
