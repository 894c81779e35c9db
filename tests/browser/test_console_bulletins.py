"""The bulletin desk in a real browser against the real stack, a triager signed in for real: a
bulletin written in Chinese and English side by side, saved as a draft, previewed in each
language, published (the exporter trading in its country is alerted), corrected with a note
(the exporter who had the first version gets the follow-up, checked in their inbox through
the API) and withdrawn with a reason; both languages, a phone and a desktop."""
from browser import DESKTOP, PHONE, browser
from consoledata import Desk
from portal import catalogue
from wslib import ZONE, check_page, set_person, sign_in, type_into, wait_until

COUNTRY = "IS"          # a market no other test's exporter trades in
TITLE = {"zh-CN": "冰岛海关扣留热泵配件", "en": "Icelandic customs detain heat-pump parts"}
TEXT = {"zh-CN": "雷克雅未克海关依权利人申请扣留多批热泵配件。\n\n请备好授权文件。",
        "en": "Customs in Reykjavík have detained heat-pump parts on a rights holder's "
              "application.\n\nKeep your licences at hand."}


def choose(b, css, value):
    b.js("arguments[0].value = arguments[1];"
         "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", b.find(css), value)


def fill(b, form, name, texts):
    for lang, text in texts.items():
        type_into(b, f"main {form} [name='{name}.{lang}']", text)


def inbox(s, tok, bid):
    items = s.get("/api/v1/alerts?type=bulletin&limit=200", token=tok).json()["items"]
    return [a for a in items if a["event"].get("bulletin_id") == bid]


def test_bulletin_written_previewed_published_corrected_withdrawn(s):
    d = Desk(s, "bulletins")
    sub, tok = d.exporter("Reykjavik Trading Co., Ltd.", markets=(COUNTRY,))
    set_person(s, d.email, lang="zh-CN")
    cat = catalogue(s)
    with browser(s, lang="zh-CN", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff/bulletins")
        assert b.text("main h1") == cat["Bulletin desk"]
        check_page(b, s, "zh-CN", "/staff/bulletins")
        b.follow("main a[href='/staff/bulletins/new']")
        assert b.path() == "/staff/bulletins/new" and b.focused()["tag"] == "h1"
        check_page(b, s, "zh-CN", "/staff/bulletins/new")
        # Both languages side by side, each field marked with its language.
        assert [e.get_attribute("lang") for e in b.finds("main form.bulletin-editor textarea")] == \
            ["zh-CN", "en"]
        fill(b, "form.bulletin-editor", "title", TITLE)
        fill(b, "form.bulletin-editor", "text", TEXT)
        choose(b, "main form.bulletin-editor select[name=country]", COUNTRY)
        choose(b, "main form.bulletin-editor select[name=severity]", "high")
        type_into(b, "main form.bulletin-editor input[name=keywords]", "zqconsole heat pumps")
        b.click("main form.bulletin-editor button[value=preview]")
        b.wait("the previews", lambda: len(b.finds("main .previews article.preview")) == 2)
        drafts = s.get("/api/v1/bulletins/drafts?limit=200", token=d.tri).json()["items"]
        draft = [x for x in drafts if x["title"] == TITLE][0]
        assert draft["text"] == TEXT and draft["country"] == COUNTRY and draft["status"] == "draft"
        assert b.path() == f"/staff/bulletins/{draft['id']}"
        zh, en = b.finds("main .previews article.preview")
        assert zh.get_attribute("lang") == "zh-CN" and TITLE["zh-CN"] in zh.text
        assert "请备好授权文件。" in zh.text
        assert en.get_attribute("lang") == "en" and TITLE["en"] in en.text
        assert "Keep your licences at hand." in en.text
        assert inbox(s, tok, draft["id"]) == []          # a draft alerts nobody
        check_page(b, s, "zh-CN", "/staff/bulletins/{id} preview", max_api=None)
        # Published: the page of the published bulletin; the exporter alerted.
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.bulletin-editor button[value=publish]")
        b.wait("the published page", lambda: b.finds("main details.action-box") and
               b.js("return document.documentElement.dataset.state") == "ready")
        first = wait_until("the exporter's early warning", lambda: inbox(s, tok, draft["id"]))
        assert [a["rule"] for a in first] == ["bulletin-market"]
        assert b.text("main h1") == TITLE["zh-CN"]
        check_page(b, s, "zh-CN", "/staff/bulletins/{id} published", max_api=None)
        # Corrected: a note in both languages, a keyword more.
        b.click("main details.action-box summary")
        fill(b, "form.correction-form", "note", {"zh-CN": "增补热泵压缩机", "en": "Compressors added"})
        type_into(b, "main form.correction-form input[name=keywords]",
                  "zqconsole heat pumps, zqconsole compressors")
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.correction-form button[type=submit]")
        b.wait_ready()
        assert [r.get_attribute("data-version") for r in b.finds("main table.versions tbody tr")] \
            == ["2", "1"]
        assert "增补热泵压缩机" in b.text("main table.versions")
        got = s.get(f"/api/v1/bulletins/{draft['id']}").json()
        assert got["version"] == 2 and got["keywords"] == ["zqconsole heat pumps",
                                                           "zqconsole compressors"]
        assert got["correction"]["note"] == {"zh-CN": "增补热泵压缩机", "en": "Compressors added"}
        # The exporter who had the first version is told, in a follow-up to that alert.
        follow = wait_until("the correction in the inbox", lambda: [
            a for a in inbox(s, tok, draft["id"]) if a["rule"] == "bulletin-corrected"])
        assert len(follow) == 1 and follow[0]["follows"] == first[0]["id"], follow
        check_page(b, s, "zh-CN", "/staff/bulletins/{id} corrected", max_api=None)
    set_person(s, d.email, lang="en")
    with browser(s, lang="en", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path=f"/staff/bulletins/{draft['id']}")
        assert b.text("main h1") == TITLE["en"]
        check_page(b, s, "en", "/staff/bulletins/{id}")
        # Withdrawn, with a reason: without one the form says so.
        box = b.finds("main details.action-box")[1]
        box.find_element("css selector", "summary").click()
        b.click("main form.withdraw-form button[type=submit]")
        b.wait("the error", lambda: b.finds("main form.withdraw-form .error-summary:not([hidden])"))
        assert b.focused()["name"] == "reason.zh-CN"
        fill(b, "form.withdraw-form", "reason", {"en": "The rights holder withdrew its application."})
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.withdraw-form button[type=submit]")
        b.wait_ready()
        assert "Withdrawn" in b.text("main dl.facts")
        assert "The rights holder withdrew its application." in b.text("main dl.facts")
        assert not b.finds("main details.action-box")
        told = wait_until("the withdrawal in the inbox", lambda: [
            a for a in inbox(s, tok, draft["id"]) if a["rule"] == "bulletin-withdrawn"])
        assert len(told) == 1
        assert s.get(f"/api/v1/bulletins/{draft['id']}").json()["status"] == "withdrawn"
        check_page(b, s, "en", "/staff/bulletins/{id} withdrawn", max_api=None)
