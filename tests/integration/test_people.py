"""People who sign in: sign-up with a verified address, sign-in that does not tell whether an
account exists, throttling per account and per address, the TOTP second factor (codes computed
here by RFC 6238), admins held to setting one up, password reset by single-use mail, invitations
by role, a person's own API tokens, the audit log, and the roles and scope of the tenant
records persons are attached to."""
import hashlib
import json
import os
import subprocess
import time

from harness import problem, wait_until
from peoplelib import (PASSWORD, Browser, audit_events, clear_throttle, mail_link, mails_with,
                       make_person, set_clock, sign_in, totp, unique_email)


def test_signup_verification_mail_then_signed_in(s):
    email = unique_email("signup")
    b = Browser(s)
    r = b.post("/api/v1/signup", {"company": "Xiamen Signup Textiles Co., Ltd.", "country": "CN",
                                  "email": email, "password": PASSWORD, "lang": "en"})
    assert r.status == 202, r
    assert b.cookie is None
    token = mail_link(s, email, "/verify")
    msg = s.mail_to(email)[0]
    assert "Confirm your email address" in msg["Subject"]
    assert msg["List-Unsubscribe"] is None   # account mail has no unsubscribe
    r = b.post("/api/v1/signup/verify", {"token": token})
    assert r.status == 200, r
    assert b.cookie and r.json()["person"]["role"] == "exporter"
    assert r.json()["person"]["team_role"] == "owner" and r.json()["person"]["verified"] is True
    me = b.get("/api/v1/me").json()
    assert me["account"]["name"] == "Xiamen Signup Textiles Co., Ltd.", me
    assert me["person"]["email"] == email and "pwhash" not in me["person"]
    # The link works once; the password signs in from now on.
    problem(Browser(s).post("/api/v1/signup/verify", {"token": token}), 400, "token-invalid")
    sign_in(s, email)
    assert "signed-up" in audit_events(b)


def test_signup_with_a_taken_address_answers_the_same_and_tells_the_owner(s):
    email = make_person(s, "admin")
    new = unique_email("fresh")
    body = {"company": "Taken Ltd", "country": "CN", "password": PASSWORD}
    r1 = Browser(s).post("/api/v1/signup", {**body, "email": email})
    r2 = Browser(s).post("/api/v1/signup", {**body, "email": new})
    assert r1.status == r2.status == 202
    assert r1.json()["detail"] == r2.json()["detail"]
    wait_until("the notice to the owner",
               lambda: mails_with(s, email, "Someone tried to sign up"), timeout=30)
    mail_link(s, new, "/verify")


def test_signup_refuses_a_short_password_and_a_bad_country(s):
    p = problem(Browser(s).post("/api/v1/signup", {"company": "Short Ltd", "country": "XX",
                                                   "email": unique_email("short"),
                                                   "password": "short"}), 400, "validation")
    ptrs = [e["pointer"] for e in p["errors"]]
    assert "/country" in ptrs, p


def test_wrong_password_and_unknown_account_fail_alike(s):
    clear_throttle(s)
    email = make_person(s, "admin")
    wrong = Browser(s).post("/api/v1/session", {"email": email, "password": "not the password"})
    unknown = Browser(s).post("/api/v1/session", {"email": unique_email("nobody"),
                                                  "password": "not the password"})
    for r in (wrong, unknown):
        problem(r, 401, "sign-in-failed")
        assert r.header("Set-Cookie") is None
    assert wrong.body == unknown.body
    assert wrong.headers == unknown.headers or \
        [h for h in wrong.headers if h[0] != "Date"] == [h for h in unknown.headers
                                                        if h[0] != "Date"]
    clear_throttle(s)


def test_throttled_per_account_with_retry_after_whether_or_not_it_exists(s):
    clear_throttle(s)
    try:
        known = make_person(s, "admin")
        unknown = unique_email("ghost")
        answers = {}
        for email in (known, unknown):
            for _ in range(5):
                problem(Browser(s).post("/api/v1/session", {"email": email,
                                                            "password": "guess guess"}),
                        401, "sign-in-failed")
            r = Browser(s).post("/api/v1/session", {"email": email, "password": "guess again"})
            problem(r, 429, "sign-in-throttled")
            assert 1 <= int(r.header("Retry-After")) <= 900, r.header("Retry-After")
            answers[email] = json.loads(r.body)
        assert answers[known] == answers[unknown]
        # The right password is refused as well while the account is throttled.
        problem(Browser(s).post("/api/v1/session", {"email": known, "password": PASSWORD}),
                429, "sign-in-throttled")
        # Another account from the same address is not held back by these.
        sign_in(s, make_person(s, "admin"))
    finally:
        clear_throttle(s)


def test_throttled_per_address(s):
    clear_throttle(s)
    try:
        for i in range(20):
            problem(Browser(s).post("/api/v1/session", {"email": unique_email("spray"),
                                                        "password": "guess guess"}),
                    401, "sign-in-failed")
        r = Browser(s).post("/api/v1/session", {"email": make_person(s, "admin"),
                                                "password": PASSWORD})
        problem(r, 429, "sign-in-throttled")
        assert int(r.header("Retry-After")) >= 1
    finally:
        clear_throttle(s)


def test_totp_enrol_confirm_sign_in_and_a_reused_code_refused(s):
    clear_throttle(s)
    sub, _ = s.tenant("TOTP Exporter Ltd")
    email = make_person(s, "exporter", sub["id"])
    b = sign_in(s, email)
    r = b.post("/api/v1/me/totp")
    assert r.status == 200, r
    secret, uri = r.json()["secret"], r.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/Seawall:") and f"secret={secret}" in uri
    assert "issuer=Seawall" in uri and len(secret) == 32
    problem(b.post("/api/v1/me/totp/confirm", {"code": "000000" if totp(secret) != "000000"
                                               else "111111"}), 400, "totp-invalid")
    t = time.time()
    code = totp(secret, t)
    r = b.post("/api/v1/me/totp/confirm", {"code": code})
    assert r.status == 200 and r.json()["totp_enabled"] is True, r
    # Password alone is no longer enough; the code just used is refused; the next one signs in.
    problem(Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD}),
            401, "totp-required")
    problem(Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD,
                                                "totp": code}), 401, "totp-required")
    nb = sign_in(s, email, code=totp(secret, t + 30))
    assert nb.get("/api/v1/me").json()["person"]["totp_enabled"] is True
    events = audit_events(b)
    assert "totp-enabled" in events and "sign-in-failed" in events, events
    clear_throttle(s)


def test_admin_without_totp_gets_a_session_limited_to_setting_it_up(s):
    clear_throttle(s)
    email = make_person(s, "admin")
    b = sign_in(s, email)
    assert b.last.json()["totp_setup_required"] is True
    p = problem(b.get("/api/v1/subscribers"), 403, "totp-setup-required")
    assert "/api/v1/me/totp" in p["detail"]
    assert b.get("/api/v1/session").json()["totp_setup_required"] is True
    secret = b.post("/api/v1/me/totp").json()["secret"]
    t = time.time()
    assert b.post("/api/v1/me/totp/confirm", {"code": totp(secret, t)}).status == 200
    assert b.get("/api/v1/subscribers").status == 200
    assert b.get("/api/v1/session").json()["totp_setup_required"] is False
    # From now on the admin signs in with a code, and cannot remove the second factor.
    problem(Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD}),
            401, "totp-required")
    a = sign_in(s, email, code=totp(secret, t + 30))
    assert a.last.json()["totp_setup_required"] is False
    problem(a.delete("/api/v1/me/totp", {"code": totp(secret, t + 60)}), 403,
            "totp-required-for-admins")


def test_password_reset_mail_is_single_use_and_ends_sessions(s):
    clear_throttle(s)
    email = make_person(s, "admin")
    old = sign_in(s, email)
    other = Browser(s).post("/api/v1/password/forgot", {"email": unique_email("nobody")})
    r = Browser(s).post("/api/v1/password/forgot", {"email": email})
    assert r.status == other.status == 202 and r.json()["detail"] == other.json()["detail"]
    token = mail_link(s, email, "/reset")
    new_pw = "a brand new passphrase"
    problem(Browser(s).post("/api/v1/password/reset", {"token": token, "password": "short"}),
            400, "validation")
    assert Browser(s).post("/api/v1/password/reset", {"token": token,
                                                      "password": new_pw}).status == 204
    problem(Browser(s).post("/api/v1/password/reset", {"token": token, "password": new_pw}),
            400, "token-invalid")
    problem(old.get("/api/v1/me"), 401, "unauthorized")
    problem(Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD}),
            401, "sign-in-failed")
    b = sign_in(s, email, password=new_pw)
    wait_until("the password notice", lambda: mails_with(s, email, "password was changed"))
    assert "password-reset" in audit_events(b)
    clear_throttle(s)


def test_password_reset_link_expires(s):
    email = make_person(s, "admin")
    assert Browser(s).post("/api/v1/password/forgot", {"email": email}).status == 202
    token = mail_link(s, email, "/reset")
    set_clock(s, 61 * 60 * 1000)
    try:
        problem(Browser(s).post("/api/v1/password/reset", {"token": token,
                                                           "password": "too late passphrase"}),
                400, "token-invalid")
    finally:
        set_clock(s, 0)
    sign_in(s, email)


def test_password_change_needs_the_current_one_and_ends_other_sessions(s):
    clear_throttle(s)
    email = make_person(s, "admin")
    a, b = sign_in(s, email), sign_in(s, email)
    p = problem(a.post("/api/v1/me/password", {"current": "not it at all", "new": "x" * 12}),
                400, "validation")
    assert p["errors"][0]["pointer"] == "/current"
    assert a.post("/api/v1/me/password", {"current": PASSWORD,
                                          "new": "another good passphrase"}).status == 204
    assert a.get("/api/v1/me").status == 200
    problem(b.get("/api/v1/me"), 401, "unauthorized")
    events = audit_events(a)
    assert "password-changed" in events and "password-change-failed" in events, events
    clear_throttle(s)


def test_rehash_on_sign_in_when_the_parameters_changed(s):
    email = make_person(s, "admin", env={"SEAWALL_PEOPLE_ARGON2_MEMLIMIT": "2097152"})
    pid = json.loads(s.cli("person", "list"))[-1]["id"]

    def stored():
        return json.loads(s.redis("GET", f"sw:{{person:{pid}}}:profile"))["pwhash"]
    assert stored().startswith("$argon2id$") and "m=2048," in stored(), stored()
    sign_in(s, email)
    assert "m=1024," in stored(), stored()
    sign_in(s, email)


def invite(s, inviter, body, token=None):
    if token:
        return s.post("/api/v1/invitations", body, token=token)
    return inviter.post("/api/v1/invitations", body)


def accept(s, email, name="Invited Person"):
    token = mail_link(s, email, "/invite")
    info = Browser(s).get(f"/api/v1/invitations/{token}")
    assert info.status == 200, info
    b = Browser(s)
    r = b.post("/api/v1/invitations/accept", {"token": token, "name": name,
                                               "password": PASSWORD})
    assert r.status == 200, r
    problem(Browser(s).post("/api/v1/invitations/accept", {"token": token, "name": name,
                                                            "password": PASSWORD}),
            400, "token-invalid")
    return b, info.json()


def test_invitations_by_role(s):
    clear_throttle(s)
    centre = s.make("/api/v1/centres", {"name": "Invitation Centre", "country": "CN"})
    s.fair("inv-fair-2026")
    station = s.make("/api/v1/stations", {"name": "Invitation Desk", "show": "inv-fair-2026",
                                          "country": "DE"})
    # The admin invites a triager to a centre and a station person.
    tri_email = unique_email("triager")
    r = invite(s, None, {"email": tri_email, "role": "triager", "centre": centre["id"]},
               token=s.admin)
    assert r.status == 201, r
    tri, info = accept(s, tri_email, "Tri Ager")
    assert info["account"] == "Invitation Centre" and info["role"] == "triager"
    me = tri.get("/api/v1/me").json()
    assert me["role"] == "triager" and me["centre"] == centre["id"], me
    st_email = unique_email("station")
    assert invite(s, None, {"email": st_email, "role": "station", "subject": station["id"]},
                  token=s.admin).status == 201
    st, _ = accept(s, st_email)
    assert st.get("/api/v1/me").json()["station"] == station["id"]
    problem(invite(s, None, {"email": unique_email("x"), "role": "exporter", "subject": 1},
                   token=s.admin), 403, "forbidden")
    # A triager invites experts of their centre, not triagers nor experts elsewhere.
    exp_email = unique_email("expert")
    r = invite(s, tri, {"email": exp_email, "role": "expert"})
    assert r.status == 201, r
    problem(invite(s, tri, {"email": unique_email("t2"), "role": "triager"}), 403, "forbidden")
    other = s.make("/api/v1/centres", {"name": "Other Centre", "country": "CN"})
    problem(invite(s, tri, {"email": unique_email("e2"), "role": "expert",
                            "centre": other["id"]}), 403, "forbidden")
    exp, _ = accept(s, exp_email, "Ex Pert")
    me = exp.get("/api/v1/me").json()
    assert me["role"] == "expert" and me["centre"] == centre["id"], me
    # An expert and a station may not invite at all.
    problem(invite(s, exp, {"email": unique_email("e3"), "role": "expert"}), 403)
    problem(invite(s, st, {"email": unique_email("s3"), "role": "station"}), 403)
    # An exporter owner invites a colleague; the colleague (a member) cannot invite.
    sub, sub_tok = s.tenant("Team Exporter Ltd")
    owner_email = make_person(s, "exporter", sub["id"], team_role="owner")
    owner = sign_in(s, owner_email)
    col_email = unique_email("colleague")
    r = invite(s, owner, {"email": col_email, "role": "exporter"})
    assert r.status == 201 and r.json()["team_role"] == "member", r
    col, _ = accept(s, col_email)
    me = col.get("/api/v1/me").json()
    assert me["subscriber"] == sub["id"] and me["person"]["team_role"] == "member", me
    problem(invite(s, col, {"email": unique_email("c2"), "role": "exporter"}), 403, "forbidden")
    # An address that has a person already cannot be invited.
    problem(invite(s, owner, {"email": col_email, "role": "exporter"}), 409, "conflict")
    assert "invitation-accepted" in audit_events(owner)
    # The team: both persons, to each of them and to the subscriber's bare token, and no one
    # of another subscriber's; never a secret.
    team = owner.get("/api/v1/team").json()["items"]
    assert [(p["email"], p["team_role"]) for p in team] == [
        (owner_email, "owner"), (col_email, "member")], team
    assert set(team[0]) == {"id", "name", "email", "team_role", "totp_enabled", "verified",
                            "created_at"}, team[0]
    assert col.get("/api/v1/team").json()["items"] == team
    assert s.get("/api/v1/team", token=sub_tok).json()["items"] == team
    page = owner.get("/api/v1/team?limit=1").json()
    assert [p["email"] for p in page["items"]] == [owner_email] and page["next"], page
    rest = owner.get(f"/api/v1/team?limit=1&cursor={page['next']}").json()
    assert [p["email"] for p in rest["items"]] == [col_email] and rest["next"] is None, rest
    other_sub, other_tok = s.tenant("Other Team Ltd")
    assert s.get("/api/v1/team", token=other_tok).json()["items"] == []
    problem(exp.get("/api/v1/team"), 403)
    clear_throttle(s)


def test_invitations_listed_and_revoked(s):
    clear_throttle(s)
    sub, _ = s.tenant("Revoking Exporter Ltd")
    owner = sign_in(s, make_person(s, "exporter", sub["id"]))
    email = unique_email("revoked")
    r = owner.post("/api/v1/invitations", {"email": email, "role": "exporter"})
    assert r.status == 201, r
    iid = r.json()["id"]
    token = mail_link(s, email, "/invite")
    items = owner.get("/api/v1/invitations").json()["items"]
    assert [i["id"] for i in items] == [iid] and items[0]["email"] == email
    assert owner.delete(f"/api/v1/invitations/{iid}").status == 204
    problem(Browser(s).get(f"/api/v1/invitations/{token}"), 404)
    problem(Browser(s).post("/api/v1/invitations/accept", {"token": token, "name": "Late",
                                                           "password": PASSWORD}),
            400, "token-invalid")
    assert owner.get("/api/v1/invitations").json()["items"] == []
    events = audit_events(owner)
    assert "invitation-sent" in events and "invitation-revoked" in events, events


def test_a_person_makes_and_revokes_their_own_api_tokens(s):
    clear_throttle(s)
    sub, _ = s.tenant("Token Person Ltd")
    b = sign_in(s, make_person(s, "exporter", sub["id"]))
    other = sign_in(s, make_person(s, "exporter", sub["id"]))
    r = b.post("/api/v1/tokens", {"label": "nightly script"})
    assert r.status == 201, r
    tok, tid = r.json()["token"], r.json()["id"]
    assert r.json()["role"] == "exporter" and r.json()["subject"] == sub["id"]
    problem(b.post("/api/v1/tokens", {"role": "admin", "subject": 0, "label": "no"}), 403)
    me = s.get("/api/v1/me", token=tok).json()
    assert me["person"]["id"] == b.get("/api/v1/me").json()["person"]["id"], me
    assert [t["id"] for t in b.get("/api/v1/tokens").json()["items"]] == [tid]
    assert other.get("/api/v1/tokens").json()["items"] == []
    problem(other.get(f"/api/v1/tokens/{tid}"), 404)
    problem(other.delete(f"/api/v1/tokens/{tid}"), 404)
    # The token a person made reaches the person's own routes too.
    assert s.get("/api/v1/me/audit", token=tok).status == 200
    assert b.delete(f"/api/v1/tokens/{tid}").status == 200
    problem(s.get("/api/v1/me", token=tok), 401, "unauthorized")
    events = audit_events(b)
    assert "token-created" in events and "token-revoked" in events, events
    # A bare token (no person) has no person routes.
    problem(s.get("/api/v1/me/sessions", token=s.token_for("exporter", sub["id"])), 403,
            "person-required")


def test_profile_language_and_zone(s):
    clear_throttle(s)
    b = sign_in(s, make_person(s, "admin"))
    b.post("/api/v1/me/totp")   # an admin's session does little else until then
    r = b.patch("/api/v1/me", {"name": "Zhang Wei", "lang": "zh-CN", "tz": "Asia/Shanghai"})
    problem(r, 403, "totp-setup-required")
    sub, _ = s.tenant("Profile Ltd")
    b = sign_in(s, make_person(s, "exporter", sub["id"]))
    r = b.patch("/api/v1/me", {"name": "Zhang Wei", "lang": "zh-CN", "tz": "Asia/Shanghai"})
    assert r.status == 200 and r.json()["lang"] == "zh-CN", r
    # The person's sessions answer in the new language from the next request on.
    pid = r.json()["id"]
    keys = s.redis("ZRANGE", f"sw:{{person:{pid}}}:sessions", "0", "-1")
    assert keys and all(s.redis("HGET", f"sw:sess:{k}", "lang") == "zh-CN" for k in keys)
    p = problem(b.patch("/api/v1/me", {"tz": "Mars/Olympus"}), 400, "validation")
    assert p["errors"][0]["pointer"] == "/tz"
    problem(b.patch("/api/v1/me", {"lang": "fr"}), 400, "validation")


def test_persons_keep_their_roles_and_scope(s):
    """An exporter person sees only their subscriber, as an exporter token does."""
    clear_throttle(s)
    mine, _ = s.tenant("Scoped Exporter Ltd")
    theirs, their_tok = s.tenant("Other Scoped Ltd")
    s.post(f"/api/v1/subscribers/{theirs['id']}/portfolio", {"kind": "mark",
                                                             "text": "ZQSCOPEMARK"},
           token=their_tok)
    b = sign_in(s, make_person(s, "exporter", mine["id"]))
    assert b.get(f"/api/v1/subscribers/{mine['id']}").status == 200
    for path in (f"/api/v1/subscribers/{theirs['id']}",
                 f"/api/v1/subscribers/{theirs['id']}/portfolio"):
        r = b.get(path)
        problem(r, 404)
        assert "ZQSCOPEMARK" not in r.body and "Other Scoped" not in r.body
    problem(b.get("/api/v1/subscribers"), 403, "forbidden")
    problem(b.get("/api/v1/centres"), 403, "forbidden")
    # A person of a tenant record that does not exist cannot be made.
    p = s.cli("person", "create", "--email", unique_email("orphan"), "--role", "exporter",
              "--subject", "999999", check=False)
    assert p.returncode != 0 and "no subscriber" in p.stderr, p.stderr


def test_sign_in_from_a_new_place_is_told_by_mail(s):
    clear_throttle(s)
    email = make_person(s, "admin")
    sign_in(s, email)   # the first sign-in is no news
    b = Browser(s)
    r = b.post("/api/v1/session", {"email": email, "password": PASSWORD},
               headers={"User-Agent": "Unfamiliar Browser/1.0"})
    assert r.status == 200, r
    msg = wait_until("the new sign-in notice", lambda: mails_with(s, email, "new sign-in"))[0]
    assert "Unfamiliar Browser/1.0" in msg.get_body(("plain",)).get_content()
    assert len(mails_with(s, email, "new sign-in")) == 1


def test_second_factor_removed_with_a_code(s):
    clear_throttle(s)
    sub, _ = s.tenant("TOTP Removing Ltd")
    email = make_person(s, "exporter", sub["id"])
    b = sign_in(s, email)
    problem(b.delete("/api/v1/me/totp", {"code": "123456"}), 409, "totp-not-enabled")
    secret = b.post("/api/v1/me/totp").json()["secret"]
    t = time.time()
    assert b.post("/api/v1/me/totp/confirm", {"code": totp(secret, t)}).status == 200
    problem(b.post("/api/v1/me/totp"), 409, "totp-enabled")
    p = problem(b.delete("/api/v1/me/totp", {"code": totp(secret, t)}), 400, "totp-invalid")
    assert "used already" in p["detail"], p
    assert b.delete("/api/v1/me/totp", {"code": totp(secret, t + 30)}).status == 204
    assert sign_in(s, email).last.json()["person"]["totp_enabled"] is False
    assert "totp-disabled" in audit_events(b)
    wait_until("the second-factor notices",
               lambda: len(mails_with(s, email, "second factor was changed")) == 2)


def test_an_address_claimed_for_a_person_never_written(s):
    """A person is written claim of the address first, then the indexes, then the profile
    (three cluster slots). A claim naming no profile is nobody: sign-in fails as for an
    unknown address; while it is fresh the address stays taken (a creation may be on its
    way), and once it is a minute old the next creation takes it over."""
    clear_throttle(s)
    fresh, stale = unique_email("claimed"), unique_email("stale")
    key = lambda e: "sw:person:email:" + hashlib.sha256(e.lower().encode()).hexdigest()
    s.redis("SET", key(fresh), "%d:%d" % (10 ** 9, int(time.time() * 1000)))
    s.redis("SET", key(stale), "%d:%d" % (10 ** 9 + 1, int(time.time() * 1000) - 120000))
    try:
        problem(Browser(s).post("/api/v1/session", {"email": fresh, "password": PASSWORD}),
                401, "sign-in-failed")
        taken = subprocess.run(
            [os.path.join(s.build, "bin", "seawall"), "--config",
             os.path.join(s.dir, "seawall.conf"), "person", "create", "--email", fresh,
             "--role", "admin", "--subject", "0"],
            capture_output=True, text=True, env=dict(os.environ, **s.env_for_programs()),
            timeout=30)
        assert taken.returncode != 0 and "exists" in taken.stderr, taken
        sign_in(s, make_person(s, "admin", email=stale))
        pid = int(s.redis("GET", key(stale)).split(":")[0])
        assert pid != 10 ** 9 + 1 and s.redis("EXISTS", "sw:{person:%d}:profile" % pid) == 1
    finally:
        s.redis("DEL", key(fresh))
        clear_throttle(s)
