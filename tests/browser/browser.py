"""The browser tests' view of the portal: Debian's headless Chromium driven through
chromedriver by Debian's python3-selenium (nothing downloaded), against the stack the
integration tests start. Every page a test opens is checked for console errors and
Content-Security-Policy violations; a test that expects a failed request names it."""
import atexit
import contextlib
import json
import os
import re
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)
DESKTOP = (1366, 768)
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--force-color-profile=srgb", "--font-render-hinting=none"]

# Before any script of the page: record CSP violations where the test can read them.
WATCH = """
window.__swCsp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__swCsp.push({directive: e.violatedDirective, blocked: e.blockedURI,
                       source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""

# Visible text (and labels a screen reader reads) that is not marked as data: [{text, where}].
TEXTS = """
const out = [];
function marked(el) {
  if (el.closest('[data-text]')) return true;
  const l = el.closest('[lang]');
  return l !== null && l !== document.documentElement;   // a name in its own language
}
function visible(el) {
  if (el.closest('[hidden], noscript, script, style, template')) return false;
  if (el.closest('.visually-hidden')) return true;
  const r = el.getBoundingClientRect();
  const st = getComputedStyle(el);
  return st.visibility !== 'hidden' && st.display !== 'none' && (r.width > 0 || r.height > 0);
}
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walk.nextNode(); n; n = walk.nextNode()) {
  const text = n.nodeValue.trim();
  const el = n.parentElement;
  if (!text || !el || marked(el) || !visible(el) || el.tagName === 'OPTION') continue;
  out.push({text: text, where: el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')});
}
for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
  if (marked(el) || el.closest('[hidden]')) continue;
  for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
    const v = (el.getAttribute(a) || '').trim();
    if (v) out.push({text: v, where: el.tagName.toLowerCase() + '@' + a});
  }
}
out.push({text: document.title, where: 'title'});
return out;
"""


# Answers to the API routes people/sessions own, as the contract (notes/portal-contract.md)
# writes them, so the pages' handling of each answer is tested whatever the server has:
# {"METHOD /path": [answer, …]}; each call takes the next answer (the last one repeats) and
# is recorded with its body and headers in window.__swCalls.
STUB = """
(function () {
  const table = %s;
  const real = window.fetch.bind(window);
  window.__swCalls = [];
  window.fetch = function (input, init) {
    init = init || {};
    const u = new URL(typeof input === 'string' ? input : input.url, location.href);
    const method = (init.method || 'GET').toUpperCase();
    const key = method + ' ' + u.pathname;
    const answers = table[key];
    if (!answers) return real(input, init);
    const a = answers.length > 1 ? answers.shift() : answers[0];
    window.__swCalls.push({key: key, query: u.search,
                           body: init.body ? JSON.parse(init.body) : null,
                           headers: init.headers || {}});
    const type = a.status >= 400 ? 'application/problem+json' : 'application/json';
    const body = a.body === undefined ? null : JSON.stringify(a.body);
    return Promise.resolve(new Response(body, {status: a.status,
                                               headers: {'Content-Type': type}}));
  };
})();
"""


class PageProblem(AssertionError):
    pass


class Browser:
    """One Chromium with a fresh profile. lang: the browser's language (navigator.languages);
    size: the viewport in CSS pixels; profile: a user-data-dir to use and keep (the caller
    removes it) instead of a fresh one, so a second Browser opens what the first left
    (IndexedDB, service workers, caches, storage)."""

    def __init__(self, base, lang="en", size=DESKTOP, tz="Asia/Shanghai", profile=None):
        self.base = base.rstrip("/")
        self.own_profile = profile is None
        self.profile = profile or tempfile.mkdtemp(prefix="seawall-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for f in FLAGS + [f"--user-data-dir={self.profile}", f"--lang={lang}",
                          f"--window-size={max(size[0], 500)},{size[1]}"]:
            opts.add_argument(f)
        langs = {"en": "en-GB,en", "zh-CN": "zh-CN,zh"}.get(lang, lang)
        opts.add_experimental_option("prefs", {"intl.accept_languages": langs})
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.driver.set_page_load_timeout(30)
        self.scripts = []      # identifiers of scripts added for every new document
        self.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
        self.watch = self.scripts.pop()
        self.cdp("Emulation.setTimezoneOverride", {"timezoneId": tz})
        self.resize(size)
        self.allowed = []      # (url piece, status) of failed requests a test expects
        self.seen = []         # problems found so far

    def reset(self, size):
        """As a fresh profile would be for the next test on the same origin: no cookies, no
        storage, cache, service workers or permissions, no scripts added by the last test, the
        network as it is, an empty log; then the size asked for."""
        d = self.driver
        handles = d.window_handles
        for h in handles[1:]:
            d.switch_to.window(h)
            d.close()
        d.switch_to.window(handles[0])
        d.get("about:blank")
        for ident in self.scripts:
            self.cdp("Page.removeScriptToEvaluateOnNewDocument", {"identifier": ident})
        self.scripts = []
        self.cdp("Network.enable")
        self.cdp("Network.emulateNetworkConditions", {"offline": False, "latency": 0,
                                                      "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
        self.cdp("Network.setCacheDisabled", {"cacheDisabled": False})
        self.cdp("Network.clearBrowserCache")
        self.cdp("Network.clearBrowserCookies")
        self.cdp("Network.disable")
        self.cdp("Storage.clearDataForOrigin", {"origin": self.base, "storageTypes": "all"})
        self.cdp("Browser.resetPermissions")
        d.set_page_load_timeout(30)
        d.get_log("browser")
        self.resize(size)
        self.allowed = []
        self.seen = []

    def stub(self, table):
        """Answers these API routes in the page from now on (see STUB)."""
        self.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": STUB % json.dumps(table)})

    def calls(self):
        return self.js("return window.__swCalls || []")

    def cdp(self, cmd, args=None):
        r = self.driver.execute_cdp_cmd(cmd, args or {})
        if cmd == "Page.addScriptToEvaluateOnNewDocument":
            self.scripts.append(r["identifier"])
        return r

    def resize(self, size):
        w, h = size
        self.size = size
        self.cdp("Emulation.setDeviceMetricsOverride",
                 {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 500})

    def close(self):
        try:
            self.driver.quit()
        finally:
            if self.own_profile:
                shutil.rmtree(self.profile, ignore_errors=True)

    # --- pages ----------------------------------------------------------------------------

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def open(self, path):
        """Loads path afresh and waits until the page says it is ready."""
        self.driver.get(self.base + path)
        self.wait_ready()

    def wait(self, what, fn, timeout=20):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = fn()
                if last:
                    return last
            except WebDriverException as e:
                last = e
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r}); "
                             f"page {self.driver.current_url}; problems: {self.problems()}")

    def wait_ready(self):
        self.wait("the page to be ready",
                  lambda: self.js("return document.documentElement.dataset.state") == "ready")

    def path(self):
        return self.js("return location.pathname + location.search")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css="main"):
        return self.find(css).text

    def click(self, css):
        self.find(css).click()

    def follow(self, css):
        """Clicks a link or button and waits for the page it leads to."""
        self.js("document.documentElement.dataset.state = 'leaving'")
        self.click(css)
        self.wait_ready()

    def focused(self):
        return self.js("""const e = document.activeElement;
            return e ? {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
                        text: (e.textContent || '').trim().slice(0, 80),
                        href: e.getAttribute('href'), cls: e.className} : null""")

    def tab(self, shift=False):
        a = webdriver.ActionChains(self.driver)
        if shift:
            a.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            a.send_keys(Keys.TAB)
        a.perform()
        return self.focused()

    def keys(self, *keys):
        webdriver.ActionChains(self.driver).send_keys(*keys).perform()

    def texts(self):
        return self.js(TEXTS)

    def screenshot(self, path, full=True):
        """The whole page (full) or what the screen shows where it is scrolled to, as a PNG."""
        import base64
        w, h = self.size
        height = self.js("return Math.ceil(document.documentElement.scrollHeight)") if full else h
        top = 0 if full else self.js("return Math.floor(window.scrollY)")
        self.cdp("Emulation.setDeviceMetricsOverride",
                 {"width": w, "height": max(h, height), "deviceScaleFactor": 1, "mobile": w < 500})
        try:
            shot = self.cdp("Page.captureScreenshot",
                            {"format": "png", "captureBeyondViewport": full,
                             "clip": {"x": 0, "y": top, "width": w, "height": max(h, height),
                                      "scale": 1}})
        finally:
            self.resize(self.size)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    # --- what went wrong ------------------------------------------------------------------

    def allow(self, piece, status):
        """A failed request the test expects: its URL contains piece and it answered status."""
        self.allowed.append((piece, status))

    def problems(self):
        """Console errors and CSP violations since the last call (allowed failures left out)."""
        out = []
        for e in self.driver.get_log("browser"):
            if e["level"] != "SEVERE":
                continue
            msg = e["message"]
            if e.get("source") == "network" and any(
                    piece in msg and f"status of {status} " in msg
                    for piece, status in self.allowed):
                continue
            out.append(f"console {e.get('source')}: {msg}")
        try:
            for v in self.js("return (window.__swCsp || []).splice(0)") or []:
                out.append(f"CSP violation: {json.dumps(v)}")
        except WebDriverException:
            pass
        self.seen.extend(out)
        return out

    def assert_clean(self):
        self.problems()
        if self.seen:
            raise PageProblem("the page reported problems:\n  " + "\n  ".join(self.seen))

    # --- measurements -----------------------------------------------------------------------

    def resources(self):
        """The page's requests since it loaded, navigation first: [{name, type, transfer (bytes
        on the wire with headers), encoded (the body as sent), decoded (the body unpacked)}]."""
        return self.js("""
            const row = (e, type) => ({name: e.name, type: type, transfer: e.transferSize,
                encoded: e.encodedBodySize, decoded: e.decodedBodySize});
            return performance.getEntriesByType('navigation').map(e => row(e, 'navigation'))
                .concat(performance.getEntriesByType('resource').map(e => row(e, e.initiatorType)));""")


# Chromium takes over a second to start; a test run starts hundreds of browsers. A browser
# whose test passed is reset (Browser.reset) and kept for the next test with the same origin,
# language and zone; one whose test failed is closed, as are all at the end.
# SEAWALL_BROWSER_FRESH=1 starts a new one for every test.
_POOL = {}


def _close_pool():
    for kept in _POOL.values():
        for b in kept:
            try:
                b.close()
            except Exception:   # the run is ending: a browser already gone is no matter
                pass
    _POOL.clear()


atexit.register(_close_pool)


@contextlib.contextmanager
def browser(stack, lang="en", size=DESKTOP, tz="Asia/Shanghai"):
    """A Browser on the stack's nginx, as fresh as a new profile; fails the test on any
    console error or CSP violation left at the end (tests call assert_clean themselves at the
    points that matter too)."""
    base = f"http://127.0.0.1:{stack.port}"
    key = (base, lang, tz)
    kept = _POOL.get(key) or []
    b = None
    while kept and b is None:
        b = kept.pop()
        try:
            b.reset(size)
        except Exception:      # gone or stuck: a new one instead
            b.close()
            b = None
    if b is None:
        b = Browser(base, lang=lang, size=size, tz=tz)
    ok = False
    try:
        yield b
        b.assert_clean()
        ok = True
    finally:
        if ok and os.environ.get("SEAWALL_BROWSER_FRESH") != "1":
            _POOL.setdefault(key, []).append(b)
        else:
            b.close()
