// staff/case.js — one case as the centre works it (/staff/cases/{id}): its state and the moves
// the caller may make (the outcome asked for on resolving), the priority with its reasons and
// an override, every clock (first response, resolution, each legal deadline with its rule and
// source, added, completed, extended), the facts and tags, the experts who fit with their
// reasons and a one-click assignment, the reply box with the centre's templates in Chinese or
// English and internal notes, the evidence with its SHA-256 checked in the browser, where the
// case came from, and the whole timeline with internal entries marked. Three API requests
// besides the session: the case, its history, and (triagers, while an expert may be assigned)
// the experts who fit; the templates, the deadline rules and a linked incident load when their
// parts are opened.
import "../../components/sw-case-deadline.js";
import { insuranceEntry } from "../../components/sw-case-insurance.js";
import * as api from "../../lib/api.js";
import { RIGHTS, ROLES, TYPES } from "../../lib/case-terms.js";
import { deadlinesSection } from "../../lib/console-deadlines.js";
import { replySection } from "../../lib/console-reply.js";
import {
  MOVES, NEEDS_REASON, OUTCOMES, QUEUE, SLA, STATES, fitReason, options, priorityReason, ruleEl,
  term, who,
} from "../../lib/console-terms.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { countryEl, numberEl, timeEl } from "../../lib/format.js";
import { busy, field, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const HISTORY_PAGE = 200;
// The states from which an expert may be assigned (a submitted case is accepted on the way,
// POST /cases/bulk).
const ASSIGNABLE = ["submitted", "accepted", "assigned"];

function allHistory(id) {
  return api.getAll(`/api/v1/cases/${id}/history`, { limit: HISTORY_PAGE });
}

function fact(label, value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)
    ? null : [h("dt", {}, label), h("dd", {}, value)];
}

function money(n) {
  return h("span", { "data-text": "intl" }, new Intl.NumberFormat(document.documentElement.lang,
    { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(n));
}

function facts(c) {
  return h("dl", { class: "facts case-facts" },
    fact(t("Exporter"), data(c.exporter?.name || "")),
    fact(t("Type"), term(TYPES, c.type)),
    fact(t("Country or region"), countryEl(c.country)),
    fact(t("Court, office, customs or fair"), c.forum ? data(c.forum) : null),
    fact(t("Opposing party"), data(c.opposing_party)),
    fact(t("The exporter's part"), term(ROLES, c.own_role)),
    fact(t("Served or notified"), c.served_at ? data(c.served_at) : null),
    fact(t("Amount at stake"), Number.isInteger(c.amount_usd) ? money(c.amount_usd) : null),
    fact(t("Rights concerned"), (c.rights || []).length ? h("ul", { class: "plain" }, c.rights.map((r) =>
      h("li", {}, term(RIGHTS, r.type), " ", data(r.number || ""), r.country ? [" (", countryEl(r.country), ")"] : null)))
      : null),
    fact(t("Products concerned"), (c.products || []).length
      ? h("ul", { class: "plain" }, c.products.map((p) => h("li", {}, data(p)))) : null),
    fact(t("Came in"), timeEl(c.created_at)),
    fact(t("Description"), c.description ? data(c.description, "p", { class: "description" }) : null));
}

// --- state and moves ---------------------------------------------------------------------

function movesForm(c, onMoved) {
  const moves = (c.next_states || []).filter((s) => s !== "assigned" && MOVES[s]);
  if (!moves.length) return null;
  const reasonId = uid("move-reason");
  const form = h("form", { class: "form case-moves", novalidate: true, method: "post", action: location.pathname },
    summary(),
    h("fieldset", { class: "choice", "data-field": "to" },
      h("legend", {}, t("Move the case")),
      moves.map((s) => h("label", {}, h("input", { type: "radio", name: "to", value: s }), " ", MOVES[s]()))),
    h("div", { class: "field", "data-field": "reason", hidden: true },
      h("label", { for: reasonId }, t("Reason (the exporter is told)")),
      h("p", { class: "field-error", id: `${reasonId}-error`, hidden: true }),
      h("textarea", { id: reasonId, name: "reason", rows: 3, maxlength: 4000, "data-text": "input",
        "aria-describedby": `${reasonId}-error` })),
    field({ name: "outcome", label: t("Outcome"),
      options: [{ value: "", label: t("Choose the outcome") },
        ...options(OUTCOMES).filter((o) => o.value !== "not_recorded")] }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Move the case"))));
  const fieldOf = (name) => form.querySelector(`.field[data-field="${name}"]`);
  fieldOf("outcome").hidden = true;
  form.addEventListener("change", () => {
    const to = form.elements.namedItem("to").value;
    fieldOf("reason").hidden = !NEEDS_REASON.includes(to);
    fieldOf("outcome").hidden = to !== "resolved";
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const to = form.elements.namedItem("to").value;
    const reason = form.elements.namedItem("reason").value.trim();
    const outcome = form.elements.namedItem("outcome").value;
    const errors = [];
    if (!to) errors.push({ name: null, message: t("Choose where to move the case") });
    if (NEEDS_REASON.includes(to) && !reason) errors.push({ name: "reason", message: t("Give the reason the exporter will read") });
    if (to === "resolved" && !outcome) errors.push({ name: "outcome", message: t("Choose the outcome") });
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      const body = { to };
      if (NEEDS_REASON.includes(to)) body.reason = reason;
      if (to === "resolved") body.outcome = outcome;
      await api.post(`/api/v1/cases/${c.id}/transition`, body);
      onMoved();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
      busy(form, false);
    }
  });
  return form;
}

// --- priority -----------------------------------------------------------------------------

function prioritySection(c, canOverride, reload) {
  const p = c.priority;
  if (!p) return null;
  const form = canOverride ? h("form", { class: "form priority-form", novalidate: true, method: "post",
    action: location.pathname },
  summary(),
  field({ name: "score", type: "number", min: 0, max: 100, label: t("Priority by hand (0–100)"),
    value: p.override ? p.override.score : "", inputmode: "numeric" }),
  field({ name: "reason", label: t("Reason"), maxlength: 4000, "data-text": "input" }),
  h("div", { class: "form-actions split" },
    h("button", { type: "submit", class: "button secondary", value: "set" }, t("Override the priority")),
    p.override ? h("button", { type: "submit", class: "button secondary", value: "clear" },
      t("Clear the override")) : null)) : null;
  form?.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const clear = ev.submitter?.value === "clear";
    const score = form.elements.namedItem("score").value.trim();
    const reason = form.elements.namedItem("reason").value.trim();
    const errors = [];
    if (!clear && !/^(100|[1-9]?[0-9])$/.test(score)) errors.push({ name: "score", message: t("Enter a whole number from 0 to 100") });
    if (!reason) errors.push({ name: "reason", message: t("Give the reason") });
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      await api.post(`/api/v1/cases/${c.id}/priority`, clear ? { clear: true, reason } : { score: Number(score), reason });
      reload();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
      busy(form, false);
    }
  });
  return h("section", { class: "case-section priority-box", "aria-labelledby": "priority" },
    h("h2", { id: "priority" }, t("Priority")),
    h("p", { class: "priority-score" }, h("strong", {}, numberEl(p.score)), " ",
      h("span", { class: "muted" }, t("of 100"))),
    p.override ? h("p", { class: "notice" }, tnodes("Set by hand ({computed} computed): {reason}",
      { computed: numberEl(p.computed), reason: data(p.override.reason) })) : null,
    h("p", {}, t("How it is computed:")),
    h("ul", { class: "reasons" }, (p.reasons || []).map((r) => h("li", {}, priorityReason(r)))),
    form ? h("details", { class: "override" }, h("summary", {}, t("Override the priority")), form) : null);
}

// --- clocks ---------------------------------------------------------------------------------

function duration(s) {
  if (!Number.isFinite(s)) return "—";
  const hours = s / 3600;
  const nf = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  return hours >= 48 ? t("{n} days", { n: nf.format(hours / 24) }) : t("{n} hours", { n: nf.format(hours) });
}

function clockRow(label, k) {
  if (!k) return null;
  return h("tr", {},
    h("th", { scope: "row" }, label),
    h("td", { "data-label": t("Status") }, h("strong", { class: `sla sla-${k.status}` }, term(SLA, k.status)),
      k.paused ? h("span", { class: "muted" }, " ", t("(paused while waiting on the exporter)")) : null),
    h("td", { "data-label": t("Time counted") }, h("span", { "data-text": "intl" }, duration(k.elapsed_s)),
      " / ", h("span", { "data-text": "intl" }, duration(k.target_s))),
    h("td", { "data-label": t("Due") }, k.due_at ? timeEl(k.due_at) : h("span", { class: "muted" }, "—")));
}

function clocksSection(c) {
  return h("section", { class: "case-section", "aria-labelledby": "clocks" },
    h("h2", { id: "clocks" }, t("Service-level clocks")),
    h("div", { class: "table-wrap" }, h("table", { class: "ws-table clocks" },
      h("caption", { class: "visually-hidden" }, t("Service-level clocks")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Clock")), h("th", { scope: "col" }, t("Status")),
        h("th", { scope: "col" }, t("Time counted")), h("th", { scope: "col" }, t("Due")))),
      h("tbody", {}, clockRow(t("First response"), c.sla?.first_response),
        clockRow(t("Resolution"), c.sla?.resolution)))));
}

// --- experts --------------------------------------------------------------------------------

function expertsSection(c, offer, reload) {
  if (!offer) return null;
  const status = h("div", { "aria-live": "polite" });
  const assign = async (btn, x) => {
    btn.disabled = true;
    try {
      if (c.state === "submitted") {
        const r = await api.post("/api/v1/cases/bulk", { ids: [c.id], action: "assign", expert_id: x.id });
        const one = r.results[0];
        if (one.status >= 400) throw new api.ApiError({ ...one.problem, status: one.status });
      } else {
        await api.post(x.assign?.path || `/api/v1/cases/${c.id}/transition`,
          x.assign?.body || { to: "assigned", expert_id: x.id });
      }
      reload();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      btn.disabled = false;
      replace(status, data(e.problem.detail || e.problem.title, "p", { class: "notice error" }));
    }
  };
  const items = offer.items || [];
  return h("section", { class: "case-section", "aria-labelledby": "experts" },
    h("h2", { id: "experts" }, t("Experts who fit")),
    c.assignee ? h("p", {}, tnodes("Assigned now: {name}", { name: data(c.assignee.name, "strong") })) : null,
    items.length ? h("ol", { class: "experts" }, items.map((x) => {
      const btn = h("button", { type: "button", class: x.id === offer.offered?.id ? "button" : "button secondary",
        disabled: c.assignee?.id === x.id, onclick: () => assign(btn, x) },
      c.state === "submitted" ? t("Accept and assign") : t("Assign"),
      h("span", { class: "visually-hidden" }, " ", data(x.name)));
      return h("li", { class: "expert", "data-expert": x.id },
        h("p", { class: "expert-name" }, data(x.name, "strong"),
          x.id === offer.offered?.id ? h("span", { class: "badge" }, t("Best fit")) : null),
        x.expertise?.length ? h("p", { class: "case-meta" }, tnodes("Expertise: {tags}",
          { tags: data(x.expertise.join(", ")) })) : null,
        h("ul", { class: "reasons" }, (x.reasons || []).map((r) => h("li", {}, fitReason(r, countryEl)))),
        btn);
    })) : h("p", { class: "empty" }, t("The centre has no experts yet.")),
    status);
}

// --- tags -----------------------------------------------------------------------------------

function tagsSection(c, reload, canEdit) {
  const id = uid("tags");
  const status = h("div", { "aria-live": "polite" });
  const send = async (action, tags) => {
    const r = await api.post("/api/v1/cases/bulk", { ids: [c.id], action, tags });
    const one = r.results[0];
    if (one.status >= 400) {
      replace(status, data(one.problem?.detail || one.problem?.title || "", "p", { class: "notice error" }));
      return;
    }
    reload();
  };
  const input = h("input", { id, name: "tags", maxlength: 400, "data-text": "input", "aria-describedby": `${id}-hint` });
  return h("section", { class: "case-section", "aria-labelledby": "case-tags" },
    h("h2", { id: "case-tags" }, t("Tags")),
    (c.tags || []).length ? h("ul", { class: "case-tags editable" }, c.tags.map((x) => h("li", {}, data(x), " ",
      canEdit ? h("button", { type: "button", class: "link-button", onclick: () => send("untag", [x]) },
        t("Remove"), h("span", { class: "visually-hidden" }, " ", data(x))) : null)))
      : h("p", { class: "empty" }, t("No tags yet.")),
    !canEdit ? null : h("form", { class: "form tag-form", novalidate: true, method: "post", action: location.pathname,
      onsubmit: (ev) => {
        ev.preventDefault();
        const tags = input.value.split(/[\s,，]+/).filter(Boolean);
        if (tags.length) send("tag", tags).catch((e) => {
          if (!(e instanceof api.ApiError)) throw e;
          replace(status, data(e.problem.detail || e.problem.title, "p", { class: "notice error" }));
        });
      } },
    h("div", { class: "field" }, h("label", { for: id }, t("Add tags")),
      h("p", { class: "hint", id: `${id}-hint` }, t("The centre's own words, separated by spaces; only staff see them.")),
      input),
    h("button", { type: "submit", class: "button secondary" }, t("Add"))),
    status);
}

// --- evidence -------------------------------------------------------------------------------

async function sha256Hex(buf) {
  const d = await crypto.subtle.digest("SHA-256", buf);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

function evidenceSection(c, history) {
  const files = history.filter((e) => e.action === "evidence");
  const refs = c.evidence_refs || [];
  const row = (f, url, when) => {
    const result = h("span", { class: "hash-check", role: "status" });
    const btn = h("button", { type: "button", class: "link-button", onclick: async () => {
      btn.disabled = true;
      replace(result, t("Checking …"));
      try {
        const res = await fetch(url, { credentials: "same-origin" });
        if (!res.ok) {
          replace(result, h("strong", { class: "bad" }, t("Not served: the server found the file damaged or missing.")));
          return;
        }
        const got = await sha256Hex(await res.arrayBuffer());
        const same = got === f.sha256;
        replace(result, same ? h("strong", { class: "good" }, t("Checked: the file has the SHA-256 recorded at upload."))
          : [h("strong", { class: "bad" }, t("Different: the file's SHA-256 is not the one recorded.")), " ", data(got, "code", { class: "hash" })]);
      } finally {
        btn.disabled = false;
      }
    } }, t("Check the hash"), h("span", { class: "visually-hidden" }, " ", data(f.name)));
    return h("tr", { "data-sha256": f.sha256 },
      h("th", { scope: "row" }, h("a", { href: url, download: f.name }, data(f.name))),
      h("td", { "data-label": t("Size") }, numberEl(f.size || 0), " ", t("bytes")),
      h("td", { "data-label": t("SHA-256") }, data(f.sha256, "code", { class: "hash" })),
      h("td", { "data-label": t("Added") }, when ? timeEl(when) : h("span", { class: "muted" }, t("with the incident"))),
      h("td", { "data-label": t("Hash check") }, btn, " ", result));
  };
  return h("section", { class: "case-section", "aria-labelledby": "evidence" },
    h("h2", { id: "evidence" }, t("Evidence")),
    files.length || refs.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table evidence" },
      h("caption", { class: "visually-hidden" }, t("Evidence")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("File")), h("th", { scope: "col" }, t("Size")),
        h("th", { scope: "col" }, t("SHA-256")), h("th", { scope: "col" }, t("Added")),
        h("th", { scope: "col" }, t("Hash check")))),
      h("tbody", {}, files.map((f) => row(f, `/api/v1/cases/${c.id}/evidence/${f.sha256}`, f.at)),
        refs.map((f) => row(f, f.url, null)))))
      : h("p", { class: "empty" }, t("No evidence files yet.")),
    h("p", { class: "hint" }, t("The server checks a file against its SHA-256 before it sends it; \"Check the hash\" computes it again in this browser.")));
}

// --- where it came from ---------------------------------------------------------------------

function incidentFacts(x) {
  return h("dl", { class: "facts" },
    fact(t("Fair"), x.show ? data(x.show) : null),
    fact(t("Booth"), x.booth ? data(x.booth) : null),
    fact(t("Exhibitor"), x.exhibitor?.name ? data(x.exhibitor.name) : null),
    fact(t("Complainant"), x.complainant?.name ? data(x.complainant.name) : null),
    fact(t("Received"), x.received_at ? timeEl(x.received_at) : null),
    fact(t("Notes"), x.notes ? data(x.notes, "p", { class: "description" }) : null));
}

function originSection(c) {
  const items = [];
  for (const l of c.links || []) {
    if (l.kind === "alert") {
      items.push(h("li", {}, tnodes("The exporter's early warning {id}, in their inbox", { id: data(l.id, "code") })));
    }
  }
  const incidents = new Set((c.links || []).filter((l) => l.kind === "incident").map((l) => String(l.id)));
  if (c.from_incident) incidents.add(String(c.from_incident));
  for (const iid of incidents) {
    const more = h("details", { class: "incident" },
      h("summary", {}, tnodes("Trade-fair incident #{id}, logged by the fair's IP service station", { id: data(iid) })));
    let loaded = false;
    more.addEventListener("toggle", () => {
      if (!more.open || loaded) return;
      loaded = true;
      api.get(`/api/v1/incidents/${encodeURIComponent(iid)}`).then((x) => more.append(incidentFacts(x)), (e) => {
        if (!(e instanceof api.ApiError)) throw e;
        more.append(data(e.problem.detail || e.problem.title, "p", { class: "notice error" }));
      });
    });
    items.push(h("li", {}, more));
  }
  if (!items.length) return null;
  return h("section", { class: "case-section", "aria-labelledby": "origin" },
    h("h2", { id: "origin" }, t("Where this case came from")),
    h("ul", { class: "origin" }, items));
}

// --- timeline -------------------------------------------------------------------------------

function entryText(e, names) {
  switch (e.action) {
    case "created": return [t("The exporter asked for help")];
    case "transition": {
      const to = e.after?.state;
      const bits = [tnodes("Moved to {state}", { state: h("strong", {}, term(STATES, to)) })];
      if (to === "assigned" && e.after?.assignee) bits.push(tnodes("Expert: {name}", { name: data(e.after.assignee.name || names.get(e.after.assignee.id) || "") }));
      if (e.after?.outcome) bits.push(tnodes("Outcome: {outcome}", { outcome: term(OUTCOMES, e.after.outcome) }));
      if (e.reason) bits.push(data(e.reason, "p"));
      return bits;
    }
    case "reply": return [e.by?.role === "exporter" ? t("The exporter wrote") : t("Reply sent to the exporter"),
      data(e.text, "p", { class: "message-text" })];
    case "note": return [t("Internal note"), data(e.text, "p", { class: "message-text" })];
    case "evidence": return [tnodes("Evidence added: {name}", { name: data(e.name, "strong") }),
      e.sha256 ? h("p", {}, tnodes("SHA-256 {hash}", { hash: data(e.sha256, "code", { class: "hash" }) })) : null];
    case "deadline": return [t("The deadline was set by hand"),
      e.after?.at ? h("p", {}, tnodes("New deadline: {at}", { at: timeEl(e.after.at) })) : null,
      e.reason ? data(e.reason, "p") : null];
    case "deadline_added": return [t("A deadline was added"), e.after ? deadlineLine(e.after) : null];
    case "deadline_changed": return [t("A deadline was changed"), e.after ? deadlineLine(e.after) : null,
      e.reason ? data(e.reason, "p") : null];
    case "deadline_removed": return [t("A deadline was removed"), e.before ? deadlineLine(e.before) : null];
    case "tags": return [tnodes("Tags: {tags}", { tags: data((e.after?.tags || []).join(", ") || "—") })];
    case "priority": return [e.after ? tnodes("Priority set by hand to {score}", { score: numberEl(e.after.score) })
      : t("The priority override was cleared"), e.reason ? data(e.reason, "p") : null];
    case "escalated": return [t("The case came from a trade-fair incident")];
    default: return insuranceEntry(e) || [data(e.action)];
  }
}

function deadlineLine(d) {
  return h("p", {}, d.at ? timeEl(d.at) : null, d.at ? " — " : null, ruleEl(d.rule, d.source));
}

function timeline(history, names) {
  return h("section", { class: "case-section", "aria-labelledby": "history" },
    h("h2", { id: "history" }, t("Timeline")),
    h("p", { class: "hint" }, t("Every change, notice, reply, internal note and evidence file, oldest first. Entries marked internal are never shown to the exporter.")),
    h("ol", { class: "timeline" }, history.map((e) => h("li", {
      class: `entry-${e.action}${e.visible === false ? " internal" : ""}`, "data-seq": e.seq },
    h("p", { class: "timeline-head" }, timeEl(e.at), " · ", who(e.by, names),
      e.visible === false ? h("span", { class: "badge internal-badge" }, t("Internal: staff only")) : null,
      e.visible && e.by?.role !== "exporter" && e.action !== "created" ? h("span", { class: "badge told" }, t("Seen by the exporter")) : null),
    h("div", { class: "timeline-text" }, entryText(e, names).map((x) =>
      (typeof x === "string" || x instanceof DocumentFragment ? h("p", {}, x) : x)))))));
}

export default async function casePage(ctx) {
  await loadStyle("console");
  const id = ctx.params.id;
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new api.ApiError({ status: 404, title: t("Page not found") });
  const role = ctx.person.role;
  const triager = role === "triager" || role === "admin";
  const c = await api.get(`/api/v1/cases/${id}`);
  const wantExperts = triager && ASSIGNABLE.includes(c.state);
  const [history, offer] = await Promise.all([allHistory(id),
    wantExperts ? api.get(`/api/v1/cases/${id}/experts`).catch((e) => {
      if (e instanceof api.ApiError) return null;
      throw e;
    }) : null]);
  ctx.setTitle(t("Case #{id}", { id: c.id }));
  const names = new Map();
  for (const x of offer?.items || []) names.set(x.id, x.name);
  if (c.assignee) names.set(c.assignee.id, c.assignee.name);
  if (ctx.person.subject) names.set(ctx.person.subject, t("You"));
  const reload = () => ctx.navigate(location.pathname, { replace: true });

  const stateLine = h("p", { class: "case-status" },
    h("span", { class: `case-state state-${c.state}` }, term(STATES, c.state)), " ",
    h("span", { class: "muted" }, tnodes("since {when}", { when: timeEl(c.state_since) })),
    c.outcome ? [" · ", tnodes("Outcome: {outcome}", { outcome: term(OUTCOMES, c.outcome) })] : null);
  const timelineBox = h("div", {}, timeline(history, names));
  const addEntry = (entry) => {
    history.push(entry);
    replace(timelineBox, timeline(history, names));
  };
  const dl = h("sw-case-deadline");
  dl.deadline = c.deadline;

  return h("div", { class: "page console-case" },
    h("p", { class: "back" }, h("a", { href: QUEUE }, t("Case queue"))),
    h("div", { class: "case-head" },
      h("h1", { tabindex: "-1" }, t("Case #{id}", { id: c.id })),
      data(c.exporter?.name || "", "p", { class: "case-exporter" }),
      stateLine,
      h("p", { class: "case-next" }, tnodes("Next legal deadline: {when}", { when: dl }))),
    movesForm(c, reload),
    h("div", { class: "case-pair" },
      h("section", { class: "case-section", "aria-labelledby": "facts" },
        h("h2", { id: "facts" }, t("The case")), facts(c)),
      h("div", {},
        prioritySection(c, triager, reload),
        tagsSection(c, reload, triager))),
    expertsSection(c, offer, reload),
    clocksSection(c),
    deadlinesSection(c, (fresh) => {
      dl.deadline = fresh.deadline;
      dl.render?.();
    }),
    replySection(c, addEntry),
    evidenceSection(c, history),
    Object.assign(h("sw-case-insurance"), { case: c, decide: true, dossier: `/staff/cases/${c.id}/dossier` }),
    originSection(c),
    timelineBox);
}
