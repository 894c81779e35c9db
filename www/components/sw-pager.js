// <sw-pager>: moving through a cursor-paged list — back to the newest and on to older ones.
// Set .first (the list's address without a cursor, or null on the first page) and .older
// (the address of the next page, or null) before adding it to the page.
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

class Pager extends HTMLElement {
  connectedCallback() {
    if (!this.first && !this.older) {
      this.replaceChildren();
      return;
    }
    this.replaceChildren(h("nav", { class: "pager", "aria-label": t("Pages") },
      this.first ? h("a", { href: this.first, class: "pager-first" }, t("Back to the newest")) : null,
      this.older ? h("a", { href: this.older, class: "pager-older", rel: "next" }, t("Older")) : null));
  }
}

customElements.define("sw-pager", Pager);
