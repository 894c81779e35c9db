// <sw-case-evidence>: choosing evidence files for a case. Each file is hashed here with
// SubtleCrypto (SHA-256, shown in full) as soon as it is chosen; uploadTo(caseId) then sends
// each as the raw body of POST /api/v1/cases/{id}/evidence?name=&sha256=, one at a time, with
// its progress and the server's answer: the hash it computed matched, or why the file was
// refused (size, the company's quota, its name …). Results are announced in a live region.
import * as api from "../lib/api.js";
import { h, data, replace, uid } from "../lib/dom.js";
import { numberEl } from "../lib/format.js";
import { t, tn } from "../lib/i18n.js";

function hex(buf) {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256(file) {
  return hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
}

// Why the server refused a file, in words for the exporter.
function refusal(problem) {
  const slug = /^urn:seawall:problem:(.+)$/.exec(problem.type || "")?.[1] || "";
  const named = (problem.errors || []).find((e) => e.parameter === "name");
  const why = {
    "too-large": () => t("This file is larger than one evidence file may be."),
    "quota-exceeded": () => t("Your company's evidence files, in all its cases, would pass their storage limit with this file."),
    "hash-mismatch": () => t("The file arrived changed: the server's SHA-256 differs from the one computed here."),
    "empty-body": () => t("The file is empty."),
    "evidence-full": () => t("This case holds as many evidence files as it may."),
  }[slug];
  const lead = why ? why() : named ? t("The file's name cannot be used: rename the file and add it again.")
    : t("The file was refused.");
  const detail = named ? named.message : problem.detail || problem.title;
  return [h("strong", {}, t("Not stored.")), " ", lead, " ", detail ? data(detail) : null];
}

class CaseEvidence extends HTMLElement {
  constructor() {
    super();
    this.entries = [];   // {file, hash (a promise), li, status}
  }

  connectedCallback() {
    if (this.input) return;
    const id = uid("evidence");
    this.input = h("input", { type: "file", id, name: "evidence", multiple: true,
      "aria-describedby": `${id}-hint`, onchange: () => this.add() });
    this.list = h("ul", { class: "evidence-picked", "aria-live": "polite" });
    this.append(h("div", { class: "field" },
      h("label", { for: id }, this.label || t("Evidence files")),
      h("p", { class: "hint", id: `${id}-hint` },
        t("Each file's SHA-256 fingerprint is computed in this browser before it is sent; the server checks it on arrival.")),
      this.input),
    this.list);
  }

  add() {
    for (const file of this.input.files) {
      const entry = { file };
      const hashEl = h("code", { class: "hash", "data-text": "data" }, t("Computing the SHA-256 …"));
      entry.status = h("p", { class: "evidence-status" });
      entry.li = h("li", { class: "evidence-file" },
        h("p", { class: "evidence-name" }, data(file.name, "strong"), " ",
          h("span", { class: "muted" }, "(", numberEl(file.size), " ", t("bytes"), ")"),
          " ", h("button", { type: "button", class: "link-button", onclick: () => this.remove(entry) },
            t("Remove"), h("span", { class: "visually-hidden" }, " ", data(file.name)))),
        h("p", { class: "evidence-hash" }, h("span", {}, t("SHA-256:")), " ", hashEl),
        entry.status);
      entry.hash = sha256(file).then((x) => {
        replace(hashEl, x);
        return x;
      }, (e) => {
        replace(hashEl, t("The SHA-256 could not be computed in this browser."));
        throw e;
      });
      entry.hash.catch(() => {});
      this.entries.push(entry);
      this.list.append(entry.li);
    }
    this.input.value = "";
  }

  remove(entry) {
    this.entries = this.entries.filter((e) => e !== entry);
    entry.li.remove();
    this.input.focus();
  }

  get count() {
    return this.entries.length;
  }

  // Sends every file not sent yet to case caseId. Returns {stored, refused} counts.
  async uploadTo(caseId) {
    let stored = 0;
    let refused = 0;
    this.input.disabled = true;
    for (const entry of this.entries) {
      if (entry.done) continue;
      for (const b of entry.li.querySelectorAll("button")) b.remove();
      const bar = h("progress", { max: entry.file.size || 1, value: 0,
        "aria-label": t("Sending {name}", { name: entry.file.name }) });
      replace(entry.status, t("Sending …"), " ", bar);
      let hash;
      try {
        hash = await entry.hash;
      } catch {
        replace(entry.status, h("strong", {}, t("Not stored.")), " ",
          t("The SHA-256 could not be computed in this browser."));
        refused++;
        continue;
      }
      try {
        const got = await api.upload(`/api/v1/cases/${caseId}/evidence`, entry.file, {
          query: { name: entry.file.name, sha256: hash },
          onprogress: (sent) => { bar.value = sent; },
        });
        entry.done = true;
        entry.li.classList.add("stored");
        if (got.sha256 === hash) {
          replace(entry.status, h("strong", {}, t("Stored.")), " ",
            t("The server computed the same SHA-256."));
          stored++;
        } else {
          replace(entry.status, h("strong", {}, t("Stored, but the server computed another SHA-256:")),
            " ", data(got.sha256, "code"));
          refused++;
        }
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        entry.done = true;
        entry.li.classList.add("refused");
        replace(entry.status, ...refusal(e.problem));
        refused++;
      }
    }
    this.input.disabled = false;
    this.entries = this.entries.filter((e) => !e.li.classList.contains("stored"));
    return { stored, refused };
  }
}

customElements.define("sw-case-evidence", CaseEvidence);

// "2 files stored, 1 refused" as a sentence.
export function uploadSummary({ stored, refused }) {
  const a = tn("{n} evidence file stored.", "{n} evidence files stored.", stored);
  return refused ? `${a} ${tn("{n} file refused: see why below.", "{n} files refused: see why below.", refused)}` : a;
}
