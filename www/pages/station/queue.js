// station/queue.js — what this device has not sent (/station/queue): each record with its
// kind, parties and photos, deleted one by one on purpose; a conflict (the server holds other
// content under the record's key) shows both versions side by side and is settled by keeping
// the server's or taking this device's; a rejected record shows the server's problems.
import { h, data, replace } from "../../lib/dom.js";
import { dateTime } from "../../lib/format.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import * as api from "../../lib/api.js";
import * as station from "../../lib/station.js";
import * as store from "../../lib/station-store.js";
import { KINDS, label } from "../../lib/station-terms.js";
import { bar, setUp } from "./home.js";

function value(v) {
  if (v === undefined || v === null) return "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const MEMBERS = {
  kind: () => t("Kind of incident"), hall: () => t("Hall"), booth: () => t("Booth"),
  product_category: () => t("Products"), notes: () => t("Notes"), status: () => t("State"),
  exhibitor: () => t("Accused exhibitor"), complainant: () => t("Complainant"),
  rights: () => t("Right invoked"), received_at: () => t("Complaint received at"),
};

function version(title, body, differs) {
  return h("section", {}, h("h3", {}, title),
    h("dl", {}, differs.map((k) => [
      h("dt", {}, MEMBERS[k] ? MEMBERS[k]() : data(k, "code")),
      h("dd", { "data-text": "api" }, value(body?.[k]))])));
}

function item(r, refresh) {
  const problem = h("p", { class: "field-error", role: "alert", hidden: true });
  const del = h("button", { type: "button", class: "button secondary delete-record",
    onclick: async () => {
      if (!window.confirm(t("Delete this record from the device? It has not been sent."))) return;
      await store.remove(r.cid);
      await station.changed();
      refresh();
    } }, t("Delete"));
  const settle = (take) => async () => {
    try {
      await station.resolve(r, take);
      refresh();
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      problem.hidden = false;
      replace(problem, data(e.problem.detail || e.problem.title));
    }
  };
  const b = r.body;
  return h("li", { "data-cid": r.cid, "data-state": r.state },
    h("h2", {}, label(KINDS, b.kind), " — ", data(b.exhibitor?.name)),
    h("p", {}, tnodes("Complainant: {name}", { name: data(b.complainant?.name) }), " · ",
      t("Received"), " ", h("span", { "data-text": "intl" }, dateTime(b.received_at))),
    r.photos.length ? h("p", {}, tn("{count} photo", "{count} photos", r.photos.length,
      { count: r.photos.length })) : null,
    r.state === "pending" ? h("p", { class: "state" }, t("Waiting to be sent.")) : null,
    r.state === "sent" ? h("p", { class: "state" }, t("Sent; its photos are still waiting.")) : null,
    r.state === "rejected" ? h("div", { class: "state" },
      h("p", {}, t("The server refused this record:")),
      h("ul", {}, (r.errors || []).map((e) => h("li", {}, data(e.message || e.detail || ""))))) : null,
    r.state === "conflict" ? h("div", { class: "conflict" },
      h("p", {}, t("The server holds other content for this record. Choose which version stays.")),
      h("div", { class: "versions" },
        version(t("On the server"), r.conflict.stored, r.conflict.differs),
        version(t("On this device"), r.conflict.sent, r.conflict.differs)),
      h("div", { class: "form-actions split" },
        h("button", { type: "button", class: "button keep-server", onclick: settle("server") },
          t("Keep the server's version")),
        h("button", { type: "button", class: "button secondary take-mine", onclick: settle("mine") },
          t("Take this device's version")))) : null,
    problem,
    r.state === "sent" ? null : del);
}

export default async function queuePage(ctx) {
  await setUp(ctx.person);
  ctx.setTitle(t("Records to send"));
  const list = h("div", { class: "queue" });
  const refresh = async () => {
    const records = (await store.unsent()).sort((a, b) => a.created.localeCompare(b.created));
    replace(list, records.length
      ? h("ul", { class: "queue-list" }, records.map((r) => item(r, refresh)))
      : h("p", { class: "empty" }, t("Everything logged on this device has been sent.")));
  };
  await refresh();
  const off = station.onChange(() => { if (list.isConnected) refresh(); else off(); });
  return h("div", { class: "station" },
    h("h1", { tabindex: "-1" }, t("Records to send")),
    bar(),
    h("div", { class: "station-actions" },
      h("button", { type: "button", class: "button send-now", onclick: () => station.sync() },
        t("Send now")),
      h("a", { class: "button secondary", href: "/station/log" }, t("Log an incident"))),
    list);
}
