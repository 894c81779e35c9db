// <sw-inbox-compare>: one watch-list item of an alert beside what the foreign event says where
// it met it — the two texts with their differences marked character by character (struck
// through: only in the exporter's item; underlined: only in the foreign text; each also said
// in words for screen readers), the score, the reasons in the reader's language, and the
// classes and countries the two share. Set .entry (an AlertItem) and .event before adding it.
import { h, data, uid } from "../lib/dom.js";
import { diff, distance } from "../lib/diff.js";
import { number } from "../lib/format.js";
import { current, t, tn, tnodes } from "../lib/i18n.js";
import { fieldLabel, jurisdictionEl, kindLabel, ruleLabel, whyLabel } from "../lib/alert-words.js";

export function percent(score) {
  const n = Number(score);
  if (!Number.isFinite(n)) return "";
  return new Intl.NumberFormat(current(), { style: "percent", maximumFractionDigits: 0 })
    .format(Math.max(0, Math.min(1, n)));
}

function pctEl(score) {
  return h("span", { "data-text": "intl", class: "score" }, percent(score));
}

export function itemText(item) {
  return String(item.text ?? item.number ?? item.show ?? "");
}

// The runs of one side: text that both share as it is, the side's own text marked (<del> on
// the exporter's side, <ins> on the foreign side) with words around it for screen readers.
function side(runs, mine) {
  const hidden = (text) => h("span", { class: "visually-hidden" }, text);
  const p = h("p", { class: "diff-text" });
  for (const r of runs) {
    if (r.op === "same") {
      p.append(data(mine ? r.a : r.b));
    } else if (mine && r.op === "del") {
      p.append(h("del", {}, hidden(t("[only in your item:]")), data(r.a), hidden(t("[end]"))));
    } else if (!mine && r.op === "ins") {
      p.append(h("ins", {}, hidden(t("[only in the foreign text:]")), data(r.b),
        hidden(t("[end]"))));
    }
  }
  return p;
}

function list(values, render, none) {
  return values && values.length
    ? h("ul", { class: "inline-list" }, values.map((v) => h("li", {}, render(v))))
    : h("span", { class: "none" }, none);
}

const classEl = (c) => h("span", { "data-text": "intl" }, number(c));

function sourceWords(src) {
  switch (src) {
    case "item": return t("the countries this item names");
    case "markets": return t("your markets (the item names no countries)");
    case "anywhere": return t("anywhere (neither the item nor your account names countries)");
    default: return data(src || "");
  }
}

class InboxCompare extends HTMLElement {
  connectedCallback() {
    const e = this.entry;
    if (!e || this.firstChild) return;
    const ev = this.event || {};
    const item = e.item || {};
    const mine = itemText(item);
    const texts = (e.event_texts && e.event_texts.length ? e.event_texts : [mine]).slice(0, 8);
    const headId = uid("cmp");
    // Classes are a trademark's; countries a trademark's or a keyword's.
    const classed = item.kind === "mark";
    const placed = item.kind === "mark" || item.kind === "keyword";
    const pairs = texts.map((theirs, i) => {
      const runs = diff(mine, theirs);
      const n = distance(runs);
      return h("div", { class: "pair" },
        h("div", { class: "side mine" },
          h("h4", { class: "side-title" }, t("Your item")),
          side(runs, true),
          classed || placed ? h("dl", { class: "facts" },
            classed ? [h("dt", {}, t("Nice classes")),
              h("dd", {}, list(item.classes, classEl, t("none given")))] : null,
            placed ? [h("dt", {}, t("Countries")),
              h("dd", {}, list(item.countries, jurisdictionEl, t("none given")))] : null) : null),
        h("div", { class: "side theirs" },
          h("h4", { class: "side-title" }, texts.length > 1
            ? t("The foreign text ({i} of {n})", { i: number(i + 1), n: number(texts.length) })
            : t("The foreign text")),
          side(runs, false),
          h("dl", { class: "facts" },
            classed ? [h("dt", {}, t("Nice classes")),
              h("dd", {}, list(ev.classes?.nice, classEl, t("none named")))] : null,
            h("dt", {}, t("Where")),
            h("dd", {}, ev.jurisdiction ? jurisdictionEl(ev.jurisdiction) : t("not named")))),
        h("p", { class: "diff-count" }, n === 0
          ? t("The same letters, apart from upper and lower case.")
          : tn("{n} character differs.", "{n} characters differ.", n, { n: number(n) })));
    });
    const reasons = (e.reasons || []).map((r) => h("li", {},
      tnodes("{rule}: {why}, found in {where} (score {score})", {
        rule: h("strong", {}, ruleLabel(r.rule)), why: whyLabel(r.why),
        where: fieldLabel(r.field), score: pctEl(r.score) })));
    this.replaceChildren(h("section", { class: "compare card", "aria-labelledby": headId },
      h("h3", { id: headId, class: "compare-title" },
        tnodes("{kind} “{text}”", { kind: kindLabel(item.kind), text: data(mine) })),
      h("p", { class: "compare-score" }, tnodes("Similarity {score}, by the rule “{rule}”", {
        score: pctEl(e.score), rule: ruleLabel(e.rule) })),
      h("div", { class: "pairs" }, pairs),
      h("p", { class: "diff-key" }, t("Struck through: only in your item. Underlined: only in the foreign text. Upper and lower case are not counted.")),
      h("h4", {}, t("What the two share")),
      h("dl", { class: "facts" },
        classed ? [h("dt", {}, t("Nice classes in common")),
          h("dd", {}, list(e.classes_common, classEl, t("none")))] : null,
        h("dt", {}, t("Countries in common")),
        h("dd", {}, list(e.countries_common, jurisdictionEl, t("none"))),
        h("dt", {}, t("Countries compared")),
        h("dd", {}, sourceWords(e.countries_source))),
      reasons.length ? [h("h4", {}, t("Why it matched")), h("ul", { class: "reasons" }, reasons)]
        : null));
  }
}

customElements.define("sw-inbox-compare", InboxCompare);
