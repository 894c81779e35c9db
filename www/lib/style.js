// style.js — a page's own style sheet (style/<name>.css), added to the document once, when the
// first page that needs it opens; the page waits for it so it never shows unstyled.
const loaded = new Map();

export function loadStyle(name) {
  if (!loaded.has(name)) {
    loaded.set(name, new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = `/style/${name}.css`;
      // A sheet that fails to load leaves the page readable in the main style: go on.
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.append(link);
    }));
  }
  return loaded.get(name);
}
