// <sw-account-qr>: text (an otpauth:// URI) drawn as a QR code in SVG, built with DOM calls
// (nothing loaded, no inline style). Set .text; .label names it for screen readers.
import { qr } from "../lib/qr.js";

const SVG = "http://www.w3.org/2000/svg";
const QUIET = 4;   // modules of light margin the standard asks for

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

class QrCode extends HTMLElement {
  set text(value) {
    this._text = value;
    this.render();
  }

  get text() {
    return this._text;
  }

  render() {
    const code = this._text ? qr(this._text) : null;
    if (!code) {
      this.replaceChildren();
      return;
    }
    const n = code.size + 2 * QUIET;
    const d = [];
    code.modules.forEach((row, y) => row.forEach((dark, x) => {
      if (dark) d.push(`M${x + QUIET} ${y + QUIET}h1v1h-1z`);
    }));
    const image = svg("svg", { viewBox: `0 0 ${n} ${n}`, role: "img", "shape-rendering": "crispEdges",
      "aria-label": this.label || "", "data-version": code.version });
    image.append(svg("rect", { width: n, height: n, fill: "#fff" }),
      svg("path", { d: d.join(""), fill: "#000" }));
    this.replaceChildren(image);
  }
}

customElements.define("sw-account-qr", QrCode);
