// app/channels.js — how early warnings reach the exporter: the language and time zone of
// everything Seawall writes to the company (the API's defaults shown as such, with where they
// come from); mail (addresses, at once or in a daily digest at an hour of the company's zone or
// one of its own, from which severity); channels — the company's own system by webhook (its
// secret shown once, a new secret with the old one signing a while longer) or a WeCom,
// DingTalk or Feishu group's robot (the platform's signing secret, for DingTalk and Feishu) —
// switched off and on, deleted, a test event followed until the receiver answered; and what
// was delivered (the deliveries, or every attempt: paged; "retry now" for a pending delivery,
// "replay" for one that gave up). Three API requests besides the session.
import { SEVERITIES } from "../../components/sw-severity.js";
import * as api from "../../lib/api.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { timeEl } from "../../lib/format.js";
import { busy, clearErrors, field, showErrors, summary } from "../../lib/forms.js";
import { LANGUAGES, t, tnodes } from "../../lib/i18n.js";
import { errorsByField } from "../../lib/portfolio.js";
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

// What the receiver answered in an attempt (or the delivery's latest one): the error when
// there is one (a messenger platform refuses with HTTP 200 and says why in its body), else
// the status code.
function answerOf(code, error) {
  if (error) return data(error);
  if (code) return t("HTTP {code}", { code });
  return "—";
}

// --- the kinds of channel ------------------------------------------------------------------
const KINDS = ["generic", "wecom", "dingtalk", "feishu"];
const SIGNED_KINDS = ["dingtalk", "feishu"];   // robots that may sign with the platform's secret

// A channel's kind as the list names it.
function kindName(kind) {
  switch (kind) {
    case "wecom": return t("WeCom group robot");
    case "dingtalk": return t("DingTalk group robot");
    case "feishu": return t("Feishu (Lark) group robot");
    default: return t("Webhook");
  }
}

// A kind as the add form offers it: the name, and one line on what it is.
function kindChoice(kind) {
  switch (kind) {
    case "wecom": return [t("WeCom (企业微信) group robot"), t("Messages in a WeCom group chat.")];
    case "dingtalk": return [t("DingTalk (钉钉) group robot"), t("Messages in a DingTalk group.")];
    case "feishu": return [t("Feishu / Lark (飞书) group robot"), t("Messages in a Feishu or Lark group.")];
    default: return [t("Your own system (webhook)"), t("A signed HTTPS request to your ERP, ticket system or chat bot.")];
  }
}

// Where a kind's URL is found, for the add form's URL field.
function kindHelp(kind) {
  switch (kind) {
    case "wecom": return t("In the WeCom group chat: ··· (top right) → 群机器人 (group robots) → 添加机器人 (add a robot). Copy the robot's webhook address, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…. The key in it lets anyone who has the address post to the group: keep it as you would a password.");
    case "dingtalk": return t("In the DingTalk group: 群设置 (group settings) → 机器人 (robots) → 添加机器人 (add a robot) → 自定义 (custom, by webhook). Under 安全设置 (security settings) choose 加签 (additional signature) and paste its secret below, or 自定义关键词 (custom keywords) with the keyword Seawall. Then copy the webhook address, https://oapi.dingtalk.com/robot/send?access_token=….");
    case "feishu": return t("In the Feishu or Lark group: 设置 (settings) → 群机器人 (bots) → 添加机器人 (add a bot) → 自定义机器人 (custom bot). Copy its webhook address, https://open.feishu.cn/open-apis/bot/v2/hook/… (Lark: https://open.larksuite.com/open-apis/bot/v2/hook/…). If you switch on 签名校验 (signature verification), paste its secret below.");
    default: return t("Where your system receives the requests, e.g. https://erp.example.com/seawall. It must be reachable from the internet.");
  }
}

// The signing secret field's hint for a robot that can sign.
function secretHelp(kind) {
  return kind === "dingtalk"
    ? t("Only if the robot uses 加签 (additional signature): the secret DingTalk shows there, starting with SEC. Seawall signs every message with it.")
    : t("Only if the robot has 签名校验 (signature verification) switched on: the secret Feishu shows there. Seawall signs every message with it.");
}

const isRobot = (w) => (w.kind || "generic") !== "generic";

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

// A language's own name, in that language (marked, as it is the same on every page).
function langName(code) {
  const l = LANGUAGES.find((x) => x.code === code);
  return h("span", { lang: code }, l ? l.name : code);
}

// Where a default language or zone comes from (the API's "defaults"), in a sentence.
function defaultNote(what, from, value) {
  if (what === "lang") {
    switch (from) {
      case "person": return tnodes("Not chosen yet, so Seawall uses the language of the person who signed your company up: {value}.", { value });
      case "country": return tnodes("Not chosen yet, so Seawall uses the language for a company in China: {value}.", { value });
      default: return tnodes("Not chosen yet, so Seawall uses its own default: {value}.", { value });
    }
  }
  switch (from) {
    case "person": return tnodes("Not chosen yet, so Seawall uses the time zone of the person who signed your company up: {value}.", { value });
    case "country": return tnodes("Not chosen yet, so Seawall uses China's time zone: {value}.", { value });
    default: return tnodes("Not chosen yet, so Seawall uses its own default: {value}.", { value });
  }
}

// A form's API problem shown at its fields (the rest in its summary).
function showApiProblem(form, e, at = (name) => name) {
  const f = form.elements;
  const { fields, rest } = errorsByField(e.problem);
  const errors = [];
  for (const [name, items] of fields) {
    for (const x of items) {
      const target = at(name, x.index);
      errors.push({ name: target && f.namedItem(target)?.id ? target : null, message: x.message, api: true });
    }
  }
  for (const m of rest) errors.push({ name: null, message: m, api: true });
  showErrors(form, errors, errors.length ? null : data(e.problem.detail || e.problem.title, "p"));
}

export default async function channels(ctx) {
  await loadStyle("portfolio");
  const view = ctx.query.get("log") === "attempts" ? "attempts" : "deliveries";
  const cursor = ctx.query.get("cursor") || "";
  const [loaded, hooks, first] = await Promise.all([
    api.get("/api/v1/delivery"),
    api.get("/api/v1/webhooks"),
    view === "attempts"
      ? api.get("/api/v1/delivery-log", { cursor, limit: PAGE })
      : api.get("/api/v1/deliveries", { cursor, limit: PAGE })]);
  let settings = loaded;   // the delivery settings as the API last answered them
  let list = first;
  let webhooks = hooks.items || [];
  // One dialog for the secret and the confirmations; opening it replaces what it showed, and
  // closing it empties it (a secret is shown once, and then is gone from the page).
  const dialog = h("dialog", { class: "sheet" });
  dialog.addEventListener("close", () => dialog.replaceChildren());
  const gone = () => !dialog.isConnected;   // the page was left: following stops

  // --- language and time zone ------------------------------------------------------------
  const langArea = h("div");
  const langStatus = h("p", { class: "status", role: "status" });
  function renderLang(s) {
    const defaults = s.defaults || {};
    const langGroup = uid("lang");
    const langNote = defaults.lang ? h("p", { class: "hint default-note", id: `${langGroup}-note` },
      defaultNote("lang", defaults.lang, langName(s.lang))) : null;
    const langs = h("fieldset", { class: "modes langs", "aria-describedby": langNote ? langNote.id : null },
      h("legend", {}, t("Language of early warnings and mail")),
      LANGUAGES.map((l) => {
        const id = `${langGroup}-${l.code}`;
        return h("div", { class: "choice" },
          h("input", { type: "radio", name: "lang", id, value: l.code, checked: l.code === s.lang }),
          h("label", { for: id, lang: l.code }, l.name));
      }),
      langNote);
    const zone = field({ name: "tz", label: t("Time zone"), value: s.tz,
      hint: defaults.tz ? defaultNote("tz", defaults.tz, data(s.tz)) : t("Dates and times in mail and messages are given in this zone."),
      options: zones(s.tz).map((z) => ({ value: z, label: z, intl: true })) });
    zone.querySelector(".hint")?.classList.toggle("default-note", Boolean(defaults.tz));
    const save = async (body, done) => {
      clearErrors(form);
      busy(form, true);
      try {
        settings = await api.patch("/api/v1/delivery", body);
        renderLang(settings);
        followZone(settings);
        langStatus.textContent = done;
        langArea.querySelector("h2")?.focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showApiProblem(form, e);
      } finally {
        busy(form, false);
      }
    };
    const chosen = !defaults.lang || !defaults.tz;
    const form = h("form", { class: "form lang-form", novalidate: true, "aria-labelledby": "lang-heading",
      onsubmit: (ev) => {
        ev.preventDefault();
        const f = form.elements;
        save({ lang: f.namedItem("lang").value, tz: f.namedItem("tz").value },
          t("The language and time zone are saved."));
      } },
    summary(), langs, zone,
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, t("Save the language and time zone")),
      chosen ? h("button", { type: "button", class: "button secondary defaults", onclick: () => save(
        { lang: null, tz: null }, t("Seawall's defaults apply again.")) }, t("Use the defaults again")) : null));
    replace(langArea, h("h2", { id: "lang-heading", tabindex: "-1" }, t("Language and time zone")),
      h("p", {}, t("Mail, digests, group robot messages and webhook summaries to your company are written in this language, with times in this zone. The pages you read follow your own account's settings.")),
      langStatus, form);
  }

  // --- mail ------------------------------------------------------------------------------
  const mailArea = h("div");
  const mailStatus = h("p", { class: "status", role: "status" });
  let mailEdited = false;   // the mail form holds changes not saved yet
  // The digest zone's first choice: the company's zone, whatever it is (digest_tz unset).
  const followLabel = (s) => t("Your company's time zone ({zone})", { zone: s.tz });
  // After the language and zone were saved: the mail form shows what follows from them, or
  // (while it holds changes) at least the zone the digest follows.
  function followZone(s) {
    if (!mailEdited) {
      renderMail(s);
      return;
    }
    const first = mailArea.querySelector("select[name=digest_tz] option[value='']");
    if (first) first.textContent = followLabel(s);
  }
  function renderMail(s) {
    const neverSaved = s.emails_default === true;
    const mode = s.email_mode || "immediate";
    const follows = s.defaults?.digest_tz === "tz";
    mailEdited = false;
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
      field({ name: "digest_tz", label: t("Time zone of the digest"), value: follows ? "" : s.digest_tz,
        hint: t("The digest comes at that hour in this zone: your company's, unless you choose another."),
        options: [{ value: "", label: followLabel(s) },
          ...zones(follows ? null : s.digest_tz).map((z) => ({ value: z, label: z, intl: true }))] }),
      s.next_digest_at ? h("p", {}, tnodes("The next digest comes at {time}.", { time: timeEl(s.next_digest_at) })) : null);
    const form = h("form", { class: "form mail-form", novalidate: true, "aria-labelledby": "mail-heading",
      oninput: () => { mailEdited = true; },
      onchange: () => { mailEdited = true; },
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
        };
        // The company's zone: the digest follows it (a zone of its own chosen before is let
        // go); another: the digest's own.
        const digestZone = f.namedItem("digest_tz").value;
        if (digestZone) body.digest_tz = digestZone;
        else if (!follows) body.digest_tz = null;
        // An emptied row is left out; the server's /emails/N counts the addresses sent.
        const at = emails.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
        busy(form, true);
        try {
          settings = await api.patch("/api/v1/delivery", body);
          renderMail(settings);
          mailStatus.textContent = t("Your mail settings are saved.");
          mailArea.querySelector("h2")?.focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showApiProblem(form, e, (name, index) => (name === "emails" && index !== null
            ? `emails-${at[index]}` : name));
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
  // the since-th, when a robot's rate limit holds it back, and when it is finished. A group
  // robot's delivery is worded as the robot's.
  async function follow(id, out, done, since = 0) {
    let held = false;
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
      const robot = d.channel && d.channel !== "generic";
      if (d.status === "delivered") {
        replace(out, h("span", { class: "outcome outcome-delivered" }, t("Delivered.")), " ",
          !last ? null : robot ? t("The group's robot took the message in {ms} ms.", { ms: last.latency_ms })
            : t("Your receiver answered HTTP {code} in {ms} ms.", { code: last.status_code, ms: last.latency_ms }));
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
        if (d.waiting_for === "rate_limit" && !held) {
          held = true;
          replace(out, t("Held back by the platform's limit on how often a robot may post: it goes out as soon as there is room."));
          done?.(d);
        } else if (!out.dataset.waiting) {
          out.dataset.waiting = "1";
          replace(out, robot ? t("Sent to the delivery queue. Waiting for the group's robot…")
            : t("Sent to the delivery queue. Waiting for your receiver…"));
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

  // --- channels: webhooks and group robots -----------------------------------------------
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

  // A DingTalk or Feishu robot's signing secret: the platform's, set, changed or taken away
  // (PATCH secret; null: the robot no longer signs).
  function editSecret(w, opener) {
    const err = summary();
    const save = async (secret, said) => {
      clearErrors(form);
      busy(form, true);
      try {
        await api.patch(`/api/v1/webhooks/${w.id}`, { secret });
        dialog.close();
        await reloadHooks();
        hookStatus.textContent = said;
        hooksArea.querySelector(`[data-hook="${w.id}"] .sign`)?.focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showApiProblem(form, e);
      } finally {
        busy(form, false);
      }
    };
    const form = h("form", { class: "form", novalidate: true, "aria-labelledby": "sign-heading",
      onsubmit: (ev) => {
        ev.preventDefault();
        const secret = form.elements.namedItem("secret").value.trim();
        if (!secret) {
          showErrors(form, [{ name: "secret", message: t("Paste the secret the platform shows.") }]);
          return;
        }
        save(secret, t("The signing secret is saved."));
      } },
    err,
    field({ name: "secret", label: t("Signing secret"), autocomplete: "off", spellcheck: "false",
      hint: secretHelp(w.kind) }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button" }, t("Save the secret")),
      w.signed ? h("button", { type: "button", class: "button secondary", onclick: () => save(null,
        t("The robot's messages are no longer signed.")) }, t("Stop signing")) : null,
      h("button", { type: "button", class: "button secondary", onclick: () => dialog.close() }, t("Cancel"))));
    openDialog("sign-heading", [
      h("h2", { id: "sign-heading" }, t("The robot's signing secret")),
      h("p", {}, data(w.url, "strong")),
      h("p", {}, w.signed ? t("Seawall signs this robot's messages with a secret. A new one replaces it at once, so change it here when you change it in the group.")
        : t("This robot's messages are not signed.")),
      form], opener, form.querySelector("input"));
  }

  function renderHooks() {
    const cards = webhooks.map((w) => {
      const robot = isRobot(w);
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
      } }, robot ? t("Send a test message") : t("Send a test event"));
      test.classList.add("test");
      // A generic endpoint's secret is Seawall's (a new one, with an overlap); a DingTalk or
      // Feishu robot's is the platform's (set here); a WeCom robot's key is in its URL.
      let secretButton = null;
      if (!robot) {
        secretButton = h("button", { type: "button", class: "button secondary small rotate", onclick: (ev) => {
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
      } else if (SIGNED_KINDS.includes(w.kind)) {
        secretButton = h("button", { type: "button", class: "button secondary small sign",
          onclick: (ev) => editSecret(w, ev.currentTarget) }, t("Signing secret"));
      }
      const toggle = h("button", { type: "button", class: "button secondary small toggle", onclick: async () => {
        toggle.disabled = true;
        try {
          await api.patch(`/api/v1/webhooks/${w.id}`, { enabled: !w.enabled });
          await reloadHooks();
          hookStatus.textContent = w.enabled
            ? robot ? t("The group robot is switched off.") : t("The webhook is switched off.")
            : robot ? t("The group robot is switched on.") : t("The webhook is switched on.");
          hooksArea.querySelector(`[data-hook="${w.id}"] .toggle`)?.focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          toggle.disabled = false;
          replace(live, data(e.problem.detail || e.problem.title));
        }
      } }, w.enabled ? t("Switch off") : t("Switch on"));
      const del = h("button", { type: "button", class: "button secondary small delete", onclick: (ev) => {
        ask("delete-heading", robot ? t("Delete this group robot?") : t("Delete this webhook?"), [
          h("p", {}, data(w.url, "strong")),
          h("p", {}, robot ? t("Seawall stops posting to the group, and its deliveries still waiting are cancelled. The robot stays in the group until you remove it there.")
            : t("Seawall stops sending to it, and its deliveries still waiting are cancelled."))],
        t("Delete"), true, async () => {
          await api.del(`/api/v1/webhooks/${w.id}`);
          dialog.close();
          await reloadHooks();
          hookStatus.textContent = robot ? t("The group robot is deleted.") : t("The webhook is deleted.");
          addForm.querySelector("input")?.focus();
        }, ev.currentTarget);
      } }, t("Delete"));
      return h("li", { class: "card hook", "data-hook": w.id, "data-kind": w.kind || "generic" },
        h("h3", { class: "card-title" }, data(w.url)),
        w.description ? data(w.description, "p", { class: "card-text" }) : null,
        h("p", { class: "card-meta" },
          h("span", { class: "channel-kind" }, kindName(w.kind)),
          h("span", { class: w.enabled ? "state state-ok" : "state state-paused" },
            w.enabled ? t("On") : t("Off")),
          SIGNED_KINDS.includes(w.kind)
            ? h("span", { class: "signed" }, w.signed ? t("Signed with the platform's secret") : t("Not signed"))
            : null,
          h("span", {}, floorLabel(w.severity_floor || "low"))),
        hookState(w),
        h("div", { class: "actions" }, test, secretButton, toggle, del),
        live);
    });
    replace(hooksArea, webhooks.length ? h("ul", { class: "cards" }, cards)
      : h("p", { class: "empty" }, t("No webhooks or group robots yet.")));
  }

  // Adding a channel: its kind first; the URL field's help says where that kind's address is
  // found, and DingTalk and Feishu robots get the field for the platform's signing secret.
  const kindGroup = uid("kind");
  const urlField = field({ name: "url", type: "url", label: t("Address (URL)"), autocomplete: "off",
    spellcheck: "false", hint: kindHelp("generic") });
  const secretField = field({ name: "secret", label: t("Signing secret (optional)"), autocomplete: "off",
    spellcheck: "false", hint: secretHelp("dingtalk") });
  const addButton = h("button", { type: "submit", class: "button" }, t("Add the webhook"));
  function chooseKind(kind) {
    const robot = kind !== "generic";
    replace(urlField.querySelector(".hint"), kindHelp(kind));
    urlField.querySelector("label").textContent = robot ? t("The robot's webhook address") : t("Address (URL)");
    secretField.hidden = !SIGNED_KINDS.includes(kind);
    if (!secretField.hidden) replace(secretField.querySelector(".hint"), secretHelp(kind));
    addButton.textContent = robot ? t("Add the group robot") : t("Add the webhook");
  }
  const kinds = h("fieldset", { class: "modes kinds" },
    h("legend", {}, t("What to add")),
    KINDS.map((k) => {
      const id = `${kindGroup}-${k}`;
      const [name, what] = kindChoice(k);
      return h("div", { class: "choice" },
        h("input", { type: "radio", name: "kind", id, value: k, checked: k === "generic",
          "aria-describedby": `${id}-hint`, onchange: () => { clearErrors(addForm); chooseKind(k); } }),
        h("label", { for: id }, name),
        h("p", { class: "hint", id: `${id}-hint` }, what));
    }));
  const addForm = h("form", { class: "form panel hook-form", novalidate: true, "aria-labelledby": "hook-add-heading",
    onsubmit: async (ev) => {
      ev.preventDefault();
      clearErrors(addForm);
      const f = addForm.elements;
      const kind = f.namedItem("kind").value || "generic";
      const body = { kind, url: f.namedItem("url").value.trim(),
        severity_floor: f.namedItem("severity_floor").value };
      const description = f.namedItem("description").value.trim();
      if (description) body.description = description;
      const secret = f.namedItem("secret").value.trim();
      if (secret && SIGNED_KINDS.includes(kind)) body.secret = secret;
      if (!body.url) {
        showErrors(addForm, [{ name: "url", message: kind === "generic"
          ? t("Enter the address your system receives webhooks at.")
          : t("Paste the robot's webhook address from the group's settings.") }]);
        return;
      }
      busy(addForm, true);
      try {
        const hook = await api.post("/api/v1/webhooks", body);
        addForm.reset();
        chooseKind("generic");
        await reloadHooks();
        if (kind === "generic") {
          showSecret(hook, false, hooksArea.querySelector(`[data-hook="${hook.id}"] .rotate`));
        } else {
          hookStatus.textContent = t("The group robot is added. Send a test message to see it arrive in the group.");
          hooksArea.querySelector(`[data-hook="${hook.id}"] .test`)?.focus();
        }
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showApiProblem(addForm, e);
      } finally {
        busy(addForm, false);
      }
    } },
  h("h3", { id: "hook-add-heading" }, t("Add a channel")),
  summary(),
  kinds,
  urlField,
  secretField,
  field({ name: "description", label: t("Description (optional)"), hint: t("For you, e.g. which system or group it is.") }),
  field({ name: "severity_floor", label: t("Which early warnings to send"), value: "low",
    options: [...SEVERITIES].reverse().map((v) => ({ value: v, label: floorLabel(v) })) }),
  h("div", { class: "form-actions" }, addButton));
  secretField.hidden = true;

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
      h("td", { class: "url", "data-label": t("To") }, data(d.url || d.to || ""),
        d.channel && d.channel !== "generic" ? h("span", { class: "channel" }, kindName(d.channel)) : null),
      h("td", { class: "status-cell", "data-label": t("Status") },
        h("span", { class: `outcome outcome-${d.status}` }, statusLabel(d.status)),
        d.status === "pending" && d.waiting_for === "rate_limit"
          ? h("span", { class: "waiting" }, t("Waiting for the robot's rate limit")) : null,
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

  renderLang(settings);
  renderMail(settings);
  renderHooks();
  renderList();
  const page = h("div", { class: "page channels" },
    h("h1", { tabindex: "-1" }, t("Delivery channels")),
    h("p", { class: "lead" }, t("Where your early warnings go besides your inbox: by mail, to your team's WeCom, DingTalk or Feishu groups, and to your own systems by webhook.")),
    h("section", { class: "panel lang-panel", "aria-labelledby": "lang-heading" }, langArea),
    h("section", { class: "panel mail-panel", "aria-labelledby": "mail-heading" }, mailArea),
    h("section", { "aria-labelledby": "hooks-heading" },
      h("h2", { id: "hooks-heading" }, t("Group robots and webhooks")),
      h("p", {}, t("Seawall can post each early warning to a WeCom (企业微信), DingTalk (钉钉) or Feishu/Lark (飞书) group through the group's robot, or send it to your own system as a signed HTTPS request (Standard Webhooks). Each has its own severity, a test button, retries and the delivery log below.")),
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
