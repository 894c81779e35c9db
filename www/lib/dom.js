// dom.js — building DOM without HTML strings: h("a", {href}, "text", child) creates an element,
// sets attributes (on* keys become listeners; false/null/undefined are left out) and appends
// children, strings as text nodes. Data never passes through an HTML parser.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

// Appends children (nodes, strings, numbers, arrays of them; null and false are skipped).
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Text from the API (names, titles, a bulletin's text): marked so the catalogue check in the
// browser tests knows it is data, not an untranslated string.
export function data(text, tag = "span", attrs = {}) {
  return h(tag, { ...attrs, "data-text": "api" }, text ?? "");
}

// Replaces el's children with the given ones.
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// A fresh id for label/field pairs.
let seq = 0;
export function uid(prefix) {
  seq += 1;
  return `${prefix}-${seq}`;
}
