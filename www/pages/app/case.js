// app/case.js — one assistance case as the exporter follows it: its state and what the
// exporter may do next, every clock (the legal deadline with its rule and source, the centre's
// service levels), the notices the centre sent (the case's notices in the inbox), the messages
// with a reply form, the evidence with its SHA-256 and downloads, where the case came from,
// and the whole history. Three API requests besides the session: the case, its history (the
// messages and evidence are in it) and the case notices in the inbox.
import "../../components/sw-case-deadline.js";
import "../../components/sw-case-evidence.js";
import { insuranceEntry } from "../../components/sw-case-insurance.js";
import { ruleOf } from "../../components/sw-case-deadline.js";
import { uploadSummary } from "../../components/sw-case-evidence.js";
import * as api from "../../lib/api.js";
import { RIGHTS, ROLES, SLA, STATES, TYPES, term } from "../../lib/case-terms.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { countryEl, numberEl, timeEl } from "../../lib/format.js";
import { busy, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";

const HISTORY_PAGE = 200;
// The transitions the exporter is told of (lib/cases.c), by the state they lead to.
const NOTICE_STATES = ["needs_info", "accepted", "rejected", "assigned", "waiting_on_exporter",
  "resolved"];
// What the exporter may do, by the state it leads to.
const ACTIONS = {
  submitted: () => t("I have sent what was asked: back to the centre"),
  in_progress: () => t("I have answered: the expert can go on"),
  closed: () => t("Close the case"),
};

function who(by) {
  switch (by?.role) {
    case "exporter": return t("Your team");
    case "triager": case "expert": return t("The assistance centre");
    case "station": return t("The trade-fair IP service station");
    case "admin": return t("Seawall's administrators");
    default: return t("Seawall");
  }
}

// What a transition to state means for the exporter.
function transitionText(to) {
  switch (to) {
    case "needs_info": return t("The centre needs more information");
    case "accepted": return t("The centre has accepted the case");
    case "rejected": return t("The centre has not taken the case on");
    case "assigned": return t("An expert has been assigned");
    case "in_progress": return t("Work on the case goes on");
    case "waiting_on_exporter": return t("The expert is waiting for you");
    case "resolved": return t("The case is resolved");
    case "closed": return t("The case is closed");
    case "submitted": return t("The case was sent to the centre again");
    default: return tnodes("The state changed to {state}", { state: term(STATES, to) });
  }
}

// One history entry as a sentence and its details.
function entryText(e) {
  switch (e.action) {
    case "created": return [t("The case was sent to the assistance centre")];
    case "transition": return [transitionText(e.after?.state), e.reason ? data(e.reason, "p") : null];
    case "reply": return [e.by?.role === "exporter" ? t("Your team replied") : t("The centre replied"),
      data(e.text, "p", { class: "message-text" })];
    case "evidence": return [tnodes("Evidence added: {name}", { name: data(e.name, "strong") })];
    case "deadline": return [t("The deadline was set by hand"),
      e.after?.at ? h("p", {}, tnodes("New deadline: {at}", { at: timeEl(e.after.at) })) : null,
      e.reason ? data(e.reason, "p") : null];
    case "escalated": return [t("The case came from a trade-fair incident")];
    default: return insuranceEntry(e) || [data(e.action)];
  }
}

function fact(label, value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)
    ? null : [h("dt", {}, label), h("dd", {}, value)];
}

function facts(c) {
  return h("dl", { class: "facts case-facts" },
    fact(t("Type"), term(TYPES, c.type)),
    fact(t("Country or region"), countryEl(c.country)),
    fact(t("Court, office, customs or fair"), c.forum ? data(c.forum) : null),
    fact(t("Opposing party"), data(c.opposing_party)),
    fact(t("Your part in it"), term(ROLES, c.own_role)),
    fact(t("Served or notified"), c.served_at ? data(c.served_at) : null),
    fact(t("Amount at stake"), Number.isInteger(c.amount_usd)
      ? h("span", { "data-text": "intl" }, new Intl.NumberFormat(document.documentElement.lang,
        { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(c.amount_usd)) : null),
    fact(t("Rights concerned"), (c.rights || []).length ? h("ul", { class: "plain" }, c.rights.map((r) =>
      h("li", {}, term(RIGHTS, r.type), " ", data(r.number || ""), r.country ? [" (", countryEl(r.country), ")"] : null)))
      : null),
    fact(t("Products concerned"), (c.products || []).length
      ? h("ul", { class: "plain" }, c.products.map((p) => h("li", {}, data(p)))) : null),
    fact(t("Sent"), timeEl(c.created_at)));
}

// Where a rule's period starts (the rules table's "from").
function startOf(from) {
  switch (from) {
    case "served": return t("the day you were served");
    case "notified": return t("the day you were notified");
    case "published": return t("the day of publication");
    default: return data(from);
  }
}

function clock(label, k) {
  if (!k) return null;
  return h("tr", {},
    h("th", { scope: "row" }, label),
    h("td", { "data-label": t("Status") }, h("strong", { class: `sla sla-${k.status}` }, term(SLA, k.status)),
      k.paused ? h("span", { class: "muted" }, " ", t("(paused while waiting for you)")) : null),
    h("td", { "data-label": t("Due") }, k.due_at ? timeEl(k.due_at) : h("span", { class: "muted" }, "—")));
}

function clocks(c) {
  const dl = h("sw-case-deadline");
  dl.deadline = c.deadline;
  const d = c.deadline;
  return h("section", { "aria-labelledby": "clocks", class: "case-section" },
    h("h2", { id: "clocks" }, t("Deadlines and clocks")),
    h("div", { class: "deadline-box" },
      h("h3", {}, t("Legal deadline")),
      h("p", { class: "deadline-when" }, dl),
      d?.rule ? h("p", {}, tnodes("Rule: {rule}", { rule: ruleOf(d) })) : null,
      d?.rule?.from ? h("p", { class: "muted" }, tnodes("Counted from: {from}", { from: startOf(d.rule.from) })) : null,
      d?.manual && d.reason ? h("p", {}, tnodes("Set by the centre: {reason}", { reason: data(d.reason) })) : null,
      d?.note ? data(d.note, "p", { class: "muted" }) : null,
      h("p", { class: "hint" }, t("Check every deadline with your lawyer: Seawall computes it from the rules table and the date you gave."))),
    h("div", { class: "table-wrap" }, h("table", { class: "ws-table clocks" },
      h("caption", {}, t("The assistance centre's service levels")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Clock")),
        h("th", { scope: "col" }, t("Status")), h("th", { scope: "col" }, t("Due")))),
      h("tbody", {}, clock(t("First reply"), c.sla?.first_response),
        clock(t("Resolution"), c.sla?.resolution)))));
}

function notices(c, history, inbox) {
  const bySeq = new Map(history.map((e) => [e.seq, e]));
  const prefix = `case:${c.id}:`;
  const mine = (inbox || []).filter((a) => (a.event?.id || "").startsWith(prefix));
  const items = mine.map((a) => {
    const e = bySeq.get(Number(a.event.id.slice(prefix.length)));
    const ins = e && insuranceEntry(e);   // the centre's decision on the insurance cover
    const text = !e ? data(a.event.title)
      : e.action === "reply" ? t("A reply from the assistance centre") : ins ? ins[0] : transitionText(e.after?.state);
    const detail = e?.action === "reply" ? e.text : ins ? e.after?.note : e?.reason;
    return h("li", { class: `notice-item${a.status === "new" ? " unread" : ""}`, "data-alert": a.id },
      h("p", { class: "notice-head" },
        a.status === "new" ? h("strong", { class: "badge" }, t("New")) : null, a.status === "new" ? " " : null,
        h("strong", {}, text), " ", h("span", { class: "muted" }, timeEl(a.created_at))),
      detail ? data(detail, "p", { class: "notice-text" }) : null,
      h("p", {}, h("a", { href: `/app/alerts/${a.id}` }, t("Open it in the inbox"))));
  });
  return h("section", { "aria-labelledby": "notices", class: "case-section" },
    h("h2", { id: "notices" }, t("Notices from the centre")),
    inbox === null ? h("p", { class: "muted" }, t("The notices in your inbox could not be read just now.")) : null,
    items.length ? h("ul", { class: "notices" }, items)
      : inbox === null ? null : h("p", { class: "empty" }, t("The centre has not sent a notice about this case yet.")));
}

function messageItem(e) {
  const mine = e.by?.role === "exporter";
  return h("li", { class: `message${mine ? " mine" : ""}` },
    h("p", { class: "message-head" }, h("strong", {}, mine ? t("Your team") : t("The assistance centre")),
      " ", h("span", { class: "muted" }, timeEl(e.at))),
    data(e.text, "p", { class: "message-text" }));
}

function messages(c, history) {
  const list = h("ol", { class: "messages" }, history.filter((e) => e.action === "reply").map(messageItem));
  const status = h("p", { class: "visually-hidden", role: "status" });
  const id = uid("reply");
  const form = h("form", { class: "form reply-form", novalidate: true, method: "post",
    action: location.pathname, onsubmit: async (ev) => {
      ev.preventDefault();
      const text = form.elements.namedItem("text").value.trim();
      if (!text) {
        showErrors(form, [{ name: "text", message: t("Write your reply first") }]);
        return;
      }
      busy(form, true);
      try {
        const entry = await api.post(`/api/v1/cases/${c.id}/messages`, { text });
        list.append(messageItem({ by: { role: "exporter" }, at: entry?.at || new Date().toISOString(),
          ...entry, text }));
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        status.textContent = t("Your reply has been sent.");
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  h("div", { class: "field", "data-field": "text" },
    h("label", { for: id }, t("Your reply")),
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
    h("textarea", { id, name: "text", rows: 4, "data-text": "input", maxlength: 20000, "aria-describedby": `${id}-error` })),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Send the reply"))));
  return h("section", { "aria-labelledby": "messages", class: "case-section" },
    h("h2", { id: "messages" }, t("Messages")),
    list.children.length ? null : h("p", { class: "empty" }, t("No messages yet.")),
    list, status, form);
}

function evidenceSection(c, history, reload) {
  const files = history.filter((e) => e.action === "evidence");
  const refs = c.evidence_refs || [];
  const row = (f, url, when) => h("tr", {},
    h("th", { scope: "row" }, h("a", { href: url, download: f.name }, data(f.name))),
    h("td", { "data-label": t("Size") }, numberEl(f.size), " ", t("bytes")),
    h("td", { "data-label": t("SHA-256") }, data(f.sha256, "code", { class: "hash" })),
    h("td", { "data-label": t("Added") }, when ? timeEl(when) : h("span", { class: "muted" }, t("with the incident"))));
  const picker = h("sw-case-evidence", { label: t("Add evidence files") });
  picker.label = t("Add evidence files");
  const status = h("p", { role: "status" });
  const send = h("button", { type: "button", class: "button", onclick: async () => {
    if (!picker.count) {
      status.textContent = t("Choose one or more files first.");
      return;
    }
    send.disabled = true;
    const result = await picker.uploadTo(c.id);
    send.disabled = false;
    status.textContent = uploadSummary(result);
    if (result.stored) status.append(" ", h("a", { href: location.pathname, onclick: (ev) => {
      ev.preventDefault();
      reload();
    } }, t("Show the list again")));
  } }, t("Send these files"));
  return h("section", { "aria-labelledby": "evidence", class: "case-section" },
    h("h2", { id: "evidence" }, t("Evidence")),
    files.length || refs.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table evidence" },
      h("caption", { class: "visually-hidden" }, t("Evidence")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("File")), h("th", { scope: "col" }, t("Size")),
        h("th", { scope: "col" }, t("SHA-256")), h("th", { scope: "col" }, t("Added")))),
      h("tbody", {}, files.map((f) => row(f, `/api/v1/cases/${c.id}/evidence/${f.sha256}`, f.at)),
        refs.map((f) => row(f, f.url, null)))))
      : h("p", { class: "empty" }, t("No evidence files yet.")),
    h("p", { class: "hint" }, t("A download is checked against its SHA-256 before it is sent.")),
    picker, h("div", { class: "form-actions" }, send), status);
}

function origin(c) {
  const links = [];
  for (const a of c.alerts || []) {
    links.push(h("li", {}, tnodes("The early warning {link}", { link: h("a", { href: `/app/alerts/${a}` }, data(a)) })));
  }
  if (c.from_incident) {
    links.push(h("li", {}, tnodes("Trade-fair incident #{id}, reported by the fair's IP service station", {
      id: c.from_incident })));
  }
  if (!links.length) return null;
  return h("section", { "aria-labelledby": "origin", class: "case-section" },
    h("h2", { id: "origin" }, t("Where this case came from")),
    h("ul", {}, links));
}

function timeline(history) {
  return h("section", { "aria-labelledby": "history", class: "case-section" },
    h("h2", { id: "history" }, t("History")),
    h("ol", { class: "timeline" }, history.map((e) => h("li", {},
      h("p", { class: "timeline-head" }, timeEl(e.at), " · ", h("span", {}, who(e.by))),
      h("div", { class: "timeline-text" }, entryText(e).map((x) => (typeof x === "string" ? h("p", {}, x) : x)))))));
}

function allHistory(id) {
  return api.getAll(`/api/v1/cases/${id}/history`, { limit: HISTORY_PAGE });
}

export default async function casePage(ctx) {
  const id = ctx.params.id;
  if (!/^[0-9]+$/.test(id)) throw new api.ApiError({ status: 404, title: t("Page not found") });
  const inboxP = api.get("/api/v1/alerts", { rule: "case-notice", limit: 100 })
    .then((p) => p.items, (e) => {
      if (e instanceof api.ApiError) return null;
      throw e;
    });
  const [c, history, inbox] = await Promise.all([api.get(`/api/v1/cases/${id}`), allHistory(id), inboxP]);
  ctx.setTitle(t("Case #{id}", { id: c.id }));
  const page = h("div", { class: "page case-page" });
  const reload = () => ctx.navigate(location.pathname, { replace: true });

  const actions = (c.next_states || []).filter((s) => ACTIONS[s]);
  const actForm = actions.length ? h("form", { class: "form case-actions", novalidate: true,
    method: "post", action: location.pathname, onsubmit: (ev) => ev.preventDefault() },
  summary(),
  h("div", { class: "form-actions" }, actions.map((to) => h("button", { type: "submit", class: "button",
    onclick: async (ev) => {
      ev.preventDefault();
      busy(actForm, true);
      try {
        await api.post(`/api/v1/cases/${c.id}/transition`, { to });
        reload();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(actForm, e.problem);
        busy(actForm, false);
      }
    } }, ACTIONS[to]())))) : null;

  return replace(page,
    h("p", { class: "back" }, h("a", { href: "/app/cases" }, t("All cases"))),
    h("h1", { tabindex: "-1" }, t("Case #{id}", { id: c.id })),
    h("p", { class: "case-status" },
      h("span", { class: `case-state state-${c.state}` }, term(STATES, c.state)),
      " ", h("span", { class: "muted" }, tnodes("since {when}", { when: timeEl(c.state_since) }))),
    c.state === "needs_info" || c.state === "waiting_on_exporter"
      ? h("div", { class: "notice", role: "note" }, h("p", {}, t("The centre is waiting for you: answer in the messages below or add evidence, then tell the centre.")))
      : null,
    actForm,
    facts(c),
    clocks(c),
    notices(c, history, inbox),
    messages(c, history),
    evidenceSection(c, history, reload),
    Object.assign(h("sw-case-insurance"), { case: c, dossier: `/app/cases/${c.id}/dossier` }),
    origin(c),
    timeline(history));
}
