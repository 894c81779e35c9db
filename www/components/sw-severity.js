// <sw-severity level="high">: a bulletin's or an alert's severity, in words and colour.
import { t } from "../lib/i18n.js";

export const SEVERITIES = ["critical", "high", "medium", "low"];

export function severityLabel(level) {
  switch (level) {
    case "critical": return t("Critical");
    case "high": return t("High");
    case "medium": return t("Medium");
    case "low": return t("Low");
    default: return level || "";
  }
}

class Severity extends HTMLElement {
  static get observedAttributes() {
    return ["level"];
  }

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback() {
    this.render();
  }

  render() {
    const level = this.getAttribute("level");
    this.className = `severity severity-${SEVERITIES.includes(level) ? level : "unknown"}`;
    this.textContent = severityLabel(level);
  }
}

customElements.define("sw-severity", Severity);
