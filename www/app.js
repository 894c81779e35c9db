// app.js — the portal's entry: the shell (header, layout, footer), the language, the session,
// and rendering the page the address names. The only module with state about the whole page.
import "./components/sw-header.js";
import "./components/sw-app-nav.js";
import * as api from "./lib/api.js";
import { h, replace } from "./lib/dom.js";
import * as i18n from "./lib/i18n.js";
import { t, tn } from "./lib/i18n.js";
import * as router from "./lib/router.js";
import * as session from "./lib/session.js";
import { match } from "./pages/registry.js";
import notFound from "./pages/notfound.js";
import notForRole from "./pages/not-for-role.js";
import failure from "./pages/failure.js";

const root = document.documentElement;
const header = document.querySelector("sw-header");
const appNav = document.querySelector("sw-app-nav");
const side = document.querySelector(".side");
const main = document.getElementById("main");
const skip = document.querySelector(".skip-link");
const footer = document.querySelector("body > footer");
let rendering = 0;

function setState(state) {
  root.dataset.state = state;
  main.setAttribute("aria-busy", String(state === "loading"));
}

function renderFooter() {
  replace(footer, h("div", { class: "wrap" },
    h("p", {}, t("Seawall serves the international IP risk early warning and emergency response mechanism: early warnings for exporters, help from the overseas IP dispute response guidance centres, and IP service stations at trade fairs abroad.")),
    h("ul", { class: "footer-links" },
      h("li", {}, h("a", { href: "/#help" }, t("How to get help"))),
      h("li", {}, h("a", { href: "/coverage" }, t("Source coverage"))),
      h("li", {}, h("a", { href: "/api/v1/bulletins.atom", type: "application/atom+xml" },
        t("Bulletins as an Atom feed"))))));
}

function renderChrome() {
  skip.textContent = t("Skip to main content");
  header.render();
  appNav.render();
  renderFooter();
}

// Where to send someone who must sign in first: back here afterwards.
function signInFirst() {
  const next = location.pathname + location.search;
  router.navigate(`/signin?next=${encodeURIComponent(next)}`, { replace: true });
}

async function render({ push = false } = {}) {
  const n = ++rendering;
  const found = match(location.pathname);
  const query = new URLSearchParams(location.search);
  setState("loading");
  header.fold();
  header.mark(location.pathname);
  let content;
  let title = t("Page not found");
  try {
    if (!found) {
      content = notFound();
    } else {
      const { route, params } = found;
      title = route.title();
      if (route.layout === "app" && !(await session.load(true))) {
        if (n === rendering) signInFirst();
        return;
      }
      const person = session.current();
      if (route.roles && !route.roles.includes(person?.role)) {
        content = notForRole(route, person);   // the page itself is not loaded
      } else {
        const page = await import(new URL(route.module, new URL("./pages/", import.meta.url)));
        const ctx = { params, query, person, navigate: router.navigate,
          signedIn, setTitle: (text) => { title = text; } };
        content = await page.default(ctx);
      }
    }
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 404) {
      content = notFound();
      title = t("Page not found");
    } else if (e instanceof api.ApiError) {
      content = failure(e.problem, router.reload);
    } else {
      console.error(e);   // a fault of the portal itself: reported, and the page says so
      content = failure({ title: t("This page could not be shown"),
        detail: t("Something went wrong in this page. Try again, or reload it.") }, router.reload);
    }
  }
  if (n !== rendering) return;   // a newer navigation has begun
  const app = found?.route.layout === "app";
  document.body.classList.toggle("layout-app", app);
  side.hidden = !app;
  if (app) appNav.render();
  replace(main, content);
  document.title = t("{page} · Seawall", { page: title });
  setState("ready");
  if (push) {
    window.scrollTo(0, 0);
    (main.querySelector("h1") || main).focus();
  }
}

// A page's sign-in, verification or accepted invitation answered {person, csrf_token}: the
// person's own language and zone take over, then the page at next (a portal path) opens.
async function signedIn(answer, next) {
  const person = session.adopt(answer);
  if (person?.lang && person.lang !== i18n.current()) {
    await i18n.use(person.lang);
    i18n.remember(person.lang);
    renderChrome();
  }
  router.navigate(safeNext(next));
}

// Only a path of this portal, never another site ("//evil.example", "https://…").
function safeNext(next) {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/app";
}

async function switchLanguage(code) {
  await i18n.use(code);
  i18n.remember(code);
  const person = session.current();
  if (person) {
    try {
      await api.patch("/api/v1/me", { lang: code });
      person.lang = code;
    } catch {
      // The choice holds on this device; the account keeps its language until the next try.
    }
  }
  renderChrome();
  await render();
  header.querySelector(`sw-lang-switch button[lang="${code}"]`)?.focus();
}

// A station's device: what it holds is sent first; records still unsent are discarded only
// when the person says so; then the device keeps nothing of the fair (records, photos, data).
async function stationLeaves() {
  const station = await import("./lib/station.js");
  const store = await import("./lib/station-store.js");
  await station.sync();
  const left = (await store.unsent()).length;
  if (left && !window.confirm(tn(
    "{count} record on this device has not been sent. Signing out discards it. Sign out anyway?",
    "{count} records on this device have not been sent. Signing out discards them. Sign out anyway?",
    left, { count: left }))) return false;
  await store.wipe();
  localStorage.removeItem("seawall.station.fair");
  return true;
}

async function boot() {
  setState("loading");
  await i18n.use(i18n.initial());
  const person = await session.load().catch(() => null);
  if (person?.lang && person.lang !== i18n.current()) await i18n.use(person.lang);
  i18n.setZone(person?.tz);
  session.onChange((p) => {
    i18n.setZone(p?.tz);
    renderChrome();
  });
  api.onUnauthorized(() => {
    session.forget();
    signInFirst();
  });
  document.addEventListener("sw-lang", (ev) => switchLanguage(ev.detail));
  document.addEventListener("sw-signout", async () => {
    // A station's device may be offline: it leaves for the sign-in page, which it keeps.
    const station = session.current()?.role === "station";
    if (station && !(await stationLeaves())) return;
    try {
      await session.signOut();
    } catch (e) {
      // Signed out here all the same; a server out of reach ends the session at its expiry.
      if (!(e instanceof api.ApiError)) throw e;
    } finally {
      router.navigate(station ? "/signin" : "/");
    }
  });
  renderChrome();
  router.start(render);
}

boot();
