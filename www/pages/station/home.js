// station/home.js — the station's desk (/station): its fair (name, dates, place, hall
// answer period), what waits on this device, and the incidents the server holds for the
// fair, each with a way to escalate it. Works offline from what the device kept.
import * as api from "../../lib/api.js";
import { h, data } from "../../lib/dom.js";
import { dayRange, timeEl } from "../../lib/format.js";
import { t, tn } from "../../lib/i18n.js";
import * as station from "../../lib/station.js";
import * as store from "../../lib/station-store.js";
import { KINDS, STATES, label } from "../../lib/station-terms.js";
import { loadStyle } from "../../lib/style.js";

// The bar every station page shows: online or not, and what waits to be sent.
export function bar() {
  const net = h("span", { class: "net", role: "status" });
  const waiting = h("span", { class: "waiting", "aria-live": "polite" });
  const el = h("div", { class: "station-bar" }, net, waiting,
    h("a", { href: "/station/queue" }, t("Records to send")));
  const show = async (records) => {
    const on = navigator.onLine;
    net.className = on ? "net" : "net off";
    net.textContent = on ? t("Online") : t("Offline: records wait on this device");
    const n = (records || await store.all()).filter(store.isUnsent).length;
    waiting.textContent = tn("{count} record not sent", "{count} records not sent", n,
      { count: n });
    el.dataset.unsent = String(n);
  };
  show();
  const off = station.onChange(show);
  const net1 = () => show();
  window.addEventListener("online", net1);
  window.addEventListener("offline", net1);
  const obs = new MutationObserver(() => {
    if (!el.isConnected) {
      off();
      window.removeEventListener("online", net1);
      window.removeEventListener("offline", net1);
      obs.disconnect();
    }
  });
  queueMicrotask(() => el.parentNode && obs.observe(document.getElementById("main"),
    { childList: true }));
  return el;
}

export async function setUp(person) {
  await loadStyle("station");
  station.register();
  station.start();
  return station.fair(person);
}

export default async function home(ctx) {
  const { show } = await setUp(ctx.person);
  let incidents = [];
  try {
    incidents = (await api.get(`/api/v1/shows/${encodeURIComponent(show.id)}/incidents`,
      { limit: 100 })).items || [];
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 0) throw e;
  }
  ctx.setTitle(t("Station desk"));
  return h("div", { class: "station" },
    h("h1", { tabindex: "-1" }, t("Station desk")),
    bar(),
    h("section", { class: "panel", "aria-labelledby": "fair-h" },
      h("h2", { id: "fair-h" }, data(show.name)),
      h("p", { "data-text": "api" }, [dayRange(show.starts, show.ends), show.city, show.venue]
        .filter(Boolean).join(" · ")),
      show.answer_deadline_h ? h("p", {}, t("Exhibitors answer within {hours} hours at this fair.",
        { hours: show.answer_deadline_h })) : null),
    h("div", { class: "station-actions" },
      h("a", { class: "button", href: "/station/log" }, t("Log an incident")),
      h("a", { class: "button secondary", href: "/station/queue" }, t("Records to send"))),
    h("section", { "aria-labelledby": "inc-h" },
      h("h2", { id: "inc-h" }, t("Incidents at this fair")),
      incidents.length ? h("table", { class: "incident-table" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Received")),
          h("th", { scope: "col" }, t("Kind")),
          h("th", { scope: "col" }, t("Hall")),
          h("th", { scope: "col" }, t("Accused exhibitor")),
          h("th", { scope: "col" }, t("State")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
        h("tbody", {}, incidents.map((i) => h("tr", { "data-incident": i.id },
          h("td", { "data-label": t("Received") }, timeEl(i.received_at)),
          h("td", { "data-label": t("Kind") }, label(KINDS, i.kind)),
          h("td", { "data-label": t("Hall") }, data(i.hall || "")),
          h("td", { "data-label": t("Accused exhibitor") }, data(i.exhibitor?.name || "")),
          h("td", { "data-label": t("State") }, label(STATES, i.status)),
          h("td", {}, i.status === "escalated" || i.status === "closed" ? null
            : h("a", { href: `/station/incidents/${i.id}/escalate` }, t("Escalate")))))))
        : h("p", {}, t("No incident has reached the server for this fair yet."))));
}
