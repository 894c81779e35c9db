// station/log.js — logging an incident (/station/log): kind, hall, booth, products, the right
// invoked, the complainant and the accused exhibitor (each looked up by name first: the
// company's history across fairs), notes, photos from the camera (scaled to 2 megapixels and
// hashed here). The device records when the complaint was received (the page's opening,
// changeable) and when it was answered. Saved to this device first, then sent.
import * as api from "../../lib/api.js";
import { h, data, replace } from "../../lib/dom.js";
import { field } from "../../lib/forms.js";
import { t, tn, tnodes } from "../../lib/i18n.js";
import * as station from "../../lib/station.js";
import * as store from "../../lib/station-store.js";
import { KINDS, RIGHTS } from "../../lib/station-terms.js";
import { bar, setUp } from "./home.js";

function localInput(d) {
  return station.deviceTime(d).slice(0, 16);
}

// "2026-10-15T09:30" from a datetime-local field, with this device's offset.
function withOffset(value) {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : station.deviceTime(d);
}

function lookup(role) {
  const out = h("div", { class: "lookup", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "button secondary lookup-button",
    "data-role": role, onclick: async () => {
      const q = button.closest("fieldset").querySelector(`[name=${role}_name]`).value.trim();
      if (!q) return;
      replace(out, h("p", {}, t("Looking up…")));
      try {
        const res = await api.get("/api/v1/parties", { q });
        const items = res.items || [];
        replace(out, items.length ? h("ul", { class: "lookup-results" }, items.map((c) => h("li", {},
          data(c.names?.[0] || q, "strong"), " ",
          tn("{count} incident at fairs", "{count} incidents at fairs",
            (c.history || []).length, { count: (c.history || []).length }),
          h("ul", { class: "lookup-fairs" }, (c.fairs || []).map((f) =>
            h("li", { "data-text": "api" }, `${f.name} (${f.incidents})`))))))
          : h("p", {}, t("No earlier incident with this name at any fair.")));
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        replace(out, h("p", {}, e.status === 0
          ? t("The look-up needs the network; the incident can be logged without it.")
          : data(e.problem.detail || e.problem.title)));
      }
    } }, t("Look up earlier incidents"));
  return [button, out];
}

function party(role, legend) {
  return h("fieldset", {},
    h("legend", {}, legend),
    field({ name: `${role}_name`, label: t("Company name"), required: true, autocomplete: "off" }),
    lookup(role),
    field({ name: `${role}_country`, label: t("Country or region (two letters)"), maxlength: 2 }));
}

export default async function logPage(ctx) {
  const { show } = await setUp(ctx.person);
  ctx.setTitle(t("Log an incident"));
  const opened = new Date();
  const photos = [];
  const photoList = h("ul", { class: "photo-list" });
  const status = h("p", { class: "form-status", role: "status" });
  const picker = h("input", { type: "file", name: "photo", accept: "image/*",
    capture: "environment", id: "photo-input", multiple: true });
  picker.addEventListener("change", async () => {
    for (const file of picker.files) {
      const p = await station.preparePhoto(file);
      photos.push(p);
      photoList.append(h("li", {}, h("img", { src: p.preview, alt: t("Photo {n}", { n: photos.length }) }),
        h("span", { class: "visually-hidden" }, t("Photo {n}", { n: photos.length }))));
    }
    picker.value = "";
    status.textContent = tn("{count} photo ready", "{count} photos ready", photos.length,
      { count: photos.length });
  });
  const answeredAt = h("input", { type: "hidden", name: "answered_at" });
  const answered = h("button", { type: "button", class: "button secondary answered-now",
    onclick: () => {
      answeredAt.value = station.deviceTime();
      answered.textContent = t("Answer recorded now");
      answered.disabled = true;
    } }, t("The exhibitor answered now"));
  const form = h("form", { class: "form station-form", novalidate: true, method: "post",
    action: location.pathname },
    field({ name: "kind", label: t("Kind of incident"), value: "complaint_received",
      options: Object.keys(KINDS).map((k) => ({ value: k, label: KINDS[k]() })) }),
    field({ name: "received_at", label: t("Complaint received at"), type: "datetime-local",
      value: localInput(opened) }),
    field({ name: "hall", label: t("Hall"), maxlength: 32 }),
    field({ name: "booth", label: t("Booth"), maxlength: 32 }),
    field({ name: "product_category", label: t("Products"), maxlength: 100 }),
    h("fieldset", {}, h("legend", {}, t("Right invoked")),
      field({ name: "right_type", label: t("Kind of right"), value: "patent",
        options: Object.keys(RIGHTS).map((k) => ({ value: k, label: RIGHTS[k]() })) }),
      field({ name: "right_number", label: t("Number") }),
      field({ name: "right_country", label: t("Country or office (two letters)"), maxlength: 2 })),
    party("complainant", t("Complainant")),
    party("exhibitor", t("Accused exhibitor")),
    h("div", { class: "field" }, h("label", { for: "notes" }, t("Notes")),
      h("textarea", { id: "notes", name: "notes", maxlength: 8000 })),
    h("div", { class: "field" }, h("label", { for: "photo-input" }, t("Photos from the camera")),
      picker, photoList),
    h("div", { class: "field" }, answered, answeredAt),
    status,
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, t("Save the incident"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form).entries());
    const missing = ["complainant_name", "exhibitor_name"].filter((n) => !f[n].trim());
    for (const n of ["complainant_name", "exhibitor_name"]) {
      form.elements[n].setAttribute("aria-invalid", String(missing.includes(n)));
    }
    if (missing.length) {
      status.textContent = t("Give the names of the complainant and of the accused exhibitor.");
      form.elements[missing[0]].focus();
      return;
    }
    const partyOf = (role) => {
      const p = { name: f[`${role}_name`].trim() };
      if (f[`${role}_country`]) p.country = f[`${role}_country`].trim().toUpperCase();
      return p;
    };
    const body = { kind: f.kind, complainant: partyOf("complainant"),
      exhibitor: partyOf("exhibitor"), received_at: withOffset(f.received_at) };
    for (const k of ["hall", "booth", "product_category", "notes"]) {
      if (f[k]?.trim()) body[k] = f[k].trim();
    }
    if (f.right_number?.trim()) {
      body.rights = [{ type: f.right_type, number: f.right_number.trim(),
        ...(f.right_country ? { country: f.right_country.trim().toUpperCase() } : {}) }];
    }
    if (f.answered_at) {
      body.status = "answered";
      body.answered_at = f.answered_at;
    }
    if (photos.length) body.evidence_declared = photos.map((p) => p.sha256);
    await store.add(show.id, body, photos.splice(0));
    station.later();
    await station.changed();
    form.reset();
    photoList.replaceChildren();
    answered.disabled = false;
    answered.textContent = t("The exhibitor answered now");
    form.elements.received_at.value = localInput(new Date());
    status.textContent = t("Saved on this device. It is sent as soon as the network allows.");
    if (navigator.onLine) station.sync();
    form.elements.kind.focus();
  });
  return h("div", { class: "station" },
    h("h1", { tabindex: "-1" }, t("Log an incident")),
    bar(),
    h("p", {}, tnodes("At {fair}", { fair: data(show.name) })),
    form);
}
