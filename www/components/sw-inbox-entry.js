// <sw-inbox-entry>: one early warning in a list — one per event: its title (a link to the
// comparison), severity, when it arrived (in the person's zone), the kind of event and where,
// its status in words, and every watch-list item it touched. Set .alert (an Alert, or the
// dashboard's AlertSummary) before adding it; attribute "selectable" adds a checkbox
// (name "alert", value the alert's id) for the inbox's bulk actions; "heading" names the
// title's element (h3 by default). .setStatus(s) shows a new status without a reload.
import "./sw-severity.js";
import { h, data, uid } from "../lib/dom.js";
import { timeEl } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { jurisdictionEl, kindLabel, statusLabel, typeLabel } from "../lib/alert-words.js";

// Where the inbox remembers its address (filters, page) for the comparison's way back.
export const INBOX_KEY = "seawall.inbox";

// The items an alert touched, whichever shape it comes in: {item: {...}} or the item itself.
export function touched(alert) {
  return (alert.items || []).map((x) => x.item || x).filter(Boolean);
}

function itemText(item) {
  return item.text ?? item.number ?? item.show ?? "";
}

class InboxEntry extends HTMLElement {
  connectedCallback() {
    const a = this.alert;
    if (!a || this.firstChild) return;
    const ev = a.event || {};
    const heading = this.getAttribute("heading") || "h3";
    const titleId = uid("alert-title");
    const items = touched(a);
    this.status = h("span", { class: "alert-status" });
    this.box = this.hasAttribute("selectable")
      ? h("input", { type: "checkbox", name: "alert", value: a.id, class: "alert-select",
        "aria-labelledby": `${titleId}-sel ${titleId}` })
      : null;
    this.replaceChildren(h("article", { class: "card alert-entry" },
      this.box ? h("div", { class: "alert-check" }, this.box,
        h("span", { id: `${titleId}-sel`, class: "visually-hidden" }, t("Select"))) : null,
      h("div", { class: "alert-body" },
        h("div", { class: "card-meta" },
          h("sw-severity", { level: a.severity }),
          this.status,
          h("span", { class: "meta-item" },
            h("span", { class: "visually-hidden" }, t("Arrived:")), " ", timeEl(a.created_at)),
          ev.type ? h("span", { class: "meta-item" }, typeLabel(ev.type)) : null,
          ev.jurisdiction ? h("span", { class: "meta-item" },
            h("span", { class: "visually-hidden" }, t("Where:")), " ",
            jurisdictionEl(ev.jurisdiction)) : null),
        h(heading, { class: "card-title", id: titleId },
          h("a", { href: `/app/alerts/${encodeURIComponent(a.id)}` },
            data(ev.title || a.event_id || a.id))),
        items.length ? h("div", { class: "alert-items" },
          h("span", { class: "alert-items-label" }, t("Touches your watch list:")), " ",
          h("ul", { class: "tags" }, items.map((it) => h("li", {},
            h("span", { class: "tag-kind" }, kindLabel(it.kind)), " ",
            data(itemText(it), "span", { class: "tag-text" })))))
          : null)));
    this.setStatus(a.status);
  }

  setStatus(status) {
    this.alert.status = status;
    this.dataset.status = status || "";
    if (!this.status) return;
    this.status.className = `alert-status status-${status}`;
    this.status.replaceChildren(h("span", { class: "visually-hidden" }, t("Status:")), " ",
      statusLabel(status));
  }
}

customElements.define("sw-inbox-entry", InboxEntry);
