// forms.js — forms that say what is wrong where it is wrong: a field's error under its label
// (aria-invalid, aria-describedby), a summary at the top linking to each, and focus on the
// first problem. The same path shows the checks made here and the API's problem+json
// (errors[].pointer "/email" belongs to the field named "email").
import { h, data, uid } from "./dom.js";
import { t } from "./i18n.js";

// A labelled input (or a select, with options [{value, label}]).
export function field({ name, label, type = "text", hint, options, value, ...attrs }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-error`;
  const describedby = [hintId, errId].filter(Boolean).join(" ");
  const control = options
    ? h("select", { id, name, "aria-describedby": describedby, ...attrs },
      options.map((o) => h("option", { value: o.value, selected: o.value === value,
        "data-text": o.intl ? "intl" : null }, o.label)))
    : h("input", { id, name, type, value, "aria-describedby": describedby, ...attrs });
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errId, hidden: true }),
    control);
}

export function summary() {
  return h("div", { class: "error-summary", tabindex: "-1", hidden: true });
}

export function values(form) {
  return Object.fromEntries(new FormData(form).entries());
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.replaceChildren();
  }
  for (const el of form.querySelectorAll(".field.invalid")) el.classList.remove("invalid");
  const s = form.querySelector(".error-summary");
  if (s) {
    s.hidden = true;
    s.replaceChildren();
  }
}

// errors: [{name, message, api}] — api marks a message the server wrote; a message may also be
// a function that makes it (a node) each time it is shown. lead: a sentence (or node) above
// the list, e.g. the problem's detail. Focuses the first field in error, or the summary when
// no field is named.
export function showErrors(form, errors, lead) {
  clearErrors(form);
  const s = form.querySelector(".error-summary");
  const items = [];
  let first = null;
  for (const e of errors) {
    const control = e.name ? form.elements.namedItem(e.name) : null;
    const msg = () => (typeof e.message === "function" ? e.message()
      : e.api ? data(e.message) : e.message);
    if (control && control.id) {
      const wrap = control.closest(".field");
      const err = wrap.querySelector(".field-error");
      err.hidden = false;
      err.append(h("span", { class: "visually-hidden" }, t("Error:")), " ", msg());
      wrap.classList.add("invalid");
      control.setAttribute("aria-invalid", "true");
      first = first || control;
      items.push(h("li", {}, h("a", { href: `#${control.id}`, onclick: (ev) => {
        ev.preventDefault();
        control.focus();
      } }, msg())));
    } else {
      items.push(h("li", {}, msg()));
    }
  }
  s.append(h("h2", { class: "error-summary-title" }, t("There is a problem")));
  if (lead) s.append(lead instanceof Node ? lead : h("p", {}, lead));
  if (items.length) s.append(h("ul", {}, items));
  s.hidden = false;
  s.setAttribute("role", "alert");
  (first || s).focus();
}

// Shows an API problem: each errors[] entry at its field when the form has it, the rest and
// the detail in the summary.
export function showProblem(form, problem) {
  const errors = (problem.errors || []).map((e) => {
    const where = e.pointer || e.parameter || e.header || "";
    const name = where.replace(/^\//, "").split("/")[0];
    return { name: name && form.elements.namedItem(name) ? name : null, message: e.message,
      api: true };
  });
  const lead = problem.detail || problem.title;
  showErrors(form, errors, lead ? data(lead, "p") : null);
}

// Marks the form busy: its submit button disabled while a request runs.
export function busy(form, on) {
  form.setAttribute("aria-busy", String(on));
  for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = on;
}

// The checks the browser would make, in the page's language: required fields filled in,
// email addresses shaped like one. checks: {name: message-if-empty}. Returns the errors.
export function check(form, required) {
  const errors = [];
  for (const [name, message] of Object.entries(required)) {
    const el = form.elements.namedItem(name);
    const v = (el?.value || "").trim();
    if (!v) errors.push({ name, message });
    else if (el.type === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
      errors.push({ name, message: t("Enter an email address in the form name@example.com") });
    }
  }
  return errors;
}

// One field's messages as a person leaves it, without a summary and without moving focus:
// messages (nodes or strings; none clears the field) under its label, aria-invalid on the
// control named name. For checks made while the person fills the form in.
export function markField(form, name, messages) {
  const control = form.elements.namedItem(name);
  const wrap = control?.closest?.(".field");
  if (!wrap) return;
  const err = wrap.querySelector(".field-error");
  err.replaceChildren();
  if (messages.length) {
    for (const [i, m] of messages.entries()) {
      if (i) err.append(h("br"));
      err.append(h("span", { class: "visually-hidden" }, t("Error:")), " ", m);
    }
    err.hidden = false;
    wrap.classList.add("invalid");
    control.setAttribute("aria-invalid", "true");
  } else {
    err.hidden = true;
    wrap.classList.remove("invalid");
    control.removeAttribute("aria-invalid");
  }
}
