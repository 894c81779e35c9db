// app/channels.js — how early warnings reach the exporter: mail (addresses, at once or in a
// daily digest at an hour of the person's zone, from which severity), webhooks (added, their
// secret shown once, a new secret with the old one signing a while longer, switched off and
// on, deleted, a test event followed until the receiver answered) and what was delivered
// (the deliveries, or every attempt: paged; "retry now" for a pending delivery, "replay" for
// one that gave up). Three API requests besides the session.
import { SEVERITIES, severityLabel } from "../../components/sw-severity.js";
import * as api from "../../lib/api.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { timeEl } from "../../lib/format.js";
import { busy, clearErrors, field, showErrors, summary } from "../../lib/forms.js";
import { t, tnodes } from "../../lib/i18n.js";
import { errorsByField, exportersOnly } from "../../lib/portfolio.js";
import { loadStyle } from "../../lib/style.js";

const PAGE = 20;
const MAX_EMAILS = 10;
const FOLLOW_EVERY_MS = 1000;
const FOLLOW_FOR_MS = 120000;

function address(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/app/channels?${s}` : "/app/channels";
}

function floorLabel(level) {
  switch (level) {
    case "low": return t("Every early warning (low and above)");
    case "medium": return t("Medium, high and critical");
    case "high": return t("High and critical");
    case "critical": return t("Critical only");
    default: return level || "";
  }
}

function statusLabel(status) {
  switch (status) {
    case "pending": return t("Pending");
    case "delivered": return t("Delivered");
    case "exhausted": return t("Gave up");
    case "cancelled": return t("Cancelled");
    case "retry": return t("Failed, will retry");
    default: return status || "";
  }
}

function topicLabel(topic) {
  switch (topic) {
    case "alert.created": return t("Early warning");
    case "alert.digest": return t("Daily digest");
    case "webhook.test": return t("Test event");
    case "webhook.disabled": return t("Notice: webhook switched off");
    default: return topic || "";
  }
}

// What the receiver answered in an attempt (or the delivery's latest one).
function answerOf(code, error) {
  if (code) return t("HTTP {code}", { code });
  if (error) return data(error);
  return "—";
}

// The time a delivery-log entry was written: its id is a Redis stream id, whose first part is
// the time in milliseconds.
function logTime(logId) {
  const ms = Number(String(logId).split("-")[0]);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

function zones(current) {
  let list = [];
  try {
    list = Intl.supportedValuesOf("timeZone");
  } catch {
    list = [];
  }
  return current && !list.includes(current) ? [current, ...list] : list;
}

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

export default async function channels(ctx) {
  const other = exportersOnly({ ...ctx, title: t("Delivery channels") });
  if (other) return other;
  await loadStyle("portfolio");
  const view = ctx.query.get("log") === "attempts" ? "attempts" : "deliveries";
  const cursor = ctx.query.get("cursor") || "";
  const [settings, hooks, first] = await Promise.all([
    api.get("/api/v1/delivery"),
    api.get("/api/v1/webhooks"),
    view === "attempts"
      ? api.get("/api/v1/delivery-log", { cursor, limit: PAGE })
      : api.get("/api/v1/deliveries", { cursor, limit: PAGE })]);
  let list = first;
  let webhooks = hooks.items || [];
  // One dialog for the secret and the confirmations; opening it replaces what it showed, and
  // closing it empties it (a secret is shown once, and then is gone from the page).
  const dialog = h("dialog", { class: "sheet" });
  dialog.addEventListener("close", () => dialog.replaceChildren());
  const gone = () => !dialog.isConnected;   // the page was left: following stops

  // --- mail ------------------------------------------------------------------------------
  const mailArea = h("div");
  const mailStatus = h("p", { class: "status", role: "status" });
  function renderMail(s) {
    const neverSaved = s.emails_default === true;
    const mode = s.email_mode || "immediate";
    const zone = mode !== "digest" && (!s.digest_tz || s.digest_tz === "UTC")
      ? (ctx.person.tz && ctx.person.tz !== "UTC" ? ctx.person.tz : browserZone()) : s.digest_tz;
    const emailsBox = h("div", { class: "emails" });
    const addOne = h("button", { type: "button", class: "button secondary", onclick: () => {
      addAddress("");
      emailsBox.querySelectorAll("input")[emailsBox.children.length - 1]?.focus();
    } }, t("Add another address"));
    function renumber() {
      [...emailsBox.children].forEach((wrap, i) => {
        wrap.querySelector("label").textContent = t("Address {n}", { n: i + 1 });
        wrap.querySelector("input").name = `emails-${i}`;
        wrap.dataset.field = `emails-${i}`;
      });
      addOne.hidden = emailsBox.children.length >= MAX_EMAILS;
    }
    function addAddress(value) {
      const wrap = field({ name: "emails-x", type: "email", label: "", value, autocomplete: "email" });
      const input = wrap.querySelector("input");
      const remove = h("button", { type: "button", class: "button secondary small", onclick: () => {
        const next = wrap.nextElementSibling || wrap.previousElementSibling;
        wrap.remove();
        renumber();
        (next?.querySelector("input") || addOne).focus();
      } }, t("Remove"));
      const row = h("div", { class: "address-row" });
      input.replaceWith(row);
      row.append(input, remove);
      emailsBox.append(wrap);
      renumber();
      remove.setAttribute("aria-label", t("Remove this address"));
    }
    for (const e of s.emails || []) addAddress(e);
    if (!(s.emails || []).length) addAddress("");

    const modeName = uid("email-mode");
    const digestBox = h("div", { class: "digest", hidden: mode !== "digest" });
    const modes = h("fieldset", { class: "modes" },
      h("legend", {}, t("When to mail")),
      [["immediate", t("As soon as an early warning arrives")],
        ["digest", t("Once a day, all in one digest")],
        ["off", t("Do not mail early warnings")]].map(([v, label]) => {
        const id = `${modeName}-${v}`;
        return h("div", { class: "choice" },
          h("input", { type: "radio", name: "email_mode", id, value: v, checked: v === mode,
            onchange: () => { digestBox.hidden = v !== "digest"; } }),
          h("label", { for: id }, label));
      }));
    digestBox.append(
      field({ name: "digest_hour", label: t("Hour of the digest"), value: String(s.digest_hour ?? 8),
        options: Array.from({ length: 24 }, (_, i) => ({ value: String(i),
          label: `${String(i).padStart(2, "0")}:00`, intl: true })) }),
      field({ name: "digest_tz", label: t("Time zone"), value: zone,
        hint: t("The digest comes at that hour where you are."),
        options: zones(zone).map((z) => ({ value: z, label: z, intl: true })) }),
      s.next_digest_at ? h("p", {}, tnodes("The next digest comes at {time}.", { time: timeEl(s.next_digest_at) })) : null);
    const form = h("form", { class: "form mail-form", novalidate: true, "aria-labelledby": "mail-heading",
      onsubmit: async (ev) => {
        ev.preventDefault();
        clearErrors(form);
        const f = form.elements;
        const emails = [...emailsBox.querySelectorAll("input")].map((i) => i.value.trim());
        const body = {
          emails: emails.filter(Boolean),
          email_mode: f.namedItem("email_mode").value,
          email_severity_floor: f.namedItem("email_severity_floor").value,
          digest_hour: Number(f.namedItem("digest_hour").value),
          digest_tz: f.namedItem("digest_tz").value,
        };
        // An emptied row is left out; the server's /emails/N counts the addresses sent.
        const at = emails.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
        busy(form, true);
        try {
          const saved = await api.patch("/api/v1/delivery", body);
          renderMail(saved);
          mailStatus.textContent = t("Your mail settings are saved.");
          mailArea.querySelector("h2")?.focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          const { fields, rest } = errorsByField(e.problem);
          const errors = [];
          for (const [name, items] of fields) {
            for (const x of items) {
              const target = name === "emails" && x.index !== null ? `emails-${at[x.index]}`
                : f.namedItem(name) ? name : null;
              errors.push({ name: target, message: x.message, api: true });
            }
          }
          for (const m of rest) errors.push({ name: null, message: m, api: true });
          showErrors(form, errors, errors.length ? null : data(e.problem.detail || e.problem.title, "p"));
        } finally {
          busy(form, false);
        }
      } },
    summary(),
    h("fieldset", { class: "modes" }, h("legend", {}, t("Addresses")),
      neverSaved ? h("p", { class: "warning" }, t("This is your account's address, offered to start with. It is not saved yet: Seawall mails early warnings only to addresses you save.")) : null,
      emailsBox, addOne),
    modes, digestBox,
    field({ name: "email_severity_floor", label: t("Which early warnings to mail"),
      value: s.email_severity_floor || "high",
      options: [...SEVERITIES].reverse().map((v) => ({ value: v, label: floorLabel(v) })) }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Save the mail settings"))));
    replace(mailArea, h("h2", { id: "mail-heading", tabindex: "-1" }, t("Mail")), mailStatus, form);
  }

  // --- dialogs ---------------------------------------------------------------------------
  function openDialog(headingId, content, opener, focus) {
    replace(dialog, ...content);
    dialog.setAttribute("aria-labelledby", headingId);
    dialog.showModal();
    (focus || dialog.querySelector("button")).focus();
    dialog.addEventListener("close", () => {
      if (opener?.isConnected) opener.focus();
    }, { once: true });
  }

  function showSecret(hook, rotated, opener) {
    const copied = h("p", { class: "status", role: "status" });
    const secret = data(hook.secret, "code", { class: "secret", tabindex: "0" });
    const copy = h("button", { type: "button", class: "button", onclick: async () => {
      try {
        await navigator.clipboard.writeText(hook.secret);
        copied.textContent = t("Copied.");
      } catch {
        getSelection().selectAllChildren(secret);
        copied.textContent = t("Your browser did not let Seawall copy it: it is selected, press Ctrl+C (⌘C on a Mac) to copy it.");
      }
    } }, t("Copy the secret"));
    const done = h("button", { type: "button", class: "button secondary", onclick: () => dialog.close() },
      t("I have saved it"));
    openDialog("secret-heading", [
      h("h2", { id: "secret-heading" }, rotated ? t("The webhook's new secret") : t("The webhook's secret")),
      h("p", { class: "warning" }, h("strong", {}, t("Copy it now: Seawall shows it only this once.")), " ",
        t("Your receiver checks each request's signature with it. If you lose it, make a new one.")),
      secret,
      rotated && hook.previous_secret_expires_at
        ? h("p", {}, tnodes("Until {time} the old secret signs every request too, next to the new one, so your receiver can switch over without missing any.", { time: timeEl(hook.previous_secret_expires_at) }))
        : null,
      h("div", { class: "actions" }, copy, done), copied], opener, copy);
  }

  function ask(headingId, heading, text, yesLabel, danger, action, opener) {
    const err = h("div", { class: "notice error", role: "alert", hidden: true });
    const no = h("button", { type: "button", class: "button secondary", onclick: () => dialog.close() }, t("Cancel"));
    const yes = h("button", { type: "button", class: danger ? "button danger" : "button", onclick: async () => {
      yes.disabled = true;
      try {
        await action();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        yes.disabled = false;
        replace(err, data(e.problem.detail || e.problem.title, "p"));
        err.hidden = false;
      }
    } }, yesLabel);
    openDialog(headingId, [h("h2", { id: headingId }, heading), ...text, err,
      h("div", { class: "actions" }, yes, no)], opener, no);
  }

  // --- following a delivery until the receiver has answered ------------------------------
  // out: where the state is written (a live region); done(delivery) after each attempt past
  // the since-th and when it is finished.
  async function follow(id, out, done, since = 0) {
    const until = Date.now() + FOLLOW_FOR_MS;
    let seen = since;
    delete out.dataset.waiting;
    while (!gone()) {
      let d;
      try {
        d = await api.get(`/api/v1/deliveries/${encodeURIComponent(id)}`);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        replace(out, data(e.problem.detail || e.problem.title));
        return;
      }
      const last = d.attempt_log?.[0];
      if (d.status === "delivered") {
        replace(out, h("span", { class: "outcome outcome-delivered" }, t("Delivered.")), " ",
          last ? t("Your receiver answered HTTP {code} in {ms} ms.", { code: last.status_code, ms: last.latency_ms }) : null);
        done?.(d);
        return;
      }
      if (d.status !== "pending") {
        replace(out, h("span", { class: "outcome outcome-exhausted" }, statusLabel(d.status)), " ",
          last ? tnodes("Last answer: {answer}.", { answer: answerOf(last.status_code, last.error) }) : null);
        done?.(d);
        return;
      }
      if (seen === since && d.attempts <= since) {
        if (!out.dataset.waiting) {
          out.dataset.waiting = "1";
          replace(out, t("Sent to the delivery queue. Waiting for your receiver…"));
        }
      } else if (d.attempts !== seen) {
        seen = d.attempts;
        if (last) {
          replace(out, h("span", { class: "outcome outcome-retry" }, t("Not delivered yet.")), " ",
            tnodes("Attempt {n}: {answer}. Seawall tries again at {time}.", {
              n: String(d.attempts), answer: answerOf(last.status_code, last.error),
              time: timeEl(d.next_attempt_at) }));
          done?.(d);
        }
      }
      if (Date.now() > until) return;
      await new Promise((r) => { setTimeout(r, FOLLOW_EVERY_MS); });
    }
  }

  // --- webhooks --------------------------------------------------------------------------
  const hooksArea = h("div", { class: "hooks" });
  const hookStatus = h("p", { class: "status", role: "status" });
  async function reloadHooks() {
    webhooks = (await api.get("/api/v1/webhooks")).items || [];
    renderHooks();
  }
  function hookState(w) {
    const s = w.state || {};
    const out = [];
    if (s.disabled_at) out.push(h("li", {}, tnodes("Switched off at {time} after failing for days.", { time: timeEl(s.disabled_at) })));
    if (s.failing_since) {
      out.push(h("li", {}, tnodes("Failing since {time}: {error}", { time: timeEl(s.failing_since),
        error: data(s.last_error || "") })));
    }
    if (s.last_success_at) out.push(h("li", {}, tnodes("Last delivered at {time}.", { time: timeEl(s.last_success_at) })));
    if (w.previous_secret_expires_at && Date.parse(w.previous_secret_expires_at) > Date.now()) {
      out.push(h("li", {}, tnodes("The old secret also signs until {time}.", { time: timeEl(w.previous_secret_expires_at) })));
    }
    return out.length ? h("ul", { class: "hook-state" }, out) : null;
  }
  function renderHooks() {
    const cards = webhooks.map((w) => {
      const live = h("p", { class: "follow", role: "status" });
      const test = h("button", { type: "button", class: "button secondary small", onclick: async () => {
        test.disabled = true;
        let d;
        try {
          d = await api.post(`/api/v1/webhooks/${w.id}/test`);
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          replace(live, data(e.problem.detail || e.problem.title));
          return;
        } finally {
          test.disabled = false;
        }
        await reloadList();
        await follow(d.id, live, () => reloadList());
      } }, t("Send a test event"));
      const rotate = h("button", { type: "button", class: "button secondary small", onclick: (ev) => {
        const opener = ev.currentTarget;
        ask("rotate-heading", t("Make a new secret?"), [
          h("p", {}, tnodes("For {url}.", { url: data(w.url, "strong") })),
          h("p", {}, t("Seawall signs with the new secret from now on. The current one keeps signing for a day as well, so your receiver can change over without missing a request."))],
        t("Make a new secret"), false, async () => {
          const hook = await api.post(`/api/v1/webhooks/${w.id}/rotate`);
          await reloadHooks();
          showSecret(hook, true, hooksArea.querySelector(`[data-hook="${w.id}"] .rotate`));
        }, opener);
      } }, t("Make a new secret"));
      rotate.classList.add("rotate");
      const toggle = h("button", { type: "button", class: "button secondary small toggle", onclick: async () => {
        toggle.disabled = true;
        try {
          await api.patch(`/api/v1/webhooks/${w.id}`, { enabled: !w.enabled });
          await reloadHooks();
          hookStatus.textContent = w.enabled ? t("The webhook is switched off.") : t("The webhook is switched on.");
          hooksArea.querySelector(`[data-hook="${w.id}"] .toggle`)?.focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          toggle.disabled = false;
          replace(live, data(e.problem.detail || e.problem.title));
        }
      } }, w.enabled ? t("Switch off") : t("Switch on"));
      const del = h("button", { type: "button", class: "button secondary small", onclick: (ev) => {
        ask("delete-heading", t("Delete this webhook?"), [
          h("p", {}, data(w.url, "strong")),
          h("p", {}, t("Seawall stops sending to it, and its deliveries still waiting are cancelled."))],
        t("Delete"), true, async () => {
          await api.del(`/api/v1/webhooks/${w.id}`);
          dialog.close();
          await reloadHooks();
          hookStatus.textContent = t("The webhook is deleted.");
          addForm.querySelector("input")?.focus();
        }, ev.currentTarget);
      } }, t("Delete"));
      return h("li", { class: "card hook", "data-hook": w.id },
        h("h3", { class: "card-title" }, data(w.url)),
        w.description ? data(w.description, "p", { class: "card-text" }) : null,
        h("p", { class: "card-meta" },
          h("span", { class: w.enabled ? "state state-ok" : "state state-paused" },
            w.enabled ? t("On") : t("Off")),
          h("span", {}, floorLabel(w.severity_floor || "low"))),
        hookState(w),
        h("div", { class: "actions" }, test, rotate, toggle, del),
        live);
    });
    replace(hooksArea, webhooks.length ? h("ul", { class: "cards" }, cards)
      : h("p", { class: "empty" }, t("No webhooks yet.")));
  }
  const addForm = h("form", { class: "form panel hook-form", novalidate: true, "aria-labelledby": "hook-add-heading",
    onsubmit: async (ev) => {
      ev.preventDefault();
      clearErrors(addForm);
      const f = addForm.elements;
      const body = { url: f.namedItem("url").value.trim(),
        severity_floor: f.namedItem("severity_floor").value };
      const description = f.namedItem("description").value.trim();
      if (description) body.description = description;
      if (!body.url) {
        showErrors(addForm, [{ name: "url", message: t("Enter the address your system receives webhooks at.") }]);
        return;
      }
      busy(addForm, true);
      try {
        const hook = await api.post("/api/v1/webhooks", body);
        addForm.reset();
        await reloadHooks();
        showSecret(hook, false, hooksArea.querySelector(`[data-hook="${hook.id}"] .rotate`));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        const { fields, rest } = errorsByField(e.problem);
        const errors = [];
        for (const [name, items] of fields) {
          for (const x of items) errors.push({ name: f.namedItem(name) ? name : null, message: x.message, api: true });
        }
        for (const m of rest) errors.push({ name: null, message: m, api: true });
        showErrors(addForm, errors, errors.length ? null : data(e.problem.detail || e.problem.title, "p"));
      } finally {
        busy(addForm, false);
      }
    } },
  h("h3", { id: "hook-add-heading" }, t("Add a webhook")),
  summary(),
  field({ name: "url", type: "url", label: t("Address (URL)"), autocomplete: "off",
    hint: t("Where your system receives the requests, e.g. https://erp.example.com/seawall. It must be reachable from the internet.") }),
  field({ name: "description", label: t("Description (optional)"), hint: t("For you, e.g. which system it is.") }),
  field({ name: "severity_floor", label: t("Which early warnings to send"), value: "low",
    options: [...SEVERITIES].reverse().map((v) => ({ value: v, label: floorLabel(v) })) }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Add the webhook"))));

  // --- deliveries and attempts -----------------------------------------------------------
  const listArea = h("div", { class: "deliveries" });
  const listStatus = h("p", { class: "status", role: "status" });
  async function reloadList() {
    list = view === "attempts"
      ? await api.get("/api/v1/delivery-log", { cursor, limit: PAGE })
      : await api.get("/api/v1/deliveries", { cursor, limit: PAGE });
    renderList();
  }
  function deliveryRow(d) {
    const out = h("span", { class: "row-follow", role: "status" });
    const act = async (ev, what) => {
      const b = ev.currentTarget;
      b.disabled = true;
      let again;
      try {
        again = await api.post(`/api/v1/deliveries/${encodeURIComponent(d.id)}/${what}`);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        b.disabled = false;
        listStatus.textContent = e.problem.detail || e.problem.title;
        return;
      }
      listStatus.textContent = what === "retry" ? t("Trying again now.") : t("Sending it again.");
      // What comes after the attempts made so far (a replay may count from none again).
      await follow(d.id, out, async (x) => {
        if (x.status === "pending") return;
        await reloadList();
        listArea.querySelector(`[data-delivery="${d.id}"] th`)?.focus();
        listStatus.textContent = t("{what} to {to}: {status}.", { what: topicLabel(x.topic),
          to: x.url || x.to || "", status: statusLabel(x.status) });
      }, again?.attempts ?? 0);
    };
    return h("tr", { "data-delivery": d.id, "data-status": d.status },
      h("th", { scope: "row", tabindex: "-1", "data-label": t("What") }, topicLabel(d.topic)),
      h("td", { class: "url", "data-label": t("To") }, data(d.url || d.to || "")),
      h("td", { class: "status-cell", "data-label": t("Status") },
        h("span", { class: `outcome outcome-${d.status}` }, statusLabel(d.status)),
        d.status === "pending"
          ? h("button", { type: "button", class: "button secondary small retry", onclick: (ev) => act(ev, "retry") }, t("Retry now"))
          : d.status === "exhausted" || d.status === "cancelled"
            ? h("button", { type: "button", class: "button secondary small replay", onclick: (ev) => act(ev, "replay") }, t("Replay"))
            : null,
        out),
      h("td", { class: "num", "data-label": t("Attempts") }, String(d.attempts ?? 0)),
      h("td", { "data-label": t("Last answer") }, d.attempts ? answerOf(d.last_status_code, d.last_error) : "—"),
      h("td", { class: "when", "data-label": t("When") },
        d.status === "pending" && d.next_attempt_at
          ? tnodes("Next attempt {time}", { time: timeEl(d.next_attempt_at) })
          : d.delivered_at ? timeEl(d.delivered_at)
            : d.last_attempt_at ? timeEl(d.last_attempt_at) : timeEl(d.created_at)));
  }
  function attemptRow(a) {
    const at = logTime(a.log_id);
    return h("tr", { "data-log": a.log_id },
      h("th", { scope: "row", class: "when", "data-label": t("Time") }, at ? timeEl(at) : "—"),
      h("td", { class: "url", "data-label": t("To") }, data(a.target || "")),
      h("td", { class: "num", "data-label": t("Attempt") }, String(a.attempt)),
      h("td", { "data-label": t("Outcome") },
        h("span", { class: `outcome outcome-${a.outcome}` }, statusLabel(a.outcome))),
      h("td", { class: "num", "data-label": t("Status code") }, a.status_code ? String(a.status_code) : "—"),
      h("td", { class: "num", "data-label": t("Time taken") }, t("{ms} ms", { ms: a.latency_ms ?? 0 })),
      h("td", { "data-label": t("Error") }, a.error ? data(a.error) : "—"));
  }
  function renderList() {
    const attempts = view === "attempts";
    const head = attempts
      ? [t("Time"), t("To"), t("Attempt"), t("Outcome"), t("Status code"), t("Time taken"), t("Error")]
      : [t("What"), t("To"), t("Status"), t("Attempts"), t("Last answer"), t("When")];
    const pager = cursor || list.next ? h("nav", { class: "pager", "aria-label": t("Pages") },
      cursor ? h("a", { href: address({ log: attempts ? "attempts" : "" }) }, t("First page")) : null,
      list.next ? h("a", { href: address({ log: attempts ? "attempts" : "", cursor: list.next }),
        class: "pager-older", rel: "next" }, t("Next page")) : null) : null;
    replace(listArea,
      list.items.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "data-table delivery-table" },
          h("caption", { class: "visually-hidden" }, attempts ? t("Every attempt") : t("Deliveries")),
          h("thead", {}, h("tr", {}, head.map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, list.items.map(attempts ? attemptRow : deliveryRow))))
        : h("p", { class: "empty" }, t("Nothing has been delivered yet.")),
      pager);
  }

  renderMail(settings);
  renderHooks();
  renderList();
  const page = h("div", { class: "page channels" },
    h("h1", { tabindex: "-1" }, t("Delivery channels")),
    h("p", { class: "lead" }, t("Where your early warnings go besides your inbox: by mail, and to your own systems by webhook.")),
    h("section", { class: "panel", "aria-labelledby": "mail-heading" }, mailArea),
    h("section", { "aria-labelledby": "hooks-heading" },
      h("h2", { id: "hooks-heading" }, t("Webhooks")),
      h("p", {}, t("Seawall can send each early warning to your own system as a signed HTTPS request (Standard Webhooks): an ERP, a ticket system or a chat bot.")),
      hookStatus, hooksArea, addForm),
    h("section", { "aria-labelledby": "log-heading" },
      h("h2", { id: "log-heading" }, t("Delivery log")),
      h("nav", { class: "views", "aria-label": t("Delivery log") }, h("ul", {},
        h("li", {}, h("a", { href: address({}), "aria-current": view === "deliveries" ? "page" : null }, t("Deliveries"))),
        h("li", {}, h("a", { href: address({ log: "attempts" }), "aria-current": view === "attempts" ? "page" : null }, t("Every attempt"))))),
      listStatus, listArea),
    dialog);
  return page;
}
