// <sw-case-deadline>: a case's next legal deadline — the moment in the person's time zone and
// how long is left (or how long it is past), kept current every minute while shown. Set
// .deadline (the case's deadline object {at, rule, overdue, …}, or null) before adding it.
import { h, data, replace } from "../lib/dom.js";
import { timeEl } from "../lib/format.js";
import { current, t } from "../lib/i18n.js";

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// "in 3 days", "5 hours ago" … in the page's language.
export function relative(ms) {
  const abs = Math.abs(ms);
  const [value, unit] = abs >= 2 * DAY ? [ms / DAY, "day"] : abs >= 2 * HOUR ? [ms / HOUR, "hour"]
    : [ms / MINUTE, "minute"];
  return new Intl.RelativeTimeFormat(current(), { numeric: "always" })
    .format(Math.trunc(value), unit);
}

class CaseDeadline extends HTMLElement {
  connectedCallback() {
    this.render();
    this.timer = setInterval(() => this.render(), MINUTE);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  render() {
    const d = this.deadline;
    if (!d) {
      this.replaceChildren(h("span", { class: "muted" }, t("No legal deadline known")));
      return;
    }
    if (!d.at) {
      this.replaceChildren(h("span", { class: "muted" },
        t("Not computed yet: the date you were served is needed")));
      return;
    }
    const left = Date.parse(d.at) - Date.now();
    const over = left < 0;
    this.classList.toggle("overdue", over);
    replace(this,
      over ? h("strong", { class: "deadline-flag" }, t("Overdue")) : null,
      over ? " " : null,
      timeEl(d.at),
      " ",
      h("span", { class: "countdown", "data-text": "intl" }, `(${relative(left)})`),
      d.manual ? h("span", { class: "deadline-manual" }, " ", t("set by the centre")) : null);
  }
}

customElements.define("sw-case-deadline", CaseDeadline);

// The rule behind a deadline and where it comes from (the rules table's English text).
export function ruleOf(d) {
  if (!d || !d.rule) return null;
  return h("span", { class: "deadline-rule" }, data(d.rule.text),
    d.rule.source ? h("span", { class: "muted" }, " — ", data(d.rule.source)) : null);
}
