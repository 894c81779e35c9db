// router.js — the History API: links inside the portal change the page without reloading it;
// Back and Forward work; every change calls the app's render(location).
let render = () => {};

// Where a link to href may go: the same origin, a portal path (not the API or a file).
function internal(a) {
  if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin) return false;
  const p = a.pathname;
  return !p.startsWith("/api/") && !p.startsWith("/feeds/") && !/\.[a-z0-9]+$/i.test(p);
}

export function navigate(href, { replace = false } = {}) {
  const u = new URL(href, location.href);
  if (replace) history.replaceState(null, "", u);
  else history.pushState(null, "", u);
  render({ push: !replace });
}

// Re-renders the current page (after a language change, sign-in or sign-out).
export function reload() {
  render({ push: false, reload: true });
}

export function start(fn) {
  render = fn;
  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey ||
        ev.altKey) return;
    const a = ev.target.closest("a[href]");
    if (!internal(a)) return;
    if (a.pathname === location.pathname && a.search === location.search && a.hash) return;
    ev.preventDefault();
    if (a.href === location.href && !a.hash) return;
    navigate(a.href);
  });
  window.addEventListener("popstate", () => render({ push: false }));
  render({ push: false, first: true });
}
