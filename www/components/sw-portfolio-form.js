// <sw-portfolio-form>: adding or changing one item of the watch list, with the fields of its
// kind. As the person leaves a field, the item as it stands is checked by the server
// (POST …/portfolio/check, debounced, the previous check abandoned) and the server's messages
// for the fields already visited appear beside them; saving shows every message and a
// summary. Set .subject (the subscriber), .item (the item to change, or null to add one),
// .loadShows (a function giving the public list of fairs, asked only when a fair is to be
// chosen) before adding it. Events: "sw-saved" (detail: the stored item), "sw-cancel".
import "./sw-portfolio-countries.js";
import * as api from "../lib/api.js";
import { h, data, uid } from "../lib/dom.js";
import { country, dayRange } from "../lib/format.js";
import { field, busy, clearErrors, markField, showErrors, summary } from "../lib/forms.js";
import { t, tnodes } from "../lib/i18n.js";
import { KINDS, base, errorsByField, kindLabel } from "../lib/portfolio.js";
import { ALL, options } from "../lib/countries.js";

// The fields of each kind, in the order the form shows them.
const FIELDS = {
  mark: ["text", "classes", "countries", "label"],
  name: ["text", "aliases", "label"],
  patent: ["number", "country", "label"],
  keyword: ["text", "countries", "label"],
  show: ["show", "label"],
};
const CHECK_DELAY_MS = 350;

function textLabel(kind) {
  switch (kind) {
    case "mark": return t("The trade mark, as it is written");
    case "name": return t("Company name");
    case "keyword": return t("Keyword");
    default: return "";
  }
}

function textHint(kind) {
  switch (kind) {
    case "mark": return t("Words or letters of the mark, e.g. LUMA or 海湾.");
    case "name": return t("The registered name, e.g. 宁波港湾照明有限公司 or Ningbo Harbour Lighting Co., Ltd.");
    case "keyword": return t("A product or a word to look for in court filings, customs notices and news, e.g. LED lamps.");
    default: return "";
  }
}

function countriesHint(kind) {
  return kind === "mark"
    ? t("Where the mark is registered. Choose “European Union (EUIPO)” for an EU trade mark (EM). Leave it empty to follow your markets.")
    : t("Where to look for the keyword. Choose “European Union” for all of the EU. Leave it empty to follow your markets.");
}

// "9, 11; 42" → {classes: [9, 11, 42], bad: []}; what is not a whole number goes into bad.
function parseClasses(text) {
  const classes = [];
  const bad = [];
  for (const part of text.split(/[\s,;，；、]+/)) {
    if (!part) continue;
    if (/^\d{1,3}$/.test(part)) classes.push(Number(part));
    else bad.push(part);
  }
  return { classes, bad };
}

class PortfolioForm extends HTMLElement {
  connectedCallback() {
    if (this.form) return;
    const editing = Boolean(this.item);
    this.kind = this.item?.kind || "mark";
    this.touched = new Set();
    this.timer = null;
    this.pending = null;
    this.headingId = uid("portfolio-form");
    const item = this.item || {};

    const kindField = editing
      ? h("p", { class: "kind-fixed" }, tnodes("Kind: {kind}", { kind: h("strong", {}, kindLabel(this.kind)) }))
      : field({ name: "kind", label: t("What to watch"), value: this.kind,
        options: KINDS.map((k) => ({ value: k, label: kindLabel(k) })),
        onchange: (ev) => this.setKind(ev.target.value) });
    this.textField = field({ name: "text", label: textLabel(this.kind), hint: textHint(this.kind),
      value: item.text || "", autocomplete: "off" });
    this.classesField = field({ name: "classes", label: t("Nice classes"), inputmode: "numeric",
      hint: t("Numbers from 1 to 45, separated by commas, e.g. 9, 11. Leave it empty to watch every class."),
      value: (item.classes || []).join(", "), autocomplete: "off" });
    this.countries = h("sw-portfolio-countries");
    this.countries.extra = this.kind === "keyword" ? "EU" : "EM";
    this.countries.label = t("Countries and regions");
    this.countries.hint = countriesHint(this.kind);
    this.countries.value = item.countries || [];
    this.aliasesField = this.textarea("aliases", t("Other names"),
      t("One name per line, in any script: the English name, the pinyin, a short name."),
      (item.aliases || []).join("\n"));
    this.numberField = field({ name: "number", label: t("Patent number"),
      hint: t("As it is printed on the patent, e.g. US 8,930,553 B2 or EP 1 234 567."),
      value: item.number || "", autocomplete: "off" });
    this.normalised = h("p", { class: "hint normalised", "aria-live": "polite" });
    this.numberField.append(this.normalised);
    this.officeField = field({ name: "country", label: t("Patent office"), value: item.country || "",
      options: [{ value: "", label: t("As the number says") },
        { value: "EP", label: t("European Patent Office (EP)") },
        { value: "WO", label: t("International application, PCT (WO)") },
        ...options(ALL).map((o) => ({ ...o, label: `${o.label} (${o.value})` }))] });
    this.showField = field({ name: "show", label: t("Trade fair"), value: item.show || "",
      hint: t("The fairs listed on the trade fairs page."),
      options: [{ value: "", label: t("Loading the fairs…") }] });
    this.labelField = field({ name: "label", label: t("Your note (optional)"),
      hint: t("For your own use, e.g. the product line."), value: item.label || "",
      autocomplete: "off" });
    this.wraps = { text: this.textField, classes: this.classesField, countries: this.countries,
      aliases: this.aliasesField, number: this.numberField, country: this.officeField,
      show: this.showField, label: this.labelField };

    this.form = h("form", { class: "form portfolio-form", novalidate: true,
      "aria-labelledby": this.headingId,
      onsubmit: (ev) => {
        ev.preventDefault();
        this.save();
      } },
    h("h2", { id: this.headingId, tabindex: "-1" }, editing ? t("Change the item") : t("Add an item")),
    summary(),
    kindField,
    ...Object.values(this.wraps),
    h("div", { class: "form-actions actions" },
      h("button", { type: "submit", class: "button" }, editing ? t("Save the changes") : t("Add to the watch list")),
      h("button", { type: "button", class: "button secondary",
        onclick: () => this.dispatchEvent(new CustomEvent("sw-cancel", { bubbles: true })) },
      t("Cancel"))));
    this.form.addEventListener("focusout", (ev) => {
      const wrap = ev.target.closest?.("[data-field]");
      if (!wrap || wrap.contains(ev.relatedTarget) || wrap.dataset.field === "kind") return;
      this.touched.add(wrap.dataset.field);
      this.schedule();
    });
    this.form.addEventListener("sw-change", () => {
      this.touched.add("countries");
      this.schedule();
    });
    this.replaceChildren(this.form);
    this.setKind(this.kind);
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
    this.pending?.abort();
  }

  textarea(name, label, hint, value) {
    const id = uid(`f-${name}`);
    return h("div", { class: "field", "data-field": name },
      h("label", { for: id }, label),
      h("p", { class: "hint", id: `${id}-hint` }, hint),
      h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
      h("textarea", { id, name, rows: 3, "aria-describedby": `${id}-hint ${id}-error` }, value));
  }

  setKind(kind) {
    this.kind = kind;
    const shown = FIELDS[kind] || [];
    for (const [name, wrap] of Object.entries(this.wraps)) wrap.hidden = !shown.includes(name);
    if (shown.includes("text")) {
      this.textField.querySelector("label").textContent = textLabel(kind);
      this.textField.querySelector(".hint").textContent = textHint(kind);
    }
    if (shown.includes("countries") && this.countries.extra !== (kind === "keyword" ? "EU" : "EM")) {
      // A keyword's EU and a mark's EM are different things: the list starts again.
      const codes = this.countries.value.filter((c) => c !== "EU" && c !== "EM");
      const fresh = h("sw-portfolio-countries");
      fresh.extra = kind === "keyword" ? "EU" : "EM";
      fresh.label = t("Countries and regions");
      fresh.hint = countriesHint(kind);
      fresh.value = codes;
      this.countries.replaceWith(fresh);
      this.countries = fresh;
      this.wraps.countries = fresh;
    }
    if (kind === "show") this.fillShows();
    clearErrors(this.form);
    this.touched.clear();
  }

  async fillShows() {
    if (this.showsFilled) return;
    this.showsFilled = true;
    const select = this.form.elements.namedItem("show");
    const current = this.item?.show || "";
    let shows = [];
    try {
      shows = await this.loadShows();
    } catch {
      this.showsFilled = false;
      select.replaceChildren(h("option", { value: current }, current || t("The fairs could not be loaded. Try again.")));
      return;
    }
    const opts = [h("option", { value: "" }, t("Choose a fair"))];
    for (const s of shows) {
      opts.push(h("option", { value: s.id, selected: s.id === current, "data-text": "api" },
        `${s.name} — ${[s.city, country(s.country)].filter(Boolean).join(", ")}, ${dayRange(s.starts, s.ends)}`));
    }
    if (current && !shows.some((s) => s.id === current)) {
      opts.push(h("option", { value: current, selected: true, "data-text": "api" }, current));
    }
    select.replaceChildren(...opts);
  }

  // The item as the form has it: {item, local} — local: the problems found here ({field:
  // [message]}). forPatch: an emptied optional member is null (PATCH removes it).
  collect(forPatch = false) {
    const f = this.form.elements;
    const kind = this.kind;
    const item = { kind };
    const local = {};
    const put = (name, v, empty) => {
      if (!empty) item[name] = v;
      else if (forPatch) item[name] = null;
    };
    for (const name of FIELDS[kind]) {
      if (name === "classes") {
        const { classes, bad } = parseClasses(f.namedItem("classes").value);
        if (bad.length) {
          local.classes = [t("Write the classes as numbers from 1 to 45, separated by commas: “{bad}” is not one.", { bad: bad[0] })];
        }
        put("classes", classes, classes.length === 0);
      } else if (name === "countries") {
        const codes = this.countries.value;
        if (this.countries.problem) local.countries = [this.countries.problem];
        put("countries", codes, codes.length === 0);
      } else if (name === "aliases") {
        const names = f.namedItem("aliases").value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
        put("aliases", names, names.length === 0);
      } else if (name === "label" || name === "country") {
        const v = f.namedItem(name).value.trim();
        put(name, v, v === "");
      } else {
        item[name] = f.namedItem(name).value.trim();
      }
    }
    this.listed = item;
    return { item, local };
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), CHECK_DELAY_MS);
  }

  async check() {
    const { item, local } = this.collect();
    if (this.item) item.id = this.item.id;
    this.pending?.abort();
    const ctl = new AbortController();
    this.pending = ctl;
    let problem = null;
    let stored = null;
    try {
      stored = await api.post(`${base(this.subject)}/check`, item, { signal: ctl.signal });
    } catch (e) {
      if (e.name === "AbortError" || !(e instanceof api.ApiError) || e.status !== 400) return;
      problem = e.problem;
    }
    if (ctl !== this.pending) return;
    this.pending = null;
    const { fields } = errorsByField(problem);
    for (const name of this.touched) {
      if (!FIELDS[this.kind].includes(name)) continue;
      const messages = [...(local[name] || []), ...this.messages(name, fields.get(name), item)];
      markField(this.form, name, messages);
    }
    this.normalised.textContent = stored?.normalised && stored.normalised !== stored.number
      ? t("Seawall compares it as {number}.", { number: stored.normalised }) : "";
  }

  // The server's messages for one field as nodes; a list member's message names the member.
  messages(name, errors, item) {
    return (errors || []).map((e) => {
      if (e.index === null) return data(e.message);
      const member = item[name]?.[e.index];
      const shown = name === "countries" ? country(member) : String(member ?? "");
      return tnodes("{item}: {message}", { item: data(shown, "strong"), message: data(e.message) });
    });
  }

  async save() {
    const editing = Boolean(this.item);
    const { item, local } = this.collect(editing);
    if (editing) delete item.kind;
    const localErrors = Object.entries(local).flatMap(([name, ms]) => ms.map((m) => ({ name, message: m })));
    if (localErrors.length) {
      showErrors(this.form, localErrors);
      return;
    }
    clearTimeout(this.timer);
    this.pending?.abort();
    busy(this.form, true);
    try {
      const stored = editing
        ? await api.patch(`${base(this.subject)}/${this.item.id}`, item)
        : await api.post(base(this.subject), item);
      this.dispatchEvent(new CustomEvent("sw-saved", { bubbles: true, detail: stored }));
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      const { fields, rest } = errorsByField(e.problem);
      const errors = [];
      for (const [name, list] of fields) {
        const known = FIELDS[this.kind].includes(name);
        for (const m of this.messages(name, list, this.listed)) {
          errors.push({ name: known ? name : null, message: () => m.cloneNode(true) });
        }
      }
      for (const m of rest) errors.push({ name: null, message: m, api: true });
      // The fields say what is wrong; the detail (which names pointers) only when none does.
      showErrors(this.form, errors, errors.length ? null
        : data(e.problem.detail || e.problem.title, "p"));
    } finally {
      busy(this.form, false);
    }
  }
}

customElements.define("sw-portfolio-form", PortfolioForm);
