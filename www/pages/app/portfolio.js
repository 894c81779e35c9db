// app/portfolio.js — the exporter's watch list (监测清单): the subscriber's markets, and the
// items Seawall watches (trade marks, company names, patents, keywords, fairs), filtered by
// kind and paged (both kept in the address); adding and changing an item in a dialog that
// checks each field with the server as the person leaves it; removing after a confirmation;
// downloads for Excel (.xlsx and CSV). Two API requests besides the session (the subscriber
// and a page of items), a third for the list of fairs only when the page shows a fair.
import "../../components/sw-portfolio-countries.js";
import "../../components/sw-portfolio-form.js";
import * as api from "../../lib/api.js";
import { h, data, replace } from "../../lib/dom.js";
import { country, countryEl, dayRange } from "../../lib/format.js";
import { busy, clearErrors, showErrors, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { base, errorsByField, itemName, kindLabel, kindPlural, KINDS, list } from "../../lib/portfolio.js";
import { loadStyle } from "../../lib/style.js";

const PAGE = 50;

function address(params, path) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

function countriesText(codes) {
  return list(codes.map((c) => country(c)));
}

// The facts of an item besides its name, as a definition list.
function details(item, shows) {
  const rows = [];
  const add = (term, value) => rows.push(h("dt", {}, term), h("dd", {}, value));
  if (item.kind === "mark" && item.classes?.length) {
    add(t("Nice classes"), h("span", { "data-text": "api" }, list(item.classes.map(String))));
  }
  if (item.kind === "mark" || item.kind === "keyword") {
    add(t("Countries and regions"), item.countries?.length
      ? h("span", { "data-text": "intl" }, countriesText(item.countries))
      : t("Your markets"));
  }
  if (item.kind === "name" && item.aliases?.length) {
    add(t("Other names"), data(list(item.aliases)));
  }
  if (item.kind === "patent") {
    if (item.normalised) add(t("Compared as"), data(item.normalised));
    if (item.country) add(t("Patent office"), countryEl(item.country));
  }
  if (item.kind === "show") {
    const s = shows.get(item.show);
    if (s) {
      add(t("Where and when"), h("span", { "data-text": "intl" },
        `${list([s.city, country(s.country)].filter(Boolean))} · ${dayRange(s.starts, s.ends)}`));
    }
  }
  if (item.label) add(t("Your note"), data(item.label));
  return rows.length ? h("dl", { class: "facts item-facts" }, rows) : null;
}

export default function portfolio(ctx) {
  return watchList(ctx, {
    path: "/app/portfolio",
    heading: t("Watch list"),
    lead: t("What Seawall watches for you: your trade marks, company names, patents, keywords and the fairs you exhibit at. When a filing, a lawsuit, a customs action or a bulletin concerns one of them, you get an early warning."),
    importHref: "/app/portfolio/import",
  });
}

// The page for the subscriber ctx.person.subject, shared with the association's sector watch
// (pages/assoc/watch.js): opts.path (this page's address), heading, lead, importHref (or
// null), before (a node shown after the lead, or null).
export async function watchList(ctx, opts) {
  await loadStyle("portfolio");
  const subject = ctx.person.subject;
  const kind = KINDS.includes(ctx.query.get("kind")) ? ctx.query.get("kind") : "";
  const cursor = ctx.query.get("cursor") || "";
  let showsAsked = null;
  const loadShows = () => {
    showsAsked = showsAsked || api.get("/api/v1/shows", { limit: 200 }).then((p) => p.items)
      .catch((e) => {
        showsAsked = null;
        throw e;
      });
    return showsAsked;
  };
  const showsOf = async (items) => (items.some((i) => i.kind === "show")
    ? new Map((await loadShows().catch(() => [])).map((s) => [s.id, s])) : new Map());

  const [sub, first] = await Promise.all([
    api.get(`/api/v1/subscribers/${encodeURIComponent(subject)}`),
    api.get(base(subject), { kind, cursor, limit: PAGE })]);
  let page = first;
  let shows = await showsOf(page.items);

  const status = h("p", { class: "status", role: "status" });
  const dialog = h("dialog", { class: "sheet" });
  dialog.addEventListener("close", () => dialog.replaceChildren());
  const listArea = h("div", { class: "items" });
  const addButton = h("button", { type: "button", class: "button", onclick: () => openForm(null, addButton) },
    t("Add an item"));

  function say(text) {
    status.textContent = text;
  }

  function openForm(item, opener) {
    const form = h("sw-portfolio-form");
    form.subject = subject;
    form.item = item;
    form.loadShows = loadShows;
    form.addEventListener("sw-cancel", () => dialog.close());
    form.addEventListener("sw-saved", async (ev) => {
      dialog.close();
      const name = itemName(ev.detail, shows);
      await refresh();
      say(item ? t("Saved: {name}.", { name }) : t("Added to the watch list: {name}.", { name }));
      const again = item && listArea.querySelector(`[data-item="${item.id}"] .edit`);
      (again || addButton).focus();
    });
    dialog.replaceChildren(form);
    dialog.setAttribute("aria-labelledby", form.headingId);
    dialog.showModal();
    (form.querySelector("select, input, textarea") || form).focus();
    dialog.addEventListener("close", () => {
      if (opener?.isConnected) opener.focus();
    }, { once: true });
  }

  function confirmRemove(item, opener) {
    const name = itemName(item, shows);
    const headingId = "remove-heading";
    const no = h("button", { type: "button", class: "button secondary", onclick: () => dialog.close() },
      t("Keep it"));
    const err = h("div", { class: "notice error", role: "alert", hidden: true });
    const yes = h("button", { type: "button", class: "button danger", onclick: async () => {
      yes.disabled = true;
      try {
        await api.del(`${base(subject)}/${item.id}`);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        yes.disabled = false;
        replace(err, data(e.problem.detail || e.problem.title, "p"));
        err.hidden = false;
        return;
      }
      dialog.close();
      await refresh();
      say(t("Removed from the watch list: {name}.", { name }));
      listArea.querySelector("h2")?.focus();
    } }, t("Remove"));
    dialog.replaceChildren(h("div", { class: "confirm" },
      h("h2", { id: headingId }, t("Remove this item from the watch list?")),
      h("p", {}, tnodes("{kind}: {name}", { kind: kindLabel(item.kind), name: data(name, "strong") })),
      h("p", {}, t("Seawall stops watching it: no new early warnings will come for it. The early warnings already in your inbox stay.")),
      err,
      h("div", { class: "actions" }, yes, no)));
    dialog.setAttribute("aria-labelledby", headingId);
    dialog.showModal();
    no.focus();
    dialog.addEventListener("close", () => {
      if (opener?.isConnected) opener.focus();
    }, { once: true });
  }

  async function refresh() {
    page = await api.get(base(subject), { kind, cursor, limit: PAGE });
    shows = await showsOf(page.items);
    renderList();
  }

  function renderList() {
    const rows = page.items.map((item) => {
      const name = itemName(item, shows);
      return h("tr", { "data-item": item.id },
        h("th", { scope: "row", "data-label": t("Item") }, data(name, "span", { class: "item-name" })),
        h("td", { "data-label": t("Kind") }, kindLabel(item.kind)),
        h("td", { class: "details" }, details(item, shows)),
        h("td", { class: "row-actions" },
          h("button", { type: "button", class: "button secondary edit",
            "aria-label": t("Change {name}", { name }), onclick: (ev) => openForm(item, ev.currentTarget) },
          t("Change")),
          h("button", { type: "button", class: "button secondary remove",
            "aria-label": t("Remove {name}", { name }), onclick: (ev) => confirmRemove(item, ev.currentTarget) },
          t("Remove"))));
    });
    const pager = cursor || page.next ? h("nav", { class: "pager", "aria-label": t("Pages") },
      cursor ? h("a", { href: address({ kind }, opts.path) }, t("First page")) : null,
      page.next ? h("a", { href: address({ kind, cursor: page.next }, opts.path), class: "pager-older", rel: "next" },
        t("Next page")) : null) : null;
    replace(listArea,
      h("h2", { id: "items-heading", tabindex: "-1" }, kindPlural(kind)),
      page.items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "data-table portfolio-table" },
          h("caption", { class: "visually-hidden" }, kindPlural(kind)),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("Item")),
            h("th", { scope: "col" }, t("Kind")),
            h("th", { scope: "col" }, t("Details")),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
          h("tbody", {}, rows)))
        : h("p", { class: "empty" }, kind || cursor
          ? t("Nothing of this kind is on your watch list.")
          : t("Your watch list is empty. Add the trade marks, company names, patents, keywords and fairs Seawall should watch for you, or import them from a spreadsheet.")),
      pager);
  }

  // The subscriber's markets: where items without countries of their own are watched.
  let markets = sub.markets || [];
  const marketsArea = h("div", { class: "markets" });
  function renderMarkets(focus) {
    const change = h("button", { type: "button", class: "button secondary", onclick: editMarkets },
      t("Change the markets"));
    replace(marketsArea,
      markets.length
        ? h("ul", { class: "tags market-list" }, markets.map((c) => h("li", {}, countryEl(c))))
        : h("p", { class: "empty" }, t("No markets yet: items without countries of their own are watched everywhere.")),
      change);
    if (focus) change.focus();
  }
  function editMarkets() {
    const picker = h("sw-portfolio-countries");
    picker.name = "markets";
    picker.extra = "EU";
    picker.label = t("Your markets");
    picker.hint = t("Type a name or a two-letter code, then press Enter or Add. “European Union” stands for all 27 member states.");
    picker.value = markets;
    const form = h("form", { class: "form markets-form", novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      busy(form, true);
      try {
        const saved = await api.patch(`/api/v1/subscribers/${encodeURIComponent(subject)}`,
          { markets: picker.value });
        markets = saved.markets || [];
        renderMarkets(true);
        say(t("Your markets are saved."));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        const { fields, rest } = errorsByField(e.problem);
        const sent = picker.value;
        const errors = (fields.get("markets") || []).map((x) => ({ name: "markets",
          message: () => (x.index === null ? data(x.message)
            : tnodes("{item}: {message}", { item: data(country(sent[x.index]), "strong"), message: data(x.message) })) }));
        for (const m of rest) errors.push({ name: null, message: m, api: true });
        showErrors(form, errors, errors.length ? null : data(e.problem.detail || e.problem.title, "p"));
      } finally {
        busy(form, false);
      }
    } },
    summary(), picker,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button" }, t("Save the markets")),
      h("button", { type: "button", class: "button secondary", onclick: () => renderMarkets(true) }, t("Cancel"))));
    replace(marketsArea, form);
    picker.querySelector("input").focus();
  }

  renderList();
  renderMarkets(false);
  const exportUrl = (format) => `${base(subject)}/export?format=${format}`;
  return h("div", { class: "page portfolio" },
    h("h1", { tabindex: "-1" }, opts.heading),
    h("p", { class: "lead" }, opts.lead),
    opts.before || null,
    h("section", { class: "panel", "aria-labelledby": "markets-heading" },
      h("h2", { id: "markets-heading" }, t("Your markets")),
      h("p", { class: "hint" }, t("Items without countries of their own are watched in these markets.")),
      marketsArea),
    h("section", { class: "portfolio-items", "aria-labelledby": "items-heading" },
      h("div", { class: "toolbar" },
        addButton,
        opts.importHref ? h("a", { class: "button secondary", href: opts.importHref }, t("Import from a spreadsheet")) : null,
        h("a", { class: "button secondary", href: exportUrl("xlsx"), download: "" }, t("Download for Excel (.xlsx)")),
        h("a", { class: "button secondary", href: exportUrl("csv"), download: "" }, t("Download as CSV"))),
      h("nav", { class: "kind-filter", "aria-label": t("Show items of one kind") },
        h("ul", {}, ["", ...KINDS].map((k) => h("li", {}, h("a", {
          href: address({ kind: k }, opts.path), "aria-current": k === kind ? "page" : null }, kindPlural(k)))))),
      status,
      listArea),
    dialog);
}
