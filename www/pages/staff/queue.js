// staff/queue.js — the centre's case queue (/staff): the views as tabs, each with its count
// (new and unassigned, mine, near breach, breached, waiting on the exporter, due this week, all
// open); search by exporter, party or text and filters, both kept in the address; a quick
// filter over the rows shown; the person's saved views; and a selection of cases to assign,
// move or tag at once, answered case by case. Three API requests besides the session: the
// counts, the view, the saved views (an admin first chooses a centre: /staff?centre=N).
import "../../components/sw-case-deadline.js";
import * as api from "../../lib/api.js";
import { TYPES, currentSla } from "../../lib/case-terms.js";
import {
  NEEDS_REASON, OUTCOMES, QUEUE, SLA, SLA_FILTERS, SORTS, STATES, VIEWS, caseHref, options, tagList,
  term,
} from "../../lib/console-terms.js";
import { ALL, options as countryOptions } from "../../lib/countries.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { countryEl, numberEl, timeEl } from "../../lib/format.js";
import { busy, field, showErrors, showProblem, summary } from "../../lib/forms.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";

const LIMIT = 100;
// The queue's own filters (GET /api/v1/cases/queue), as saved views keep them.
const FILTERS = ["q", "state", "type", "country", "tag", "sla"];

// The queue's address for params; the default view ("open") is left out.
function address(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v && !(k === "view" && v === "open")) q.set(k, v);
  const s = q.toString();
  return s ? `${QUEUE}?${s}` : QUEUE;
}

// What the address asks for: {view, sort, centre, filters {…}}.
function wanted(query) {
  const filters = {};
  for (const k of FILTERS) {
    const v = (query.get(k) || "").trim();
    if (v) filters[k] = v;
  }
  const view = VIEWS[query.get("view")] ? query.get("view") : "open";
  return { view, sort: SORTS[query.get("sort")] ? query.get("sort") : "", centre: query.get("centre") || "",
    filters };
}

export function slaCell(c) {
  const cur = currentSla(c.sla);
  if (!cur) return h("span", { class: "muted" }, "—");
  const status = h("strong", {}, term(SLA, cur.clock.status));
  return h("span", { class: `sla sla-${cur.clock.status}` },
    cur.which === "first_response" ? tnodes("First response: {status}", { status })
      : tnodes("Resolution: {status}", { status }),
    cur.clock.paused ? h("span", { class: "muted" }, " ", t("(paused)")) : null);
}

// The words of a case a quick filter looks in: number, exporter, other side, forum, tags.
function haystack(c) {
  return [`#${c.id}`, c.exporter?.name, c.opposing_party, c.forum, c.country, ...(c.tags || []),
    c.description].join(" ").toLocaleLowerCase();
}

// The next deadline counting down, or why there is none.
export function deadlineCell(d) {
  if (!d?.at) return h("span", { class: "muted" }, d ? t("Not computed yet") : t("None known"));
  const dl = h("sw-case-deadline");
  dl.deadline = d;
  return dl;
}

function caseCells(c, select) {
  return [
    h("td", { class: "select" }, select),
    h("th", { scope: "row" },
      h("a", { href: caseHref(c.id) }, t("Case #{id}", { id: c.id })),
      h("span", { class: "case-meta" }, term(TYPES, c.type), " · ", countryEl(c.country)),
      tagList(c.tags)),
    h("td", { "data-label": t("Exporter and opposing party") },
      data(c.exporter?.name || "", "strong", { class: "exporter-name" }),
      h("span", { class: "versus" }, tnodes("against {party}", { party: data(c.opposing_party) }))),
    h("td", { "data-label": t("State") },
      h("span", { class: `case-state state-${c.state}` }, term(STATES, c.state)),
      c.assignee ? h("span", { class: "case-meta" }, data(c.assignee.name)) : null),
    h("td", { "data-label": t("Next deadline") }, deadlineCell(c.deadline)),
    h("td", { "data-label": t("Service level") }, slaCell(c)),
    h("td", { "data-label": t("Priority"), class: "num" },
      c.priority ? h("span", { class: `priority${c.priority.override ? " overridden" : ""}` },
        numberEl(c.priority.score)) : "—"),
  ];
}

// The form that saves what the page shows as a named view, and the list of saved ones.
function savedViews(ctx, views, want) {
  const list = h("ul", { class: "saved-views" });
  const status = h("p", { class: "visually-hidden", role: "status" });
  const here = address({ view: want.view, sort: want.sort, ...want.filters });
  function item(v) {
    const href = `${QUEUE}?${v.query}`;
    const li = h("li", { "data-view": v.name },
      h("a", { href, "aria-current": href === location.pathname + location.search ? "page" : null },
        data(v.name)),
      " ",
      h("button", { type: "button", class: "link-button", onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          await api.del(`/api/v1/me/views/${encodeURIComponent(v.name)}`);
          li.remove();
          status.textContent = t("The saved view has been deleted.");
          form.elements.namedItem("name").focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          ev.target.disabled = false;
          replace(status, data(e.problem.detail || e.problem.title));
        }
      } }, t("Delete"), h("span", { class: "visually-hidden" }, " ", data(v.name))));
    return li;
  }
  for (const v of views) list.append(item(v));
  const form = h("form", { class: "form save-view", novalidate: true, method: "post", action: here,
    onsubmit: async (ev) => {
      ev.preventDefault();
      const name = form.elements.namedItem("name").value.trim();
      if (!name) {
        showErrors(form, [{ name: "name", message: t("Name the view") }]);
        return;
      }
      busy(form, true);
      try {
        const v = await api.post("/api/v1/me/views", { name, view: want.view,
          sort: want.sort || undefined, filters: want.filters });
        list.querySelector(`[data-view="${CSS.escape(v.name)}"]`)?.remove();
        list.append(item(v));
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        status.textContent = t("The view has been saved.");
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "name", label: t("Name of the view"), maxlength: 60,
    hint: t("The tab, the search, the filters and the order are kept under this name, for you alone."),
    "data-text": "input" }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button secondary" },
    t("Save the view"))));
  const open = h("details", { class: "save-view-box" }, h("summary", {}, t("Save this view")), form);
  return h("section", { class: "saved-views-bar", "aria-labelledby": "saved-views" },
    h("h2", { id: "saved-views" }, t("Your saved views")),
    views.length ? null : h("p", { class: "empty" }, t("You have not saved a view yet.")),
    list, open, status);
}

// The search and filters, sent as the address.
function searchForm(ctx, want) {
  const f = want.filters;
  const go = (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const params = { centre: want.centre, view: want.view };
    for (const k of [...FILTERS, "sort"]) params[k] = (fd.get(k) || "").trim();
    ctx.navigate(address(params));
  };
  const open = ["state", "type", "country", "tag", "sla"].some((k) => f[k]) || !!want.sort;
  const form = h("form", { class: "filters queue-search", role: "search", method: "get",
    action: QUEUE, "aria-label": t("Search the queue"), onsubmit: go },
  field({ name: "q", type: "search", label: t("Search by exporter, party or text"), value: f.q || "",
    hint: t("Every word must appear: the exporter's name, the opposing party, the forum, the description, or a number as #12."),
    maxlength: 200, "data-text": "input" }),
  h("details", { class: "more-filters", open },
    h("summary", {}, t("Filters and order")),
    h("div", { class: "filter-grid" },
      field({ name: "state", label: t("State"), value: f.state || "",
        options: [{ value: "", label: t("Any state") }, ...options(STATES)] }),
      field({ name: "type", label: t("Type"), value: f.type || "",
        options: [{ value: "", label: t("Any type") }, ...options(TYPES)] }),
      field({ name: "country", label: t("Country or region"), value: f.country || "",
        options: [{ value: "", label: t("Any country or region") }, ...countryOptions(ALL)] }),
      field({ name: "sla", label: t("Service level"), value: f.sla || "",
        options: [{ value: "", label: t("Any") }, ...options(SLA_FILTERS)] }),
      field({ name: "tag", label: t("Tag"), value: f.tag || "", maxlength: 32, "data-text": "input" }),
      field({ name: "sort", label: t("Order"), value: want.sort || "",
        options: [{ value: "", label: t("Priority, highest first") },
          ...options(SORTS).filter((o) => o.value !== "priority")] }))),
  h("div", { class: "filter-actions" },
    h("button", { type: "submit", class: "button" }, t("Search")),
    Object.keys(f).length || want.sort
      ? h("a", { href: address({ centre: want.centre, view: want.view }) }, t("Clear the search and filters"))
      : null));
  return form;
}

// The bulk form: what to do with the selected cases, and a result per case.
function bulkForm(ctx, table, selection, items, centre) {
  const results = h("div", { class: "bulk-results", tabindex: "-1" });
  const status = h("p", { class: "visually-hidden", role: "status" });
  const count = h("p", { class: "selected-count", "aria-live": "polite" });
  let experts = null;
  const expertField = field({ name: "expert_id", label: t("Expert"), options: [
    { value: "", label: t("Choose an expert") }] });
  const toField = field({ name: "to", label: t("Move to"), options: [
    { value: "", label: t("Choose a state") }, ...options(STATES)] });
  const reasonId = uid("bulk-reason");
  const reasonField = h("div", { class: "field", "data-field": "reason" },
    h("label", { for: reasonId }, t("Reason (the exporter is told)")),
    h("p", { class: "field-error", id: `${reasonId}-error`, hidden: true }),
    h("textarea", { id: reasonId, name: "reason", rows: 3, maxlength: 4000, "data-text": "input",
      "aria-describedby": `${reasonId}-error` }));
  const outcomeField = field({ name: "outcome", label: t("Outcome"), options: [
    { value: "", label: t("Choose the outcome") }, ...options(OUTCOMES).filter((o) => o.value !== "not_recorded")] });
  const tagsField = field({ name: "tags", label: t("Tags"), maxlength: 400, "data-text": "input",
    hint: t("One or more words, separated by spaces or commas; each at most 32 bytes.") });

  const form = h("form", { class: "form bulk-form", novalidate: true, method: "post", action: QUEUE,
    "aria-labelledby": "bulk-title" },
  h("div", { class: "bulk-head" }, h("h3", { id: "bulk-title" }, t("With the selected cases")), count),
  summary(),
  h("div", { class: "bulk-fields" },
    field({ name: "action", label: t("Action"), options: [
      { value: "", label: t("Choose what to do") },
      { value: "assign", label: t("Assign to an expert") },
      { value: "transition", label: t("Move to another state") },
      { value: "tag", label: t("Add tags") },
      { value: "untag", label: t("Remove tags") }] }),
    expertField, toField, outcomeField, tagsField, reasonField,
    h("div", { class: "bulk-apply" }, h("button", { type: "submit", class: "button" }, t("Apply")))));

  const fieldOf = (name) => form.querySelector(`[data-field="${name}"]`);
  async function loadExperts() {
    if (experts) return;
    const select = form.elements.namedItem("expert_id");
    experts = [];
    try {
      const staff = await api.get(`/api/v1/centres/${centre}/staff`, { limit: 200 });
      experts = staff.items.filter((p) => p.role === "expert");
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      experts = null;
      showProblem(form, e.problem);
      return;
    }
    for (const p of experts) {
      select.append(h("option", { value: p.id, "data-text": "api" },
        p.expertise?.length ? `${p.name} (${p.expertise.join(", ")})` : p.name));
    }
  }
  function shape() {
    const action = form.elements.namedItem("action").value;
    const to = form.elements.namedItem("to").value;
    fieldOf("expert_id").hidden = action !== "assign";
    fieldOf("to").hidden = action !== "transition";
    fieldOf("reason").hidden = action !== "transition" || !NEEDS_REASON.includes(to);
    fieldOf("outcome").hidden = action !== "transition" || to !== "resolved";
    fieldOf("tags").hidden = action !== "tag" && action !== "untag";
    if (action === "assign") loadExperts();
  }
  form.addEventListener("change", shape);
  shape();

  function counted() {
    const n = selection.size;
    count.textContent = n ? tn("{n} case selected.", "{n} cases selected.", n)
      : t("No case selected: tick the cases in the list.");
  }
  counted();
  table.addEventListener("sw-selection", counted);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const action = fd.get("action");
    const body = { ids: [...selection].map(Number), action };
    const errors = [];
    if (!body.ids.length) errors.push({ name: null, message: t("Select one or more cases first.") });
    if (!action) errors.push({ name: "action", message: t("Choose what to do") });
    if (action === "assign") {
      if (!fd.get("expert_id")) errors.push({ name: "expert_id", message: t("Choose an expert") });
      else body.expert_id = Number(fd.get("expert_id"));
    } else if (action === "transition") {
      const to = fd.get("to");
      if (!to) errors.push({ name: "to", message: t("Choose a state") });
      body.to = to;
      const reason = (fd.get("reason") || "").trim();
      if (NEEDS_REASON.includes(to)) {
        if (!reason) errors.push({ name: "reason", message: t("Give the reason the exporter will read") });
        body.reason = reason;
      }
      if (to === "resolved") {
        if (!fd.get("outcome")) errors.push({ name: "outcome", message: t("Choose the outcome") });
        body.outcome = fd.get("outcome");
      }
    } else if (action) {
      body.tags = String(fd.get("tags") || "").split(/[\s,，]+/).filter(Boolean);
      if (!body.tags.length) errors.push({ name: "tags", message: t("Write one or more tags") });
    }
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      const answer = await api.post("/api/v1/cases/bulk", body);
      form.querySelector(".error-summary").hidden = true;
      showResults(answer);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(form, e.problem);
    } finally {
      busy(form, false);
    }
  });

  function outcomeText(r) {
    if (r.status >= 400) {
      const p = r.problem || {};
      return [h("strong", {}, t("Refused:")), " ", data(p.detail || p.title || String(r.status))];
    }
    const bits = [h("strong", {}, t("Done:")), " ", term(STATES, r.state)];
    if (r.assignee) bits.push(" · ", tnodes("expert {name}", { name: data(r.assignee.name) }));
    if (r.tags?.length) bits.push(" · ", tnodes("tags {tags}", { tags: data(r.tags.join(", ")) }));
    return bits;
  }

  function showResults(answer) {
    const byId = new Map(items.map((c) => [c.id, c]));
    for (const r of answer.results) {
      const c = byId.get(r.id);
      if (c && r.status < 400) {
        Object.assign(c, { state: r.state, assignee: r.assignee, tags: r.tags });
        table.dispatchEvent(new CustomEvent("sw-changed", { detail: c }));
      }
    }
    replace(results,
      h("h3", {}, t("Result")),
      h("p", { class: answer.failed ? "notice error" : "notice success" },
        tn("{n} case changed.", "{n} cases changed.", answer.done), " ",
        answer.failed ? tn("{n} case refused: see why below.", "{n} cases refused: see why below.", answer.failed) : null),
      h("ol", { class: "bulk-list" }, answer.results.map((r) => h("li", {
        class: r.status >= 400 ? "refused" : "done", "data-case": r.id },
      h("a", { href: caseHref(r.id) }, t("Case #{id}", { id: r.id })), " — ", outcomeText(r)))));
    status.textContent = t("{done} changed, {failed} refused.", { done: answer.done, failed: answer.failed });
    results.focus();
  }

  return h("section", { class: "console-bulk" }, form, results, status);
}

// The table of cases with a box to select each, the header's box selecting all shown.
function caseTable(items) {
  const selection = new Set();
  const all = h("input", { type: "checkbox", id: uid("select-all"), class: "select-all" });
  const tbody = h("tbody");
  const table = h("table", { class: "ws-table queue" },
    h("caption", { class: "visually-hidden" }, t("Cases in this view")),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", class: "select" }, all,
        h("label", { for: all.id, class: "visually-hidden" }, t("Select every case shown"))),
      h("th", { scope: "col" }, t("Case")),
      h("th", { scope: "col" }, t("Exporter and opposing party")),
      h("th", { scope: "col" }, t("State")),
      h("th", { scope: "col" }, t("Next deadline")),
      h("th", { scope: "col" }, t("Service level")),
      h("th", { scope: "col", class: "num" }, t("Priority")))),
    tbody);
  const changed = () => table.dispatchEvent(new CustomEvent("sw-selection"));
  const rows = new Map();
  function row(c) {
    const box = h("input", { type: "checkbox", id: uid("select"), value: c.id, checked: selection.has(String(c.id)),
      onchange: () => {
        if (box.checked) selection.add(String(c.id));
        else selection.delete(String(c.id));
        tr.classList.toggle("selected", box.checked);
        changed();
      } });
    const label = h("label", { for: box.id, class: "visually-hidden" }, t("Select case #{id}", { id: c.id }));
    const tr = h("tr", { "data-case": c.id, class: selection.has(String(c.id)) ? "selected" : null },
      caseCells(c, [box, label]));
    tr.haystack = haystack(c);
    return tr;
  }
  for (const c of items) {
    const tr = row(c);
    rows.set(c.id, tr);
    tbody.append(tr);
  }
  all.addEventListener("change", () => {
    for (const tr of tbody.children) {
      if (tr.hidden) continue;
      const box = tr.querySelector("input[type=checkbox]");
      box.checked = all.checked;
      tr.classList.toggle("selected", all.checked);
      if (all.checked) selection.add(box.value);
      else selection.delete(box.value);
    }
    changed();
  });
  table.addEventListener("sw-changed", (ev) => {
    const c = ev.detail;
    const old = rows.get(c.id);
    if (!old) return;
    const fresh = row(c);
    fresh.hidden = old.hidden;
    old.replaceWith(fresh);
    rows.set(c.id, fresh);
  });
  return { table, tbody, selection };
}

// The quick filter: hides the rows of this page that lack the words typed, at once.
function quickFilter(tbody, total) {
  const id = uid("quick");
  const said = h("p", { class: "hint", "aria-live": "polite" });
  const input = h("input", { type: "search", id, name: "quick", "data-text": "input",
    "aria-describedby": `${id}-hint`, oninput: () => {
      const words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const tr of tbody.children) {
        tr.hidden = !words.every((w) => tr.haystack.includes(w));
        if (!tr.hidden) shown++;
      }
      said.textContent = words.length ? t("{shown} of {total} cases shown.", { shown, total }) : "";
    } });
  return h("div", { class: "field quick-filter" },
    h("label", { for: id }, t("Quick filter")),
    h("p", { class: "hint", id: `${id}-hint` }, t("Narrows the cases below as you type, without asking the server.")),
    input, said);
}

function viewTabs(want, counts) {
  return h("nav", { class: "view-tabs", "aria-label": t("Queue views") },
    h("ul", {}, Object.keys(VIEWS).map((v) => {
      const n = counts?.views?.[v];
      return h("li", {}, h("a", {
        href: address({ centre: want.centre, view: v, sort: want.sort, ...want.filters }),
        "aria-current": v === want.view ? "page" : null, "data-view": v,
      }, h("span", { class: "view-name" }, VIEWS[v]()), " ",
      h("span", { class: "count" }, Number.isInteger(n) ? numberEl(n) : "—",
        h("span", { class: "visually-hidden" }, " ", t("cases")))));
    })));
}

async function chooseCentre(ctx) {
  const centres = await api.get("/api/v1/centres", { limit: 200 });
  return h("div", { class: "page" },
    h("h1", { tabindex: "-1" }, t("Case queue")),
    h("p", { class: "lead" }, t("Choose the assistance centre whose queue to open.")),
    h("ul", { class: "tiles" }, centres.items.map((c) => h("li", {},
      h("h2", {}, h("a", { href: address({ centre: c.id }) }, data(c.name)))))));
}

export default async function queue(ctx) {
  await loadStyle("console");
  const admin = ctx.person.role === "admin";
  const want = wanted(ctx.query);
  if (admin && !/^[1-9][0-9]*$/.test(want.centre)) return chooseCentre(ctx);
  const centre = admin ? want.centre : ctx.person.centre;
  const query = { view: want.view, sort: want.sort || undefined, limit: LIMIT, ...want.filters,
    centre: admin ? centre : undefined };
  const [counts, page, views] = await Promise.all([
    api.get("/api/v1/cases/queue/counts", { centre: admin ? centre : undefined }),
    api.get("/api/v1/cases/queue", query),
    api.get("/api/v1/me/views").then((r) => r.items, (e) => {
      if (e instanceof api.ApiError && e.status === 403) return [];
      throw e;
    }),
  ]);
  ctx.setTitle(`${t("Case queue")} · ${VIEWS[want.view]()}`);
  const items = page.items;
  const { table, tbody, selection } = caseTable(items);
  const searching = Object.keys(want.filters).length > 0;
  const shown = items.length < page.matched
    ? h("p", { class: "notice" }, t("The first {shown} of {matched} cases are shown: narrow the search to see the rest.",
      { shown: items.length, matched: page.matched }))
    : null;
  return h("div", { class: "page console-queue" },
    h("div", { class: "page-head" },
      h("h1", { tabindex: "-1" }, t("Case queue")),
      admin ? h("a", { href: QUEUE }, t("Another centre")) : null),
    viewTabs(want, counts),
    searchForm(ctx, want),
    savedViews(ctx, views, want),
    h("section", { "aria-labelledby": "queue-results" },
      h("div", { class: "results-head" },
        h("h2", { id: "queue-results" }, VIEWS[want.view](), " ",
          h("span", { class: "muted" }, tn("({n} case)", "({n} cases)", page.matched))),
        items.length ? quickFilter(tbody, items.length) : null),
      page.truncated ? h("p", { class: "notice" }, t("The centre has more open cases than the queue ranks at once; the oldest are left out. Search to find one.")) : null,
      shown,
      items.length ? [bulkForm(ctx, table, selection, items, centre), h("div", { class: "table-wrap" }, table)]
        : h("p", { class: "empty queue-empty" }, searching ? t("No case matches this search and these filters.")
          : t("No case in this view."))));
}
