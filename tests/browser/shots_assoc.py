"""make screenshots for industry associations: the person of assocdata.demo's association signed
in for real, in the page's language — the overview, the members, the sector watch and the
matter the matcher made of one Section 337 investigation (its notice form with the errors of an
empty send too) —, and the exporter person invited by it on its consent page."""
import assocdata
import wslib


def pages(d):
    return [
        ("assoc-overview", "/assoc", None),
        ("assoc-members", "/assoc/members", None),
        ("assoc-watch", "/assoc/watch", None),
        ("assoc-matter", f"/assoc/matters/{d['matter']}", None),
        ("assoc-matter-errors", f"/assoc/matters/{d['matter']}", "notice"),
        ("assoc-inbox", "/app/inbox", None),
    ]


def prepare(b, how):
    if how == "notice":
        b.click("main form.notice-form button[type=submit]")
        b.wait("the errors", lambda: b.finds(".notice-form .error-summary:not([hidden])"))


def save(stack, b, lang, shoot):
    """Signs in as the association's person in lang and saves its pages."""
    d = assocdata.demo(stack)
    wslib.set_person(stack, d["email"], lang=lang, tz="Asia/Shanghai")
    wslib.sign_in(b, d["email"], next_path="/assoc")
    for name, path, how in pages(d):
        b.open(path)
        prepare(b, how)
        yield shoot(name)


def save_member(stack, b, lang, shoot):
    """Signs in as the exporter the association invited and saves its consent page."""
    d = assocdata.demo(stack)
    wslib.set_person(stack, d["exporter"], lang=lang, tz="Asia/Shanghai")
    wslib.sign_in(b, d["exporter"], next_path="/app/associations")
    yield shoot("associations")
