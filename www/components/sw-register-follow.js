// <sw-register-follow>: following one register record or docket in one click. Set .target
// ({kind: "mark", office, number} or {kind: "docket", court?, docket}), .name (what a person
// calls it, for the buttons' accessible names and the announcement) and .followId (the
// follow's id when it is followed already, else null) before adding it. Shows "Follow"; once
// followed, "Following" and a button to stop. Each change is announced in its own polite live
// region; focus stays on the control that replaced the one pressed. An "sw-follow" event
// bubbles with {id} (null after stopping).
import * as api from "../lib/api.js";
import { data, h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { loadStyle } from "../lib/style.js";

class RegisterFollow extends HTMLElement {
  constructor() {
    super();
    this.target = null;
    this.name = "";
    this.followId = null;
  }

  connectedCallback() {
    if (this.said) return;
    loadStyle("register");   // its own look, on pages (an early warning) that lack the sheet
    this.className = "follow";
    this.said = h("span", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    this.box = h("span", { class: "follow-box" });
    this.append(this.box, this.said);
    this.render(false);
  }

  render(focus) {
    let button;
    if (this.followId === true) {
      // Followed already, and the answer did not say which follow: stopping is on that page.
      button = h("a", { href: "/app/follows", class: "follow-link" }, t("See the records you follow"));
      this.box.replaceChildren(
        h("span", { class: "follow-state" }, h("span", { "aria-hidden": "true", "data-text": "symbol" }, "✓ "),
          t("Following")), " ", button);
    } else if (this.followId) {
      button = h("button", { type: "button", class: "button secondary unfollow",
        "aria-label": t("Stop following {name}", { name: this.name }),
        onclick: () => this.stop() }, t("Stop following"));
      this.box.replaceChildren(
        h("span", { class: "follow-state" }, h("span", { "aria-hidden": "true", "data-text": "symbol" }, "✓ "),
          t("Following")), " ", button);
    } else {
      button = h("button", { type: "button", class: "button follow-button",
        "aria-label": t("Follow {name}", { name: this.name }),
        onclick: () => this.start() }, t("Follow"));
      this.box.replaceChildren(button);
    }
    if (focus) button.focus();
  }

  async act(fn) {
    const button = this.box.querySelector("button, a");
    button.disabled = true;
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      button.disabled = false;
      this.said.replaceChildren(data(e.problem.detail || e.problem.title));
      this.said.classList.remove("visually-hidden");
      this.said.classList.add("follow-error");
      return;
    }
    this.said.classList.add("visually-hidden");
    this.said.classList.remove("follow-error");
    this.render(true);
    this.dispatchEvent(new CustomEvent("sw-follow", { bubbles: true, detail: { id: this.followId } }));
  }

  start() {
    return this.act(async () => {
      try {
        const f = await api.post("/api/v1/follows", this.target);
        this.followId = f?.id || true;
      } catch (e) {
        // Followed already (from another page or tab): the answer names the follow.
        if (!(e instanceof api.ApiError) || e.status !== 409) throw e;
        this.followId = e.problem.id || e.problem.follow?.id || true;
      }
      this.said.textContent = t("You are following {name}.", { name: this.name });
    });
  }

  stop() {
    return this.act(async () => {
      await api.del(`/api/v1/follows/${encodeURIComponent(this.followId)}`);
      this.followId = null;
      this.said.textContent = t("You no longer follow {name}.", { name: this.name });
    });
  }
}

customElements.define("sw-register-follow", RegisterFollow);
