// <sw-lang-switch>: 中文 / English. Each choice is a button in its own language; the current
// one is pressed. Choosing dispatches "sw-lang" (detail: the code) for the app to act on.
import { h } from "../lib/dom.js";
import { LANGUAGES, current, t } from "../lib/i18n.js";

class LangSwitch extends HTMLElement {
  connectedCallback() {
    this.render();
  }

  render() {
    const group = h("div", { role: "group", "aria-label": t("Language"), class: "lang-switch" },
      LANGUAGES.map((l) => h("button", {
        type: "button", lang: l.code, "aria-pressed": String(l.code === current()),
        onclick: () => {
          if (l.code !== current()) {
            this.dispatchEvent(new CustomEvent("sw-lang", { bubbles: true, detail: l.code }));
          }
        },
      }, l.name)));
    this.replaceChildren(group);
  }
}

customElements.define("sw-lang-switch", LangSwitch);
