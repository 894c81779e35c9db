// <sw-inbox-live>: the inbox's live connection. While an element is in the page the portal
// holds one EventSource on /api/v1/alerts/stream (the session cookie authenticates it; nginx
// holds the stream). The inbox renders a new element for every filter, page and language,
// and each takes over the open stream rather than opening another; the stream closes a moment
// after the last element has left (at once when the page itself goes), so moving around the
// inbox costs no reconnection and leaving it frees the stream (a company's streams are
// limited: api.sse_per_subscriber). The element dispatches,
// bubbling:
//   sw-live-alert (detail: the alert, as GET /api/v1/alerts/{id} has it)
//   sw-live-gap   (alerts were missed: list the first page again; the stream goes on by itself)
//   sw-live-end   (the session has ended: no more live alerts)
// and says whether alerts are arriving live, in words. A stream refused for a while (429,
// 503) or cut for good is opened again after a pause that grows to a minute.
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

const PAUSES_MS = [2000, 5000, 15000, 30000, 60000];
const LINGER_MS = 5000;

// The page's one stream and the elements listening to it.
const hub = {
  es: null,
  state: "connecting",
  failures: 0,
  retry: null,
  linger: null,
  members: new Set(),

  join(el) {
    clearTimeout(this.linger);
    this.linger = null;
    this.members.add(el);
    // (After an end, a new inbox means a new session: its page has just been listed.)
    if (!this.es && !this.retry) this.open();
    el.show(this.state);
  },

  leave(el) {
    this.members.delete(el);
    if (this.members.size) return;
    clearTimeout(this.linger);
    this.linger = setTimeout(() => this.close(), LINGER_MS);
  },

  close() {
    clearTimeout(this.retry);
    clearTimeout(this.linger);
    this.retry = null;
    this.linger = null;
    if (this.es) this.es.close();
    this.es = null;
  },

  set(state) {
    this.state = state;
    for (const el of this.members) el.show(state);
  },

  emit(type, detail) {
    for (const el of this.members) {
      el.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
    }
  },

  open() {
    this.retry = null;
    this.set("connecting");
    const es = new EventSource("/api/v1/alerts/stream");
    this.es = es;
    es.addEventListener("open", () => {
      this.failures = 0;
      this.set("live");
    });
    es.addEventListener("alert", (ev) => {
      let alert;
      try {
        alert = JSON.parse(ev.data);
      } catch {
        return;   // not an alert: nothing to show
      }
      if (alert && typeof alert.id === "string") this.emit("sw-live-alert", alert);
    });
    es.addEventListener("gap", () => this.emit("sw-live-gap"));
    es.addEventListener("end", () => {
      es.close();
      this.es = null;
      this.set("ended");
      this.emit("sw-live-end");
    });
    es.addEventListener("error", () => {
      if (es !== this.es) return;
      if (es.readyState !== EventSource.CLOSED) {
        this.set("connecting");   // the browser reconnects by itself
        return;
      }
      // Refused (not a stream) or failed for good: again after a pause, if still wanted.
      es.close();
      this.es = null;
      this.set("paused");
      const pause = PAUSES_MS[Math.min(this.failures, PAUSES_MS.length - 1)];
      this.failures += 1;
      this.retry = setTimeout(() => {
        if (this.members.size) this.open();
        else this.retry = null;
      }, pause);
    });
  },
};

// A page the browser keeps for Back (the back/forward cache) would keep its stream open, and
// hold one of the company's few: it closes as the page is hidden and opens again if the page
// is shown once more.
window.addEventListener("pagehide", () => {
  hub.close();
  hub.set("connecting");
});
window.addEventListener("pageshow", (ev) => {
  if (ev.persisted && hub.members.size && !hub.es) hub.open();
});

class InboxLive extends HTMLElement {
  connectedCallback() {
    this.classList.add("live-state");
    hub.join(this);
  }

  disconnectedCallback() {
    hub.leave(this);
  }

  show(state) {
    this.dataset.state = state;
    const words = {
      connecting: () => t("Connecting for live early warnings…"),
      live: () => t("New early warnings appear here as they arrive."),
      paused: () => t("Live early warnings are paused; trying again shortly."),
      ended: () => t("Live early warnings have stopped because you were signed out."),
    };
    this.replaceChildren(h("span", { class: "live-dot", "aria-hidden": "true" }), " ",
      words[state]());
  }
}

customElements.define("sw-inbox-live", InboxLive);
