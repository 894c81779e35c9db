// app/follows.js — the register records and dockets the company follows: each with its
// current status and its last change (the record's newest history entry), since when it is
// followed, and a button to stop following (the row goes, a polite status says so, focus moves
// to the next row's button or the heading). A status change of a followed record arrives in the
// inbox as an early warning. One API request besides the session.
import * as api from "../../lib/api.js";
import { jurisdictionEl } from "../../lib/alert-words.js";
import { h, data, replace } from "../../lib/dom.js";
import { dayRange, timeEl } from "../../lib/format.js";
import { t, tnodes } from "../../lib/i18n.js";
import { followName, recordStatus } from "../../lib/register-words.js";
import { loadStyle } from "../../lib/style.js";

// A record's newest history entry: {date, status, event} (the list may leave the history out:
// then the record's last update stands for its last change).
function lastChange(rec) {
  const hist = (rec?.history || []).filter((x) => x && x.date);
  if (!hist.length) return null;
  return hist.reduce((a, b) => (String(b.date) > String(a.date) ? b : a));
}

function day(d) {
  return h("span", { "data-text": "intl" }, dayRange(String(d).slice(0, 10)));
}

function whatCell(f) {
  const rec = f.record;
  if (f.kind === "docket") {
    return [h("span", { class: "follow-kind" }, t("Lawsuit docket")), " ",
      data(f.docket, "strong"), f.court ? h("span", { class: "rec-id" }, data(f.court)) : null];
  }
  return [h("span", { class: "follow-kind" }, t("Trademark")), " ",
    rec?.mark ? data(rec.mark, "strong") : null,
    h("span", { class: "rec-id" }, jurisdictionEl(f.office || rec?.office), " ", data(f.number || rec?.number))];
}

function statusCell(f) {
  const rec = f.record;
  if (f.kind === "docket") {
    return rec?.status_text ? data(rec.status_text)
      : h("span", { class: "muted" }, t("Each new filing arrives as an early warning."));
  }
  if (!rec) return h("span", { class: "muted" }, t("Not in the register yet"));
  // The office's own words, when they say more than the status (the register copies the code
  // when the source has none).
  const own = rec.status_text && rec.status_text !== rec.status ? rec.status_text : null;
  return [recordStatus(rec.status), own ? data(own, "span", { class: "status-text" }) : null];
}

function changeCell(f) {
  const rec = f.record;
  const last = lastChange(rec);
  if (last) {
    return [day(last.date), last.event ? data(last.event, "span", { class: "change-text" }) : null];
  }
  if (rec?.updated) return timeEl(rec.updated, false);
  return h("span", { class: "muted" }, "—");
}

export default async function follows() {
  await Promise.all([loadStyle("portfolio"), loadStyle("register")]);
  const first = await api.get("/api/v1/follows");
  let items = first.items || [];
  const said = h("p", { class: "status", role: "status" });
  const area = h("section", { "aria-labelledby": "follows-heading" });

  async function stop(f, button) {
    button.disabled = true;
    const name = followName(f);
    try {
      await api.del(`/api/v1/follows/${encodeURIComponent(f.id)}`);
    } catch (e) {
      if (!(e instanceof api.ApiError)) throw e;
      button.disabled = false;
      said.replaceChildren(data(e.problem.detail || e.problem.title));
      return;
    }
    const i = items.indexOf(f);
    items = items.filter((x) => x !== f);
    render();
    said.textContent = t("You no longer follow {name}.", { name });
    const buttons = area.querySelectorAll("tbody button");
    (buttons[Math.min(i, buttons.length - 1)] || area.querySelector("h2")).focus();
  }

  function render() {
    replace(area,
      h("h2", { id: "follows-heading", tabindex: "-1" }, t("Records you follow")),
      items.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table follows" },
        h("caption", { class: "visually-hidden" }, t("Records you follow")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("Record")),
          h("th", { scope: "col" }, t("Current status")),
          h("th", { scope: "col" }, t("Last change")),
          h("th", { scope: "col" }, t("Followed since")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
        h("tbody", {}, items.map((f) => h("tr", { "data-follow": f.id },
          h("th", { scope: "row" }, whatCell(f)),
          h("td", { "data-label": t("Current status") }, statusCell(f)),
          h("td", { "data-label": t("Last change"), class: "when" }, changeCell(f)),
          h("td", { "data-label": t("Followed since"), class: "when" }, f.created_at ? timeEl(f.created_at, false)
            : h("span", { class: "muted" }, "—")),
          h("td", { class: "row-actions" }, h("button", { type: "button", class: "button secondary small",
            "aria-label": t("Stop following {name}", { name: followName(f) }),
            onclick: (ev) => stop(f, ev.currentTarget) }, t("Stop following"))))))))
        : h("p", { class: "empty" }, tnodes("You follow no records yet. Follow a trademark from a {screening}'s results, or a trademark or a lawsuit from an early warning.",
          { screening: h("a", { href: "/app/screening" }, t("risk screening")) })),
      null);
  }

  render();
  return h("div", { class: "page follows-page" },
    h("h1", { tabindex: "-1" }, t("Followed records")),
    h("p", { class: "lead" }, t("Trademark applications, registrations and lawsuit dockets you follow. When one changes — an application published for opposition, a registration cancelled, a new filing on a docket — an early warning arrives in your inbox.")),
    said,
    area);
}
