// app/account.js — what every person keeps for themselves: name, language and time zone
// (PATCH /api/v1/me), the password, the TOTP second factor (set up with the secret and its
// otpauth URI as text and as a QR code drawn here), the sessions signed in (end one), personal
// API tokens (the secret shown once) and the audit log. Three API requests besides the session.
import "../../components/sw-account-qr.js";
import * as api from "../../lib/api.js";
import { h, data, replace, uid } from "../../lib/dom.js";
import { timeEl } from "../../lib/format.js";
import { busy, check, field, showErrors, showProblem, summary, values } from "../../lib/forms.js";
import { LANGUAGES, current, setZone, t, tnodes } from "../../lib/i18n.js";

const AUDIT_PAGE = 20;

const EVENTS = {
  "sign-in": () => t("Signed in"),
  "sign-in-failed": () => t("Sign-in failed"),
  "sign-out": () => t("Signed out"),
  "session-ended": () => t("A session was ended"),
  "password-changed": () => t("Password changed"),
  "password-change-failed": () => t("Password change refused"),
  "password-reset": () => t("Password reset by mail"),
  "password-reset-requested": () => t("Password reset asked for"),
  "profile-changed": () => t("Name, language or time zone changed"),
  "totp-enabled": () => t("Second factor turned on"),
  "totp-disabled": () => t("Second factor turned off"),
  "signed-up": () => t("Account created"),
  "invitation-sent": () => t("Invitation sent"),
  "invitation-revoked": () => t("Invitation revoked"),
  "invitation-accepted": () => t("Invitation accepted"),
  "token-created": () => t("API token created"),
  "token-revoked": () => t("API token revoked"),
  "association-consent": () => t("What an association may see was chosen"),
  "association-left": () => t("Left an association, or declined its invitation"),
};

const EXPIRY = [
  { value: "", label: () => t("Never") },
  { value: String(7 * 86400), label: () => t("In 7 days") },
  { value: String(30 * 86400), label: () => t("In 30 days") },
  { value: String(90 * 86400), label: () => t("In 90 days") },
  { value: String(365 * 86400), label: () => t("In a year") },
];

function section(id, title, ...children) {
  return h("section", { "aria-labelledby": id, class: "account-section", id: `${id}-section` },
    h("h2", { id }, title), ...children);
}

function zones(selected) {
  let list = [];
  try {
    list = Intl.supportedValuesOf("timeZone");
  } catch {
    list = [];
  }
  if (!list.includes("UTC")) list = ["UTC", ...list];
  if (selected && !list.includes(selected)) list = [selected, ...list];
  return list.map((z) => ({ value: z, label: z, intl: true }));
}

// --- profile: name, language, time zone ------------------------------------------------------

function profile(person, ctx) {
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/app/account",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { name: t("Enter your name") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      busy(form, true);
      try {
        const changed = await api.patch("/api/v1/me", { name: v.name.trim(), lang: v.lang, tz: v.tz });
        Object.assign(person, changed || { name: v.name.trim(), lang: v.lang, tz: v.tz });
        setZone(person.tz);
        if (person.lang !== current()) {
          document.dispatchEvent(new CustomEvent("sw-lang", { detail: person.lang }));
        } else {
          ctx.navigate("/app/account?saved=profile", { replace: true });
        }
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "name", label: t("Your name"), value: person.name || "", autocomplete: "name", maxlength: 200 }),
  field({ name: "lang", label: t("Language for Seawall and its mail"), value: person.lang || current(),
    options: LANGUAGES.map((l) => ({ value: l.code, label: l.name, intl: true })) }),
  field({ name: "tz", label: t("Time zone"), value: person.tz || "UTC", options: zones(person.tz),
    hint: t("Dates, times and deadlines are shown in this zone.") }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Save"))));
  return section("profile", t("Name, language and time zone"),
    h("p", {}, tnodes("You sign in as {email}.", { email: data(person.email, "strong") })), form);
}

// --- password --------------------------------------------------------------------------------

function password() {
  const done = h("p", { class: "notice success", role: "status", hidden: true });
  const form = h("form", { class: "form", novalidate: true, method: "post", action: "/app/account",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { current: t("Enter your current password"), new: t("Choose a new password") });
      const v = values(form);
      if (!errors.length && v.new !== v.confirm) {
        errors.push({ name: "confirm", message: t("The two passwords are not the same") });
      }
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      busy(form, true);
      try {
        await api.post("/api/v1/me/password", { current: v.current, new: v.new });
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        done.textContent = t("Your password has been changed. Your other sessions have been ended.");
        done.hidden = false;
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "current", type: "password", label: t("Current password"), autocomplete: "current-password" }),
  field({ name: "new", type: "password", label: t("New password"), autocomplete: "new-password",
    hint: t("At least 10 characters. Use a long password that you use nowhere else.") }),
  field({ name: "confirm", type: "password", label: t("The new password again"), autocomplete: "new-password" }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Change the password"))));
  return section("password", t("Password"), done, form);
}

// --- the second factor -----------------------------------------------------------------------

function codeField() {
  return field({ name: "code", label: t("The 6-digit code your app shows"), inputmode: "numeric",
    autocomplete: "one-time-code", maxlength: 6, pattern: "[0-9]{6}" });
}

function codeErrors(form) {
  const code = String(values(form).code || "").trim();
  return /^[0-9]{6}$/.test(code) ? [] : [{ name: "code", message: t("Enter the 6 digits of the code") }];
}

function secondFactor(person) {
  const box = h("div", { class: "totp" });
  const status = h("p", { class: "visually-hidden", role: "status" });

  function showOn() {
    const off = person.role === "admin" ? h("p", {}, t("Administrators must keep a second factor."))
      : h("form", { class: "form", novalidate: true, method: "post", action: "/app/account",
        onsubmit: async (ev) => {
          ev.preventDefault();
          const errors = codeErrors(off);
          if (errors.length) {
            showErrors(off, errors);
            return;
          }
          busy(off, true);
          try {
            await api.del("/api/v1/me/totp", { body: { code: values(off).code.trim() } });
            person.totp_enabled = false;
            status.textContent = t("The second factor is off.");
            showOff();
          } catch (e) {
            if (!(e instanceof api.ApiError)) throw e;
            showProblem(off, e.problem);
            busy(off, false);
          }
        } },
      summary(), h("p", {}, t("To turn it off, enter a current code.")), codeField(),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button secondary" },
        t("Turn the second factor off"))));
    replace(box, h("p", { class: "totp-state" }, h("strong", {}, t("On.")), " ",
      t("Signing in asks for a code from your authenticator app.")), off);
  }

  function showOff() {
    const start = h("button", { type: "button", class: "button", onclick: async () => {
      start.disabled = true;
      try {
        showSetup(await api.post("/api/v1/me/totp", {}));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        start.disabled = false;
        status.textContent = e.problem.detail || e.problem.title;
        replace(problem, data(e.problem.detail || e.problem.title));
        problem.hidden = false;
      }
    } }, t("Set up a second factor"));
    const problem = h("p", { class: "notice error", hidden: true });
    replace(box,
      person.role === "admin" ? h("div", { class: "notice error", role: "alert" },
        h("p", {}, t("Administrators must use a second factor: set it up now."))) : null,
      h("p", { class: "totp-state" }, h("strong", {}, t("Off.")), " ",
        t("A code from an authenticator app on your phone, asked for at each sign-in, keeps your account safe even if your password is stolen.")),
      problem, start);
  }

  function showSetup(setup) {
    const qr = h("sw-account-qr", { class: "qr" });
    qr.label = t("QR code for your authenticator app");
    qr.text = setup.otpauth_uri;
    const groups = setup.secret.match(/.{1,4}/g).join(" ");
    const form = h("form", { class: "form", novalidate: true, method: "post", action: "/app/account",
      onsubmit: async (ev) => {
        ev.preventDefault();
        const errors = codeErrors(form);
        if (errors.length) {
          showErrors(form, errors);
          return;
        }
        busy(form, true);
        try {
          await api.post("/api/v1/me/totp/confirm", { code: values(form).code.trim() });
          person.totp_enabled = true;
          status.textContent = t("The second factor is on.");
          showOn();
          box.querySelector(".totp-state").focus();
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          showProblem(form, e.problem);
          busy(form, false);
        }
      } },
    summary(), codeField(),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Turn the second factor on"))));
    replace(box,
      h("ol", { class: "steps totp-steps" },
        h("li", {}, h("p", {}, t("Scan this QR code with your authenticator app:")), qr),
        h("li", {}, h("p", {}, t("Or enter this key in the app by hand:")),
          h("p", {}, h("code", { class: "totp-secret", "data-text": "api", "data-secret": setup.secret }, groups)),
          h("details", {}, h("summary", {}, t("Show the setup address (otpauth URI)")),
            h("p", {}, h("code", { class: "totp-uri", "data-text": "api" }, setup.otpauth_uri)))),
        h("li", {}, h("p", {}, t("Enter the code the app shows to turn the second factor on.")), form)));
    form.querySelector("input").focus();
  }

  box.tabIndex = -1;
  if (person.totp_enabled) showOn();
  else showOff();
  return section("totp", t("Second factor"), status, box);
}

// --- sessions --------------------------------------------------------------------------------

function sessions(list) {
  const status = h("p", { class: "visually-hidden", role: "status" });
  const body = h("tbody", {}, list.map((s) => {
    const end = s.current ? h("strong", { class: "badge" }, t("This session"))
      : h("button", { type: "button", class: "button secondary", onclick: async () => {
        end.disabled = true;
        try {
          await api.del(`/api/v1/me/sessions/${encodeURIComponent(s.id)}`);
          row.remove();
          status.textContent = t("The session has been ended.");
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          end.disabled = false;
          status.textContent = e.problem.detail || e.problem.title;
        }
      } }, t("End it"), h("span", { class: "visually-hidden" }, " ", data(s.user_agent || s.id)));
    const row = h("tr", { "data-session": s.id, class: s.current ? "current" : null },
      h("th", { scope: "row" }, s.user_agent ? data(s.user_agent, "span", { class: "agent" })
        : t("Unknown browser")),
      h("td", { "data-label": t("Address") }, data(s.address || "—")),
      h("td", { "data-label": t("Signed in") }, s.created_at ? timeEl(s.created_at) : "—"),
      h("td", { "data-label": t("Last used") }, s.last_seen_at ? timeEl(s.last_seen_at) : "—"),
      h("td", {}, end));
    return row;
  }));
  return section("sessions", t("Where you are signed in"),
    h("p", {}, t("End any session you do not recognise, then change your password.")),
    status,
    h("div", { class: "table-wrap" }, h("table", { class: "ws-table sessions" },
      h("caption", { class: "visually-hidden" }, t("Where you are signed in")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Browser")), h("th", { scope: "col" }, t("Address")),
        h("th", { scope: "col" }, t("Signed in")), h("th", { scope: "col" }, t("Last used")),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
      body)));
}

// --- API tokens ------------------------------------------------------------------------------

function tokens(page, problem) {
  const status = h("p", { class: "visually-hidden", role: "status" });
  const secretBox = h("div", { class: "notice success token-secret", hidden: true, tabindex: "-1" });
  const body = h("tbody");
  const empty = h("p", { class: "empty" }, t("You have no API tokens."));
  const wrap = h("div", { class: "table-wrap" });

  function row(tk) {
    const revoked = Boolean(tk.revoked_at);
    const revoke = revoked ? h("span", { class: "muted" }, t("Revoked"))
      : h("button", { type: "button", class: "button secondary", onclick: async () => {
        revoke.disabled = true;
        try {
          const after = await api.del(`/api/v1/tokens/${encodeURIComponent(tk.id)}`);
          r.replaceWith(row(after || { ...tk, revoked_at: new Date().toISOString() }));
          status.textContent = t("The token {label} has been revoked.", { label: tk.label || tk.id });
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          revoke.disabled = false;
          status.textContent = e.problem.detail || e.problem.title;
        }
      } }, t("Revoke"), h("span", { class: "visually-hidden" }, " ", data(tk.label || tk.id)));
    const r = h("tr", { "data-token": tk.id, class: revoked ? "revoked" : null },
      h("th", { scope: "row" }, data(tk.label || tk.id)),
      h("td", { "data-label": t("Created") }, tk.created_at ? timeEl(tk.created_at) : "—"),
      h("td", { "data-label": t("Expires") }, tk.expires_at ? timeEl(tk.expires_at) : t("Never")),
      h("td", { "data-label": t("Last used") }, tk.last_used_at ? timeEl(tk.last_used_at) : t("Not used yet")),
      h("td", {}, revoke));
    return r;
  }

  function shown() {
    const any = body.children.length > 0;
    wrap.hidden = !any;
    empty.hidden = any;
  }

  const form = h("form", { class: "form token-form", novalidate: true, method: "post", action: "/app/account",
    onsubmit: async (ev) => {
      ev.preventDefault();
      const errors = check(form, { label: t("Name the token, e.g. after the script that uses it") });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      const v = values(form);
      const req = { label: v.label.trim() };
      if (v.expires) req.expires_in_s = Number(v.expires);
      busy(form, true);
      try {
        const made = await api.post("/api/v1/tokens", req);
        body.prepend(row(made));
        shown();
        form.reset();
        form.querySelector(".error-summary").hidden = true;
        replace(secretBox,
          h("h3", {}, t("Your new token")),
          h("p", {}, t("Copy it now: it is shown only this once. Send it as the header Authorization: Bearer followed by the token.")),
          h("p", {}, h("code", { class: "token-value", "data-text": "api" }, made.token)));
        secretBox.hidden = false;
        secretBox.focus();
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showProblem(form, e.problem);
      } finally {
        busy(form, false);
      }
    } },
  summary(),
  field({ name: "label", label: t("Name"), maxlength: 120, hint: t("What the token is for, so that you know which to revoke.") }),
  field({ name: "expires", label: t("Expires"), value: "",
    options: EXPIRY.map((e) => ({ value: e.value, label: e.label() })) }),
  h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("Create the token"))));

  for (const tk of page?.items || []) body.append(row(tk));
  wrap.append(h("table", { class: "ws-table tokens" },
    h("caption", { class: "visually-hidden" }, t("Your API tokens")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Name")), h("th", { scope: "col" }, t("Created")),
      h("th", { scope: "col" }, t("Expires")), h("th", { scope: "col" }, t("Last used")),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("Actions"))))),
    body));
  shown();
  return h("section", { "aria-labelledby": "tokens", class: "account-section", id: "tokens-section" },
    h("h2", { id: "tokens" }, t("API tokens")),
    h("p", {}, t("A token lets a script of yours use Seawall's API as you. Revoke it when the script no longer needs it.")),
    problem ? h("div", { class: "notice error" }, data(problem.detail || problem.title, "p")) : null,
    status, secretBox, empty, wrap,
    problem ? null : h("h3", {}, t("Create a token")), problem ? null : form);
}

// --- the audit log ---------------------------------------------------------------------------

function audit(page) {
  const body = h("tbody");
  const more = h("button", { type: "button", class: "button secondary" }, t("Show older entries"));
  let next = page.next;

  function add(items) {
    for (const e of items) {
      body.append(h("tr", { "data-event": e.event },
        h("td", { "data-label": t("When") }, timeEl(e.at)),
        h("th", { scope: "row" }, EVENTS[e.event] ? EVENTS[e.event]() : data(e.event)),
        h("td", { "data-label": t("Address") }, data(e.address || "—")),
        h("td", { "data-label": t("Browser") }, data(e.user_agent || "—", "span", { class: "agent" })),
        h("td", { "data-label": t("Detail") }, e.detail ? data(e.detail) : "")));
    }
    more.hidden = !next;
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const p = await api.get("/api/v1/me/audit", { cursor: next, limit: AUDIT_PAGE });
      next = p.next;
      add(p.items);
    } finally {
      more.disabled = false;
    }
  });
  add(page.items);
  const id = uid("audit");
  return section("audit", t("Security log"),
    h("p", {}, t("Sign-ins, failed attempts and every change to your account's security, newest first.")),
    page.items.length ? h("div", { class: "table-wrap" }, h("table", { class: "ws-table audit", id },
      h("caption", { class: "visually-hidden" }, t("Security log")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("When")), h("th", { scope: "col" }, t("What")),
        h("th", { scope: "col" }, t("Address")), h("th", { scope: "col" }, t("Browser")),
        h("th", { scope: "col" }, t("Detail")))),
      body)) : h("p", { class: "empty" }, t("Nothing recorded yet.")),
    more);
}

export default async function account(ctx) {
  const person = ctx.person;
  const [ss, log, tk] = await Promise.all([
    api.get("/api/v1/me/sessions"),
    api.get("/api/v1/me/audit", { limit: AUDIT_PAGE }),
    api.get("/api/v1/tokens", { limit: 200 }).then((p) => ({ page: p }), (e) => {
      if (e instanceof api.ApiError && e.status === 403) return { problem: e.problem };
      throw e;
    }),
  ]);
  const saved = ctx.query.get("saved") === "profile";
  return h("div", { class: "page account-page" },
    h("h1", { tabindex: "-1" }, t("Your account")),
    saved ? h("p", { class: "notice success", role: "status" }, t("Your name, language and time zone have been saved.")) : null,
    h("nav", { class: "on-this-page", "aria-label": t("On this page") }, h("ul", {},
      [["profile", t("Name, language and time zone")], ["password", t("Password")], ["totp", t("Second factor")],
        ["sessions", t("Where you are signed in")], ["tokens", t("API tokens")], ["audit", t("Security log")]]
        .map(([id, label]) => h("li", {}, h("a", { href: `#${id}-section` }, label))))),
    profile(person, ctx),
    password(),
    secondFactor(person),
    sessions(ss.items || []),
    tokens(tk.page, tk.problem),
    audit(log));
}
