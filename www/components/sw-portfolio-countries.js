// <sw-portfolio-countries>: choosing countries and regions for a watch-list item or the
// subscriber's markets. The chosen ones are listed, each with a button to remove it; one text
// field adds another, by its name in the page's language (offered as the person types) or its
// two-letter code. Set .value (codes), .extra ("EM": the EU trade mark, for marks; "EU": the EU
// as a market, for keywords and markets), .label, .hint and .name before adding it; read
// .value, and .problem (the text typed could not be added: why). It is a .field: forms.js shows an error at its text field, named .name; an
// "sw-change" event bubbles when the list changes.
import { ALL, options } from "../lib/countries.js";
import { h, uid } from "../lib/dom.js";
import { country } from "../lib/format.js";
import { t } from "../lib/i18n.js";

class PortfolioCountries extends HTMLElement {
  constructor() {
    super();
    this.codes = [];
    this.extra = null;
    this.name = "countries";
    this.problem = null;   // what is wrong with the text typed but not added, or null
  }

  get value() {
    return [...this.codes];
  }

  set value(codes) {
    this.codes = [...new Set(codes || [])];
    if (this.list) this.renderList();
  }

  connectedCallback() {
    if (this.input) return;
    const id = uid(`f-${this.name}`);
    const listId = `${id}-list`;
    const hintId = `${id}-hint`;
    this.className = "field countries";
    this.dataset.field = this.name;
    this.known = options(this.extra ? [this.extra, ...ALL] : ALL);
    this.input = h("input", { id, name: this.name, type: "text", list: listId,
      autocomplete: "off", "aria-describedby": `${hintId} ${id}-error`,
      onkeydown: (ev) => {
        if (ev.key === "Enter") {
          ev.preventDefault();
          this.addTyped();
        }
      },
      onchange: () => {
        if (this.find(this.input.value)) this.addTyped();
      } });
    this.list = h("ul", { class: "chips", "aria-label": t("Chosen countries and regions") });
    this.append(
      h("label", { for: id }, this.label),
      h("p", { class: "hint", id: hintId }, this.hint ||
        t("Type a name or a two-letter code, then press Enter or Add.")),
      h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
      this.list,
      h("div", { class: "chip-add" }, this.input,
        h("button", { type: "button", class: "button secondary", onclick: () => this.addTyped() },
          t("Add"))),
      h("datalist", { id: listId }, this.known.map((o) => h("option", { value: this.optionText(o.value) }))));
    this.addEventListener("focusout", (ev) => {
      if (this.contains(ev.relatedTarget)) return;
      if (this.input.value.trim()) this.addTyped();
    });
    this.renderList();
  }

  optionText(code) {
    return `${country(code)} (${code})`;
  }

  // The code a typed text names: "DE", "de", "Germany", "德国", "Germany (DE)"; or null. Any
  // two letters are taken as a code: the server says which codes it refuses, and why ("EU" on
  // a trade mark: the EU trade mark is written EM).
  find(text) {
    const s = text.trim();
    if (!s) return null;
    const m = /^\(?([A-Za-z]{2})\)?$|\(([A-Za-z]{2})\)\s*$/.exec(s);
    if (m) return (m[1] || m[2]).toUpperCase();
    const low = s.toLocaleLowerCase();
    const byName = this.known.find((o) => o.label.toLocaleLowerCase() === low);
    return byName ? byName.value : null;
  }

  addTyped() {
    const text = this.input.value;
    if (!text.trim()) return;
    const code = this.find(text);
    const err = this.querySelector(".field-error");
    this.problem = code ? null
      : t("Choose a country or region from the list, or write its two-letter code.");
    if (!code) {
      err.replaceChildren(h("span", { class: "visually-hidden" }, t("Error:")), " ",
        this.problem);
      err.hidden = false;
      this.classList.add("invalid");
      this.input.setAttribute("aria-invalid", "true");
      return;
    }
    this.input.value = "";
    if (!this.codes.includes(code)) {
      this.codes.push(code);
      this.renderList();
      this.changed();
    }
    this.clearError();
  }

  clearError() {
    this.problem = null;
    const err = this.querySelector(".field-error");
    err.hidden = true;
    err.replaceChildren();
    this.classList.remove("invalid");
    this.input.removeAttribute("aria-invalid");
  }

  remove(code) {
    const i = this.codes.indexOf(code);
    if (i < 0) return;
    this.codes.splice(i, 1);
    this.renderList();
    this.changed();
    const buttons = this.list.querySelectorAll("button");
    (buttons[Math.min(i, buttons.length - 1)] || this.input).focus();
  }

  changed() {
    this.dispatchEvent(new CustomEvent("sw-change", { bubbles: true }));
  }

  renderList() {
    this.list.replaceChildren(...this.codes.map((code) => h("li", {},
      h("span", { "data-text": "intl" }, this.optionText(code)),
      h("button", { type: "button", class: "chip-remove",
        "aria-label": t("Remove {name}", { name: country(code) }),
        onclick: () => this.remove(code) }, h("span", { "aria-hidden": "true", "data-text": "symbol" }, "×")))));
    this.list.hidden = this.codes.length === 0;
  }
}

customElements.define("sw-portfolio-countries", PortfolioCountries);
