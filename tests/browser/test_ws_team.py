"""The exporter's team in a real browser against the real stack: an owner invites a colleague,
the mail arrives in the stack's mailbox, the colleague accepts it in a second browser and is
listed; a member sees the team but cannot invite; an invitation revoked; both languages, a
phone and a desktop, and the budget."""
from browser import DESKTOP, PHONE, browser
from harness import wait_until
from peoplelib import PASSWORD, mail_link, unique_email
from portal import catalogue
from wslib import (ZONE, check_page, exporter, field_error, first_load, select, set_person,
                   sign_in, type_into)


def team_rows(b):
    return [(r.find_element("css selector", "th").text,
             r.find_element("css selector", "td").text)
            for r in b.finds("main table.team tbody tr")]


def test_invite_accept_listed_and_revoke(s):
    sub, tok, owner_email = exporter(s, company="Team Lighting Co.", name="Li Wei")
    cat = catalogue(s)
    new_email = unique_email("colleague")
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as a:
        sign_in(a, owner_email, next_path="/app/team")
        assert a.text("main h1") == "Team"
        assert team_rows(a) == [("Li Wei (you)", owner_email)]
        check_page(a, s, "en", "/app/team")
        # Checked here first; then the API's own answer at the field (an address with a person).
        a.click("main form.invite-form button[type=submit]")
        a.wait("the error", lambda: a.finds(".error-summary:not([hidden])"))
        assert field_error(a, "email") == ("true", "Error: Enter your colleague's email address")
        a.allow("/api/v1/invitations", 409)
        type_into(a, "main form.invite-form [name=email]", owner_email)
        a.click("main form.invite-form button[type=submit]")
        a.wait("the API's error", lambda: "a person with this address exists already" in
               a.text(".invite-form .error-summary"))
        # Invite a colleague as a member: listed as waiting, the mail in the mailbox.
        type_into(a, "main form.invite-form [name=email]", new_email)
        select(a, "main form.invite-form select[name=team_role]", "member")
        a.click("main form.invite-form button[type=submit]")
        a.wait("the pending invitation", lambda: a.finds("main table.invitations tbody tr"))
        assert a.text("main .notice.success") == f"An invitation has been mailed to {new_email}."
        row = a.find("main table.invitations tbody tr")
        assert new_email in row.text and "Member" in row.text
        token = mail_link(s, new_email, "/invite")
        # The colleague accepts in a browser of their own (Chinese, a phone) and is signed in.
        with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as c:
            c.open(f"/invite?token={token}")
            assert "Team Lighting Co." in c.text("main .lead") and "Li Wei" in c.text("main .lead")
            c.find("main [name=name]").send_keys("Wang Fang")
            c.find("main [name=password]").send_keys(PASSWORD)
            c.js("document.querySelector('select[name=lang]').value = 'zh-CN'")
            c.js("document.documentElement.dataset.state = 'leaving'")
            c.click("main form button[type=submit]")
            c.wait("the workspace", lambda: c.path() == "/app" and
                   c.js("return document.documentElement.dataset.state") == "ready")
            c.follow("sw-app-nav a[href='/app/team']")
            assert c.text("main h1") == cat["Team"]
            names = [n for n, _ in team_rows(c)]
            assert names == ["Li Wei", f"Wang Fang {cat['(you)']}"], names
            # A member sees the team, not the invitation form.
            assert not c.finds("main form.invite-form")
            assert cat["Only the team's owners can invite colleagues."] in c.text()
            check_page(c, s, "zh-CN", "/app/team (member)", max_api=None)
        # The owner sees the colleague listed and the invitation gone.
        a.open("/app/team")
        assert team_rows(a) == [("Li Wei (you)", owner_email), ("Wang Fang", new_email)]
        assert "Member" in a.find("main table.team tbody tr:last-child").text
        assert a.text("main #pending ~ .empty") == "No invitations are waiting for an answer."
        team = s.get("/api/v1/team", token=tok).json()["items"]
        assert [(p["email"], p["team_role"]) for p in team] == [(owner_email, "owner"),
                                                                  (new_email, "member")]
        # Another invitation, revoked: gone from the page and from the API; its link is dead.
        other = unique_email("revoked")
        type_into(a, "main form.invite-form [name=email]", other)
        select(a, "main form.invite-form select[name=team_role]", "owner")
        a.click("main form.invite-form button[type=submit]")
        a.wait("the pending invitation", lambda: a.finds("main table.invitations tbody tr"))
        assert "Owner" in a.text("main table.invitations tbody tr")
        a.click("main table.invitations tbody tr button")
        a.wait("the revocation", lambda: not a.finds("main table.invitations tbody tr"))
        assert a.text("main p[role=status]") == f"The invitation to {other} has been revoked."
        assert a.focused()["name"] == "email"
        dead = mail_link(s, other, "/invite")
        assert s.get(f"/api/v1/invitations/{dead}").status == 404
        check_page(a, s, "en", "/app/team", max_api=None)
        # Each page's first load within the budgets.
        size, calls = first_load(a, "/app/team")
        assert size <= 150 * 1024 and len(calls) <= 4, (size, calls)


def test_team_in_chinese_by_keyboard(s):
    sub, tok, email = exporter(s, company="Keyboard Team Ltd.", name="Zhao Lei")
    set_person(s, email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, email, next_path="/app/team")
        check_page(b, s, "zh-CN", "/app/team")
        # Tab to the address, type it, tab to the role and the button, send with Enter.
        for _ in range(60):
            if b.tab()["name"] == "email":
                break
        assert b.focused()["name"] == "email"
        address = unique_email("kb")
        b.keys(address)
        assert b.tab()["name"] == "team_role"
        f = b.tab()
        assert f["tag"] == "button", f
        b.keys("\n")
        b.wait("the pending invitation", lambda: b.finds("main table.invitations tbody tr"))
        wait_until("the invitation mail", lambda: s.mail_to(address))
        check_page(b, s, "zh-CN", "/app/team after inviting", max_api=None)
