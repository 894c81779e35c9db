// app/portfolio-import.js — many watch-list items at once from a spreadsheet saved as CSV
// (UTF-8 with or without a BOM, GB18030/GBK as Excel and WPS on Chinese Windows save it, or
// UTF-16 "Unicode text", tab-separated). The file's own bytes go to the server (nothing is
// re-encoded here), first as a dry run: what would be added, updated and removed, and how the
// file was read — or every bad row, shown as a table of the file's rows numbered as the server
// and the spreadsheet number them, each with its problems beside it. Then the import itself.
// No API request to show the page besides the session.
import * as api from "../../lib/api.js";
import { decode, rows as csvRows } from "../../lib/csv.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { numberEl } from "../../lib/format.js";
import { busy, clearErrors, field, showErrors, summary } from "../../lib/forms.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import { base, charsetLabel, delimiterLabel, errorsByRow, itemName, kindLabel } from "../../lib/portfolio.js";
import { loadStyle } from "../../lib/style.js";

const MODES = ["add", "upsert", "replace"];
const ALL_ROWS_UP_TO = 100;   // a file this long is shown whole; a longer one by its bad rows
const BAD_ROWS_SHOWN = 500;

function modeLabel(mode) {
  switch (mode) {
    case "add": return t("Add new items");
    case "upsert": return t("Update items by their id");
    default: return t("Replace the whole watch list");
  }
}

function modeHint(mode) {
  switch (mode) {
    case "add": return t("Every row becomes a new item. Nothing on your watch list changes or goes. A row with an id is refused: it belongs to an item you have already.");
    case "upsert": return t("A row with an id changes that item to what the row says; a row without one is added. Nothing is removed. Use this to import a file you downloaded here and changed.");
    default: return t("The watch list becomes the file: rows with an id change their item, rows without one are added, and every item that is not in the file is removed. The check shows what would be removed before anything changes.");
  }
}

// The counts of an import's answer (done: made; else: what it would do) as a list.
function counts(r, done) {
  const li = (text) => h("li", {}, text);
  return h("ul", { class: "counts" },
    li(done ? t("Added: {n}", { n: r.added }) : t("To add: {n}", { n: r.added })),
    li(done ? t("Updated: {n}", { n: r.updated }) : t("To update: {n}", { n: r.updated })),
    li(t("Unchanged: {n}", { n: r.unchanged })),
    li(done ? t("Removed: {n}", { n: r.removed }) : t("To remove: {n}", { n: r.removed })));
}

function readAs(r) {
  return r.charset ? h("p", {}, t("The file was read as {charset}, {delimiter}.", {
    charset: charsetLabel(r.charset), delimiter: delimiterLabel(r.delimiter) })) : null;
}

// The file's rows with the server's problems beside each bad one.
function rowsTable(bytes, problem) {
  const { rows: bad, rest } = errorsByRow(problem);
  const all = csvRows(decode(bytes, problem.charset), problem.delimiter === "tab" ? "\t" : ",");
  const header = all[0]?.cells || [];
  const width = Math.max(header.length, ...all.map((r) => r.cells.length));
  const whole = all.length <= ALL_ROWS_UP_TO;
  const shown = all.filter((r) => (whole && r.row > 1) || bad.has(r.row)).slice(0, BAD_ROWS_SHOWN);
  const colOf = (name) => header.findIndex((c) => c.trim() === name);
  const cols = Array.from({ length: width }, (_, i) => header[i] ?? "");
  const table = h("table", { class: "data-table rows-table" },
    h("caption", { class: "visually-hidden" }, t("The rows of the file, with their problems")),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("Row")),
      cols.map((c) => h("th", { scope: "col" }, data(c))),
      h("th", { scope: "col" }, t("Problems")))),
    h("tbody", {}, shown.map((r) => {
      const problems = bad.get(r.row) || [];
      const marked = new Set(problems.map((p) => (p.position ?? (p.column ? colOf(p.column) : -1))));
      return h("tr", { class: problems.length ? "bad" : null, "data-row": r.row },
        h("th", { scope: "row", "data-label": t("Row") }, r.row === 1 ? t("1 (the header)") : numberEl(r.row)),
        cols.map((c, i) => h("td", { class: marked.has(i) ? "cell bad-cell" : "cell",
          "data-label": c || null }, data(r.cells[i] ?? ""))),
        h("td", { class: "problems", "data-label": t("Problems") }, problems.length
          ? h("ul", {}, problems.map((p) => h("li", {}, p.column
            ? tnodes("{column}: {message}", { column: data(p.column, "code"), message: data(p.message) })
            : p.position !== undefined && p.position !== null
              ? tnodes("{column}: {message}", { column: data(header[p.position] ?? "", "code"), message: data(p.message) })
              : data(p.message))))
          : h("span", { class: "visually-hidden" }, t("No problems"))));
    })));
  return { table, bad: bad.size, whole, rest };
}

export default async function portfolioImport(ctx) {
  await loadStyle("portfolio");
  const subject = ctx.person.subject;
  const result = h("div", { class: "result", tabindex: "-1" });
  const status = h("p", { class: "visually-hidden", role: "status" });
  let sent = null;   // {bytes, mode, charset} of the last check, to import the same

  const fileField = field({ name: "file", type: "file", label: t("The file"),
    hint: t("CSV as Excel or WPS saves it (“CSV UTF-8” or plain “CSV”), or Unicode text (tab-separated)."),
    accept: ".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values",
    onchange: () => {
      sent = null;
      replace(result);
    } });
  const modeName = uid("mode");
  const modes = h("fieldset", { class: "modes" },
    h("legend", {}, t("What the import does")),
    MODES.map((m) => {
      const id = `${modeName}-${m}`;
      return h("div", { class: "choice" },
        h("input", { type: "radio", name: "mode", id, value: m, checked: m === "add",
          "aria-describedby": `${id}-hint`, onchange: () => {
            sent = null;
            replace(result);
          } }),
        h("label", { for: id }, modeLabel(m)),
        h("p", { class: "hint", id: `${id}-hint` }, modeHint(m)));
    }));
  const charsetField = field({ name: "charset", label: t("Encoding"), value: "",
    hint: t("Leave it to Seawall unless the check says the file could not be read."),
    options: [{ value: "", label: t("Recognise it from the file") },
      { value: "utf-8", label: t("UTF-8") },
      { value: "gb18030", label: t("GB18030 (GBK, GB2312)") },
      { value: "utf-16", label: t("UTF-16 (Excel's Unicode text)") }] });

  const form = h("form", { class: "form import-form", novalidate: true,
    "aria-labelledby": "import-heading",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const file = form.elements.namedItem("file").files[0];
      if (!file) {
        showErrors(form, [{ name: "file", message: t("Choose the file to import.") }]);
        return;
      }
      clearErrors(form);
      const mode = form.elements.namedItem("mode").value;
      const charset = form.elements.namedItem("charset").value;
      sent = { bytes: await file.arrayBuffer(), mode, charset, name: file.name };
      await run(true);
    } },
  summary(), fileField, modes, charsetField,
  h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "button" }, t("Check the file"))));

  async function send(dryRun) {
    return api.request("POST", `${base(subject)}/import`, {
      raw: sent.bytes, type: "text/csv",
      query: { mode: sent.mode, charset: sent.charset, dry_run: dryRun ? "true" : "" } });
  }

  async function run(dryRun) {
    busy(form, true);
    let answer;
    try {
      answer = await send(dryRun);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      showProblem(e.problem);
      return;
    } finally {
      busy(form, false);
    }
    if (dryRun) await showPlan(answer);
    else showDone(answer);
  }

  function show(heading, text, ...content) {
    replace(result, h("h2", {}, heading), ...content);
    status.textContent = text;
    result.focus();
  }

  function showProblem(problem) {
    const rowsKnown = (problem.errors || []).some((e) => /^\/(rows|header)\b/.test(e.pointer || ""));
    if (!rowsKnown) {
      show(t("The file could not be imported"), problem.title || "",
        h("div", { class: "notice error" }, data(problem.detail || problem.title, "p")));
      return;
    }
    const { table, bad, whole, rest } = rowsTable(sent.bytes, problem);
    const text = tn("{n} row has problems. Nothing was imported.", "{n} rows have problems. Nothing was imported.", bad);
    show(t("The file has problems"), text,
      h("div", { class: "notice error" },
        h("p", { class: "notice-title" }, text),
        h("p", {}, t("Correct the rows below in your spreadsheet, save it, and check it again. The rows are numbered as your spreadsheet numbers them.")),
        rest.map((m) => data(m, "p"))),
      readAs(problem),
      whole ? null : h("p", {}, t("Only the rows with problems are shown.")),
      h("div", { class: "table-wrap" }, table));
  }

  async function showPlan(r) {
    const changes = r.added + r.updated + r.removed;
    let removed = null;
    if (r.removed > 0) {
      // What would go: the items by their ids, from the watch list as it is.
      let byId = new Map();
      try {
        const all = await api.get(`${base(subject)}/export`, { format: "json" });
        byId = new Map(all.items.map((i) => [i.id, i]));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
      }
      removed = h("div", { class: "notice error removed" },
        h("p", { class: "notice-title" }, tn("{n} item not in the file will be removed from your watch list:",
          "{n} items not in the file will be removed from your watch list:", r.removed)),
        h("ul", { class: "removed-list" }, r.removed_ids.map((id) => {
          const item = byId.get(id);
          return h("li", {}, item
            ? tnodes("{kind}: {name}", { kind: kindLabel(item.kind), name: data(itemName(item), "strong") })
            : t("Item {id}", { id }));
        })));
    }
    const go = h("button", { type: "button", class: "button", onclick: () => run(false) },
      t("Import now"));
    const text = changes ? t("The file is ready to import.") : t("The file matches your watch list: importing it changes nothing.");
    show(t("The check found no problems"), text,
      h("p", {}, text), readAs(r), counts(r, false), removed,
      changes ? h("div", { class: "actions" }, go) : null);
  }

  function showDone(r) {
    sent = null;
    form.reset();
    show(t("Imported"), t("The watch list is updated."),
      h("p", {}, t("The watch list is updated.")), counts(r, true),
      h("p", {}, h("a", { href: "/app/portfolio" }, t("See the watch list"))));
  }

  return h("div", { class: "page portfolio-import" },
    h("p", { class: "back" }, h("a", { href: "/app/portfolio" }, t("Watch list"))),
    h("h1", { tabindex: "-1", id: "import-heading" }, t("Import into the watch list")),
    h("p", { class: "lead" }, t("Add or change many items at once from a spreadsheet. First the file is checked and you see what it would do; nothing changes until you import it.")),
    h("details", { class: "panel columns-help" },
      h("summary", {}, t("What the file should hold")),
      h("p", {}, t("The first row names the columns, in any order: kind (mark, name, patent, keyword or show), text, classes, countries, aliases, number, country, show, label, and id for items you have already. Several classes, countries or names in one cell are separated by semicolons.")),
      h("p", {}, tnodes("The easiest start is your own watch list: {link}. Change it in Excel or WPS and import it with “Update items by their id”.", {
        link: h("a", { href: `${base(subject)}/export?format=csv`, download: "" }, t("download it as CSV")) }))),
    form, status, result);
}
