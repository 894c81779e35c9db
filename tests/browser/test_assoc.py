"""An industry association's pages and the exporter's consent page in a real browser against the
real stack: the association's person signs in, sees its members and what each shares, the
matter the matcher made of one Section 337 investigation with the members' cases side by side,
invites a company (refusals shown at the field), sends one notice in both languages; the
company's person (Chinese, a phone) joins and chooses what to share; the sector watch's
forwarding is chosen; every page in both languages at a phone's and a desktop's width."""
from selenium.webdriver.common.keys import Keys

from assocdata import INVESTIGATION, demo
from browser import DESKTOP, PHONE, browser
from portal import catalogue
from wslib import ZONE, check_page, exporter, field_error, set_person, sign_in, type_into


def rows(b, css):
    return [r.get_attribute("data-subscriber") for r in b.finds(f"{css} tbody tr")]


def test_association_journey(s):
    d = demo(s)
    cat = catalogue(s)
    _, new_tok, new_email = exporter(s, company="Shaoxing Lantern Craft Co., Ltd.", name="Sun Li",
                                     tz="Asia/Shanghai")
    set_person(s, d["email"], lang="en")
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as a:
        sign_in(a, d["email"], next_path="/assoc")
        assert a.text("main h1") == "Association overview"
        assert "Ningbo Lighting Industry Association" in a.text("main .lead")
        members = rows(a, "main table.members")
        assert set(members) >= {str(v) for v in d["members"].values()}, members
        silent = a.find(f"main table.members tr[data-subscriber='{d['members']['silent']}']")
        assert "Membership only" in silent.text
        assert a.finds(f"main table.matters a[href='/assoc/matters/{d['matter']}']")
        assert a.text("main #by-market tbody").split()[-1] == "2"   # the two shared cases
        check_page(a, s, "en", "/assoc")
        # The matter: the members concerned side by side, the cases of those who share them.
        a.open(f"/assoc/matters/{d['matter']}")
        assert INVESTIGATION in a.text("main h1")
        got = rows(a, "main table.matter-members")
        assert sorted(got) == sorted(str(d["members"][k]) for k in ("cases1", "cases2", "alerts"))
        assert str(d["members"]["silent"]) not in got
        one = a.find(f"main tr[data-subscriber='{d['members']['cases1']}']").text
        assert f"Case #{d['cases']['cases1']}" in one and "Submitted" in one, one
        assert "Member concerned" in a.find(
            f"main tr[data-subscriber='{d['members']['alerts']}']").text
        check_page(a, s, "en", "/assoc/matters/:id")
        # One notice in both languages: checked here first, then sent to both who share.
        a.click("main form.notice-form button[type=submit]")
        a.wait("the error", lambda: a.finds(".notice-form .error-summary:not([hidden])"))
        assert field_error(a, "title-zh-CN") == ("true", "Error: Write a subject in at least one language")
        type_into(a, "main [name=title-zh-CN]", "联合应诉会议")
        type_into(a, "main [name=text-zh-CN]", "请于周五前提交答辩材料。")
        type_into(a, "main [name=title-en]", "Joint response meeting")
        type_into(a, "main [name=text-en]", "Please send your answer papers by Friday.")
        a.click("main form.notice-form button[type=submit]")
        a.wait("sent", lambda: "sent to 3 members" in a.text("main .notice-form .status"))
        inbox = s.get("/api/v1/alerts?limit=50", token=d["member_tokens"]["cases2"]).json()["items"]
        assert [x["event"]["title"] for x in inbox if x["event"]["type"] == "matter_notice"] == \
            ["联合应诉会议"]   # a Chinese company: its language
        silent_inbox = s.get("/api/v1/alerts?limit=50", token=d["member_tokens"]["silent"]).json()
        assert not [x for x in silent_inbox["items"] if x["event"]["type"] == "matter_notice"]
        # Members: refusals at the field, then the company invited by its person's address.
        a.follow("sw-app-nav a[href='/assoc/members']")
        a.click("main form.invite-form button[type=submit]")
        a.wait("the error", lambda: a.finds(".invite-form .error-summary:not([hidden])"))
        assert field_error(a, "invitee") == ("true", "Error: Enter an e-mail address or a Seawall number")
        a.allow("/invitations", 409)
        type_into(a, "main [name=invitee]", str(d["members"]["cases1"]))
        a.click("main form.invite-form button[type=submit]")
        a.wait("the API's error", lambda: "is invited already, or a member" in
               a.text(".invite-form .field-error"))
        type_into(a, "main [name=invitee]", new_email)
        a.click("main form.invite-form button[type=submit]")
        a.wait("the new row", lambda: "Shaoxing Lantern Craft" in a.text("main table.members"))
        assert "Invited" in a.text("main table.members tbody tr:last-child")
        check_page(a, s, "en", "/assoc/members", max_api=None)
        # The sector watch: the watch list's page, and forwarding to members chosen.
        a.follow("sw-app-nav a[href='/assoc/watch']")
        assert a.text("main h1") == "Sector watch"
        assert "Brightline Patent Holdings LLC" in a.text("main table.portfolio-table")
        a.click("main #fwd-affected")
        a.click("main form.forward-form button[type=submit]")
        a.wait("saved", lambda: "members in the market concerned" in
               a.text("main .forward-form .status"))
        assert s.get(f"/api/v1/associations/{d['a']}", token=d["tok"]).json()[
            "forward_to_members"] == "affected"
        check_page(a, s, "en", "/assoc/watch", max_api=None)
    # The company's person, in Chinese on a phone: joins and shares its cases.
    set_person(s, new_email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as c:
        sign_in(c, new_email, next_path="/app/associations")
        assert c.text("main h1") == cat["Associations"]
        card = "main section[data-association]"
        assert "Ningbo Lighting Industry Association" in c.text(card)
        assert cat["Invited"] in c.text(card)
        check_page(c, s, "zh-CN", "/app/associations")
        # The invitation also came to the inbox, worded in Chinese, with the way to answer it.
        inv = [x for x in s.get("/api/v1/alerts?limit=50", token=new_tok).json()["items"]
               if x["event"]["type"] == "association_invitation"][0]
        c.open(f"/app/alerts/{inv['id']}")
        assert c.text("main h1") == "Ningbo Lighting Industry Association邀请贵企业加入"
        check_page(c, s, "zh-CN", "/app/alerts/:id (an invitation)")
        c.follow("main a[href='/app/associations']")
        c.click(f"{card} input[value=cases]")
        c.click(f"{card} button[type=submit]")
        c.wait("joined", lambda: cat["Has joined"] in c.text(card))
        assert cat["Early warnings and cases"] in c.text(card)
        mine = s.get("/api/v1/me/associations", token=new_tok).json()["items"]
        assert [(m["status"], m["share"]) for m in mine] == [("member", "cases")], mine
        # Changing its mind by keyboard alone: to the choice, up to "membership only", to the
        # button, Enter; the association sees nothing more of it.
        c.find("main h1").click()
        for _ in range(40):
            if c.tab()["name"] == "share":
                break
        assert c.focused()["id"].endswith("-cases"), c.focused()
        c.keys(Keys.ARROW_UP, Keys.ARROW_UP)
        assert c.focused()["id"].endswith("-none"), c.focused()
        f = c.tab()
        assert f["tag"] == "button" and f["text"] == cat["Save the choice"], f
        c.keys(Keys.ENTER)
        c.wait("saved", lambda: cat["Membership only"] in c.text(card + " dl"))
        check_page(c, s, "zh-CN", "/app/associations (member)", max_api=None)
        mine = s.get("/api/v1/me/associations", token=new_tok).json()["items"]
        assert mine[0]["share"] == "none", mine


def test_every_page_in_both_languages_and_widths(s):
    d = demo(s)
    pages = ["/assoc", "/assoc/members", "/assoc/watch", f"/assoc/matters/{d['matter']}"]
    # The workspace's shared pages as the association sees them: one width per language.
    shared = ["/app/inbox", "/app", "/app/account"]
    for lang in ("zh-CN", "en"):
        set_person(s, d["email"], lang=lang)
        set_person(s, d["exporter"], lang=lang)
        cat = catalogue(s)
        with browser(s, lang=lang, size=DESKTOP, tz=ZONE) as b:
            sign_in(b, d["email"], next_path="/assoc")
            titles = [x.text for x in b.finds("sw-app-nav li a")]
            for t in ("Association overview", "Members", "Sector watch", "Inbox"):
                assert (cat[t] if lang == "zh-CN" else t) in titles, titles
            for size in (PHONE, DESKTOP):
                b.resize(size)
                here = pages + (shared if (size == PHONE) == (lang == "zh-CN") else [])
                for path in here:
                    b.open(path)
                    check_page(b, s, lang, f"{path} {size[0]}")
        with browser(s, lang=lang, size=PHONE, tz=ZONE) as b:
            sign_in(b, d["exporter"], next_path="/app/associations")
            for size in (PHONE, DESKTOP):
                b.resize(size)
                b.open("/app/associations")
                assert len(b.finds("main section[data-association]")) == 2
                check_page(b, s, lang, f"/app/associations {size[0]}")
