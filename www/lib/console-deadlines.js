// console-deadlines.js — a case's legal deadlines on the staff case page: each with its kind,
// the moment in the person's zone and on the forum's own clock, the rule and its source, what
// it counts from, whether the calendar of working days covered it, and the moves staff make
// (mark done or open again, extend for good cause, remove); and adding one by a rule (counted
// from the date of the event it names) or by hand with a reason. The rules come from
// GET /api/v1/deadline-rules when the form is first opened.
import * as api from "./api.js";
import { FROMS, KINDS, options, ruleEl, term } from "./console-terms.js";
import { h, data, replace, uid } from "./dom.js";
import { timeEl } from "./format.js";
import { busy, field, showErrors, showProblem, summary } from "./forms.js";
import { current, known, t, tnodes } from "./i18n.js";

// The deadline's instant on the forum's clock: "16 Dec 2026, 23:59 (UTC)".
export function forumTime(d) {
  if (!d?.at) return "";
  try {
    const s = new Intl.DateTimeFormat(current(), { timeZone: d.zone || "UTC", dateStyle: "medium",
      timeStyle: "short" }).format(new Date(d.at));
    return `${s} (${d.zone || "UTC"})`;
  } catch {
    return d.at;
  }
}

// Does the rule apply to a case of this type and country (its countries may name a group)?
function fits(rule, c, groups) {
  const type = rule.type === "*" || rule.type === c.type;
  const country = (rule.countries || []).some((x) => x === "*" || x === c.country ||
    (x.startsWith("@") && (groups[x.slice(1)] || []).includes(c.country)));
  return type && country;
}

function deadlineRow(c, d, act) {
  const state = d.done ? h("strong", { class: "dl-done" }, t("Done"))
    : d.overdue ? h("strong", { class: "dl-overdue" }, t("Overdue")) : h("span", {}, t("Open"));
  const buttons = [];
  const name = term(KINDS, d.kind);
  const label = (text) => [text, h("span", { class: "visually-hidden" }, " ", name)];
  buttons.push(h("button", { type: "button", class: "link-button",
    onclick: () => act(d, { done: !d.done }) }, label(d.done ? t("Open it again") : t("Mark done"))));
  if (!d.done && d.rule?.extension) {
    buttons.push(h("button", { type: "button", class: "link-button",
      onclick: () => act(d, { extend: true }, true) }, label(t("Extend"))));
  }
  buttons.push(h("button", { type: "button", class: "link-button",
    onclick: () => act(d, null) }, label(t("Remove"))));
  return h("tr", { "data-deadline": d.id, class: d.done ? "done" : null },
    h("th", { scope: "row" }, name,
      c.deadline?.id === d.id && !d.done ? h("span", { class: "badge next" }, t("Next")) : null),
    h("td", { "data-label": t("Due") },
      d.at ? timeEl(d.at) : h("span", { class: "muted" }, t("Not computed yet")),
      d.at ? h("span", { class: "forum-time" }, tnodes("Forum's time: {when}",
        { when: h("span", { "data-text": "intl" }, forumTime(d)) })) : null,
      d.extensions ? h("span", { class: "case-meta" }, t("Extended {n} times", { n: d.extensions })) : null),
    h("td", { "data-label": t("Rule and source") },
      d.rule ? ruleEl(d.rule, d.source) : null,
      d.from_at ? h("span", { class: "case-meta" }, term(FROMS, d.from), " ", data(d.from_at)) : null,
      d.manual ? h("span", { class: "case-meta" }, tnodes("Set by hand: {reason}",
        { reason: data(d.reason || "") })) : null,
      d.calendar && !d.calendar.covered ? h("span", { class: "case-meta warn" },
        tnodes("The {calendar} holidays are not listed for these dates: weekends only were skipped.",
          { calendar: data(d.calendar.name) })) : null,
      d.note ? data(d.note, "span", { class: "case-meta" }) : null),
    h("td", { "data-label": t("State") }, state),
    h("td", { class: "actions" }, buttons));
}

// The add form: by a rule that fits the case (or any other), or by hand.
function addForm(c, rulesP, changed) {
  const id = uid("dl-add");
  const ruleSelect = h("select", { id: `${id}-rule`, name: "rule", "aria-describedby": `${id}-rule-error` },
    h("option", { value: "" }, t("Loading the rules …")));
  const fromLabel = h("label", { for: `${id}-from` }, t("Date it counts from"));
  const ruleInfo = h("p", { class: "hint rule-info", "aria-live": "polite" });
  let rules = [];
  const form = h("form", { class: "form deadline-add", novalidate: true, method: "post", action: location.pathname },
    summary(),
    h("fieldset", { class: "choice" },
      h("legend", {}, t("How is the deadline known?")),
      h("label", {}, h("input", { type: "radio", name: "how", value: "rule", checked: true }), " ",
        t("From a rule and the date it counts from")),
      h("label", {}, h("input", { type: "radio", name: "how", value: "hand" }), " ",
        t("Set by hand, with a reason"))),
    h("div", { class: "by-rule" },
      h("div", { class: "field", "data-field": "rule" },
        h("label", { for: ruleSelect.id }, t("Rule")),
        h("p", { class: "field-error", id: `${id}-rule-error`, hidden: true }),
        ruleSelect),
      ruleInfo,
      h("div", { class: "field", "data-field": "from_at" },
        fromLabel,
        h("p", { class: "field-error", id: `${id}-from-error`, hidden: true }),
        h("input", { type: "date", id: `${id}-from`, name: "from_at", "aria-describedby": `${id}-from-error` }))),
    h("div", { class: "by-hand", hidden: true },
      field({ name: "kind", label: t("Kind of deadline"), options: options(KINDS), value: "other" }),
      field({ name: "at", type: "date", label: t("Last day"),
        hint: t("The deadline ends at the last second of this day on the forum's clock.") }),
      field({ name: "reason", label: t("Reason"), maxlength: 4000, "data-text": "input" })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Add the deadline"))));
  const how = () => form.elements.namedItem("how").value;
  function shape() {
    form.querySelector(".by-rule").hidden = how() !== "rule";
    form.querySelector(".by-hand").hidden = how() !== "hand";
    const r = rules.find((x) => x.id === ruleSelect.value);
    fromLabel.textContent = r && FROMS[r.from] ? FROMS[r.from]() : t("Date it counts from");
    replace(ruleInfo, r ? ruleEl(r) : "");
  }
  form.addEventListener("change", shape);
  rulesP.then((all) => {
    const groups = all.country_groups || {};
    rules = all.rules || [];
    const mine = rules.filter((r) => fits(r, c, groups));
    const others = rules.filter((r) => !fits(r, c, groups));
    const opt = (r) => h("option", { value: r.id, "data-text": "api" },
      `${known(r.text).slice(0, 90)}${known(r.text).length > 90 ? "…" : ""}`);
    replace(ruleSelect, h("option", { value: "" }, t("Choose a rule")),
      mine.length ? h("optgroup", { label: t("Rules for this case's type and country") }, mine.map(opt)) : null,
      h("optgroup", { label: t("Other rules") }, others.map(opt)));
    shape();
  }, (e) => {
    replace(ruleSelect, h("option", { value: "" }, t("The rules could not be loaded.")));
    if (!(e instanceof api.ApiError)) throw e;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    let body;
    const errors = [];
    if (how() === "rule") {
      if (!fd.get("rule")) errors.push({ name: "rule", message: t("Choose a rule") });
      if (!fd.get("from_at")) errors.push({ name: "from_at", message: t("Enter the date it counts from") });
      body = { rule: fd.get("rule"), from_at: fd.get("from_at") };
    } else {
      if (!fd.get("at")) errors.push({ name: "at", message: t("Enter the last day") });
      if (!String(fd.get("reason") || "").trim()) errors.push({ name: "reason", message: t("Give the reason") });
      body = { kind: fd.get("kind"), at: fd.get("at"), reason: String(fd.get("reason")).trim() };
    }
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      const fresh = await api.post(`/api/v1/cases/${c.id}/deadlines`, body);
      form.reset();
      form.querySelector(".error-summary").hidden = true;
      changed(fresh, t("The deadline has been added."));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });
  return form;
}

// The deadlines section of case c. onChange(case) is called with the case after each change.
export function deadlinesSection(c, onChange) {
  const section = h("section", { class: "case-section", "aria-labelledby": "deadlines" });
  const status = h("p", { class: "visually-hidden", role: "status" });
  const problem = h("div", { class: "notice error", hidden: true, role: "alert" });
  let rulesP = null;
  const reasonDialog = h("dialog", { class: "reason-dialog", "aria-labelledby": "extend-title" });

  function changed(fresh, said) {
    c = fresh;
    onChange(fresh);
    render();
    status.textContent = said;
  }

  // A reason asked for in a small dialog (an extension needs one).
  function askReason() {
    return new Promise((resolve) => {
      const id = uid("extend-reason");
      const input = h("textarea", { id, rows: 3, maxlength: 4000, "data-text": "input" });
      const form = h("form", { method: "dialog" },
        h("h3", { id: "extend-title" }, t("Extend the deadline")),
        h("p", {}, t("The rule allows an extension for good cause. Say why, for the record.")),
        h("div", { class: "field" }, h("label", { for: id }, t("Reason")), input),
        h("div", { class: "form-actions" },
          h("button", { type: "submit", class: "button", value: "ok" }, t("Extend")), " ",
          h("button", { type: "submit", class: "button secondary", value: "cancel" }, t("Cancel"))));
      replace(reasonDialog, form);
      reasonDialog.onclose = () => resolve(reasonDialog.returnValue === "ok" ? input.value.trim() : null);
      reasonDialog.showModal();
      input.focus();
    });
  }

  async function act(d, change, needsReason) {
    problem.hidden = true;
    try {
      let fresh;
      if (change === null) {
        fresh = await api.del(`/api/v1/cases/${c.id}/deadlines/${d.id}`);
        changed(fresh, t("The deadline has been removed."));
        return;
      }
      if (needsReason) {
        const reason = await askReason();
        if (!reason) return;
        change = { ...change, reason };
      }
      fresh = await api.patch(`/api/v1/cases/${c.id}/deadlines/${d.id}`, change);
      changed(fresh, change.extend ? t("The deadline has been extended.")
        : change.done ? t("The deadline is marked done.") : t("The deadline is open again."));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      replace(problem, data(e.problem.detail || e.problem.title, "p"));
      problem.hidden = false;
      problem.focus?.();
    }
  }

  const add = h("details", { class: "add-deadline" }, h("summary", {}, t("Add a deadline")));
  add.addEventListener("toggle", () => {
    if (!add.open || rulesP) return;
    rulesP = api.get("/api/v1/deadline-rules");
    add.append(addForm(c, rulesP, changed));
  });

  function render() {
    const list = c.deadlines || [];
    replace(section,
      h("h2", { id: "deadlines" }, t("Legal deadlines")),
      list.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table deadlines" },
        h("caption", { class: "visually-hidden" }, t("Legal deadlines")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Deadline")),
          h("th", { scope: "col" }, t("Due")),
          h("th", { scope: "col" }, t("Rule and source")),
          h("th", { scope: "col" }, t("State")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
        h("tbody", {}, list.map((d) => deadlineRow(c, d, act)))))
        : h("p", { class: "empty" }, t("No legal deadline is recorded for this case.")),
      problem, add, status, reasonDialog);
  }
  render();
  return section;
}
