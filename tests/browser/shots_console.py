"""make screenshots for the staff console: the triager of consoledata.demo signed in for real,
in the page's language; the queue, a case at work and a case to assign, the reply templates
chosen, the calendar and its feed URL shown once, the bulletin desk, a draft previewed in both
languages, a published bulletin with its correction form, the statistics and the templates.
The bulk assignment is shot last, after every other page (it assigns the demo's new cases)."""
import consoledata
import wslib


# (name, path, what to do before the picture)
def pages(d):
    return [
        ("console-queue", "/staff", None),
        ("console-queue-breached", "/staff?view=breached", None),
        ("console-case", f"/staff/cases/{d['case']}", None),
        ("console-case-template", f"/staff/cases/{d['case']}", "template"),
        ("console-case-assign", f"/staff/cases/{d['accepted']}", None),
        ("console-case-dossier", f"/staff/cases/{d['case']}/dossier", None),
        ("console-calendar", "/staff/calendar", None),
        ("console-calendar-feed", "/staff/calendar", "feed"),
        ("console-bulletins", "/staff/bulletins", None),
        ("console-bulletin-draft", f"/staff/bulletins/{d['draft']}", "preview"),
        ("console-bulletin", f"/staff/bulletins/{d['bulletin']}", "correct"),
        ("console-stats", "/staff/stats", None),
        ("console-templates", "/staff/templates", None),
    ]


def prepare(b, how):
    if how == "template":
        b.click("main details.template-chooser summary")
        b.wait("the template preview", lambda: b.finds("main .template-preview blockquote"))
        b.js("document.querySelector('main details.template-chooser').scrollIntoView()")
    elif how == "feed":
        b.click("main .feed-box button.make-feed")
        b.wait("the feed URL", lambda: b.finds("main input.feed-url"))
    elif how == "preview":
        b.click("main form.bulletin-editor button[value=preview]")
        b.wait("the previews", lambda: len(b.finds("main .previews article.preview")) == 2)
    elif how == "correct":
        b.click("main details.action-box summary")


def bulk(b, d):
    """Selects the case at work and the new cases, and assigns them all to the first expert:
    the new ones are accepted and assigned, the one at work refused in its row."""
    b.open("/staff")
    want = [str(d["case"])] + [str(i) for i in d["new"]]
    for tr in b.finds("main table.queue tbody tr"):
        if tr.get_attribute("data-case") in want:
            tr.find_element("css selector", "input[type=checkbox]").click()
    b.js("const s = document.querySelector('main .bulk-form select[name=action]');"
         "s.value = 'assign'; s.dispatchEvent(new Event('change', {bubbles: true}))")
    b.wait("the experts", lambda: len(b.finds("main .bulk-form select[name=expert_id] option")) > 1)
    b.js("const s = document.querySelector('main .bulk-form select[name=expert_id]');"
         "s.value = arguments[0]; s.dispatchEvent(new Event('change', {bubbles: true}))",
         str(d["desk"].experts[0]["id"]))
    b.click("main .bulk-form button[type=submit]")
    b.wait("the results", lambda: b.finds("main .bulk-results ol.bulk-list li"))
    b.js("document.querySelector('main .bulk-form').scrollIntoView()")


def save(stack, b, lang, shoot):
    """Signs in as the demo's triager in lang and saves every console page but the bulk one."""
    d = consoledata.demo(stack)
    wslib.set_person(stack, d["email"], lang=lang, tz="Asia/Shanghai")
    wslib.sign_in(b, d["email"], next_path="/staff")
    for name, path, how in pages(d):
        b.open(path)
        prepare(b, how)
        yield shoot(name)


def save_bulk(stack, b, lang, shoot):
    d = consoledata.demo(stack)
    wslib.set_person(stack, d["email"], lang=lang, tz="Asia/Shanghai")
    wslib.sign_in(b, d["email"], next_path="/staff")
    bulk(b, d)
    yield shoot("console-bulk")
