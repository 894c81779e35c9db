// app/screening.js — risk screening (风险排查): before entering a market or booking a fair, the
// exporter asks what the register already holds like its marks and names. The form takes
// marks and company names (one a line) or the whole watch list, the markets (countries and
// offices, by name or code; empty: the watch list's markets), Nice classes, and a fair whose
// country joins the markets; sending it starts a job and opens its page. Below, the company's
// earlier screenings, newest first. Two API requests besides the session (the fairs, the
// screenings).
import "../../components/sw-portfolio-countries.js";
import * as api from "../../lib/api.js";
import { h, data } from "../../lib/dom.js";
import { dayRange, timeEl, numberEl } from "../../lib/format.js";
import { busy, clearErrors, showErrors, summary } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { loadStyle } from "../../lib/style.js";
import { screeningStatus, screeningWhat } from "../../lib/register-words.js";

const PAGE = 20;

function lines(text) {
  return [...new Set(String(text || "").split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
}

// "9, 11 35" → [9, 11, 35], or null when something is not a class number.
function classes(text) {
  const parts = String(text || "").split(/[\s,，、;；]+/).filter(Boolean);
  const out = [];
  for (const p of parts) {
    if (!/^\d{1,2}$/.test(p) || Number(p) < 1 || Number(p) > 45) return null;
    if (!out.includes(Number(p))) out.push(Number(p));
  }
  return out;
}

function textarea({ name, label, hint, rows = 3 }) {
  const id = `f-${name}`;
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
    h("textarea", { id, name, rows, "aria-describedby": [hint ? `${id}-hint` : null, `${id}-error`]
      .filter(Boolean).join(" "), autocomplete: "off", spellcheck: "false" }));
}

function historyRow(s) {
  const found = s.status === "done" ? (s.conflicts_count ?? s.conflicts?.length ?? s.count) : null;
  return h("tr", { "data-screening": s.id },
    h("th", { scope: "row" }, h("a", { href: `/app/screenings/${encodeURIComponent(s.id)}` },
      s.created_at ? timeEl(s.created_at) : data(s.id))),
    h("td", { "data-label": t("Screened") }, screeningWhat(s)),
    h("td", { "data-label": t("Status") }, screeningStatus(s)),
    h("td", { "data-label": t("Conflicts found") },
      typeof found === "number" ? numberEl(found) : h("span", { class: "muted" }, "—")));
}

export default async function screening(ctx) {
  await Promise.all([loadStyle("portfolio"), loadStyle("register")]);
  const cursor = ctx.query.get("cursor") || "";
  const [shows, earlier] = await Promise.all([
    api.get("/api/v1/shows", { limit: 200 }).then((p) => p.items || []).catch((e) => {
      if (!(e instanceof api.ApiError)) throw e;
      return [];   // the fairs are optional: the form works without them
    }),
    api.get("/api/v1/screenings", { cursor, limit: PAGE })]);

  const markets = h("sw-portfolio-countries");
  markets.name = "markets";
  markets.extra = "EM";
  markets.label = t("Markets");
  markets.hint = t("Countries and offices to screen, by name or two-letter code; “European Union (EUIPO)” is the EU trade mark. Leave empty to screen your watch list's markets.");

  const today = new Date().toISOString().slice(0, 10);
  const fairs = shows.filter((s) => !s.ends || s.ends >= today);
  const fairField = fairs.length ? h("div", { class: "field", "data-field": "show" },
    h("label", { for: "f-show" }, t("A trade fair (optional)")),
    h("p", { class: "hint", id: "f-show-hint" }, t("The fair's country is added to the markets.")),
    h("p", { class: "field-error", id: "f-show-error", hidden: true }),
    h("select", { id: "f-show", name: "show", "aria-describedby": "f-show-hint f-show-error" },
      h("option", { value: "" }, t("No fair")),
      fairs.map((s) => h("option", { value: s.id, "data-text": "api" },
        `${s.name} · ${[s.city, dayRange(s.starts, s.ends)].filter(Boolean).join(" · ")}`)))) : null;

  const form = h("form", { class: "form screening-form", novalidate: true, onsubmit: submit },
    summary(),
    h("fieldset", {},
      h("legend", {}, t("What to screen")),
      textarea({ name: "marks", label: t("Trademarks"), hint: t("One mark per line, as you use it.") }),
      textarea({ name: "names", label: t("Company names"), hint: t("One name per line: your company's names in Chinese and in English, your trade name.") }),
      h("div", { class: "field check", "data-field": "portfolio" },
        h("p", { class: "field-error", id: "f-portfolio-error", hidden: true }),
        h("label", {}, h("input", { type: "checkbox", name: "portfolio", value: "1", id: "f-portfolio",
          "aria-describedby": "f-portfolio-error" }), " ", t("My whole watch list (its trademarks and company names)")))),
    h("fieldset", {},
      h("legend", {}, t("Where to screen")),
      markets,
      h("div", { class: "field", "data-field": "classes" },
        h("label", { for: "f-classes" }, t("Nice classes (optional)")),
        h("p", { class: "hint", id: "f-classes-hint" }, t("Numbers from 1 to 45, such as 9, 11. Leave empty to screen every class.")),
        h("p", { class: "field-error", id: "f-classes-error", hidden: true }),
        h("input", { id: "f-classes", name: "classes", type: "text", inputmode: "numeric",
          autocomplete: "off", "aria-describedby": "f-classes-hint f-classes-error" })),
      fairField),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button" }, t("Start the screening"))));

  async function submit(ev) {
    ev.preventDefault();
    clearErrors(form);
    const f = new FormData(form);
    const body = {};
    const marks = lines(f.get("marks"));
    const names = lines(f.get("names"));
    const cls = classes(f.get("classes"));
    if (marks.length) body.marks = marks.map((text) => ({ text }));
    if (names.length) body.names = names;
    if (f.get("portfolio")) body.portfolio = true;
    if (markets.value.length) body.markets = markets.value;
    if (cls?.length) body.classes = cls;
    if (f.get("show")) body.show = f.get("show");
    const errors = [];
    if (!marks.length && !names.length && !body.portfolio) {
      errors.push({ name: "marks", message: t("Enter a trademark or a company name, or choose your whole watch list.") });
    }
    if (cls === null) errors.push({ name: "classes", message: t("Write Nice classes as numbers from 1 to 45, separated by commas.") });
    if (markets.problem) errors.push({ name: "markets", message: markets.problem });
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    busy(form, true);
    try {
      const job = await api.post("/api/v1/screenings", body);
      ctx.navigate(`/app/screenings/${encodeURIComponent(job.id)}`);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      // "/marks/0/text" belongs to the marks field; "/markets/1" names the second market.
      const out = (e.problem.errors || []).map((x) => {
        const m = /^\/([a-z_]+)(?:\/(\d+))?/.exec(x.pointer || "");
        const name = m && form.elements.namedItem(m[1]) ? m[1] : null;
        let message = x.message;
        if (name === "marks" && m[2] !== undefined) message = `${marks[Number(m[2])] ?? ""}: ${x.message}`;
        if (name === "names" && m[2] !== undefined) message = `${names[Number(m[2])] ?? ""}: ${x.message}`;
        if (name === "markets" && m[2] !== undefined) message = `${body.markets?.[Number(m[2])] ?? ""}: ${x.message}`;
        return { name, message, api: true };
      });
      showErrors(form, out, data(e.problem.detail || e.problem.title, "p"));
    } finally {
      busy(form, false);
    }
  }

  const pager = cursor || earlier.next ? h("nav", { class: "pager", "aria-label": t("Pages") },
    cursor ? h("a", { href: "/app/screening" }, t("First page")) : null,
    earlier.next ? h("a", { href: `/app/screening?cursor=${encodeURIComponent(earlier.next)}`,
      class: "pager-older", rel: "next" }, t("Next page")) : null) : null;

  const items = earlier.items || [];
  return h("div", { class: "page screening" },
    h("h1", { tabindex: "-1" }, t("Risk screening")),
    h("p", { class: "lead" }, t("Before you enter a market or book a fair, see who already holds trademarks like yours there, how far their applications have gone, and whether they sue.")),
    h("section", { class: "panel", "aria-labelledby": "new-heading" },
      h("h2", { id: "new-heading" }, t("New screening")),
      form),
    h("section", { "aria-labelledby": "earlier-heading" },
      h("h2", { id: "earlier-heading" }, t("Earlier screenings")),
      items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table screenings" },
          h("caption", { class: "visually-hidden" }, t("Earlier screenings")),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("Started")),
            h("th", { scope: "col" }, t("Screened")),
            h("th", { scope: "col" }, t("Status")),
            h("th", { scope: "col" }, t("Conflicts found")))),
          h("tbody", {}, items.map(historyRow))))
        : h("p", { class: "empty" }, t("Your company has not screened anything yet.")),
      pager));
}
