"""Their language: a subscriber set to Chinese gets its alert mail, digest, case notice and
webhook summary in Chinese (the catalogue's exact words), naming the matched keyword with a
percentage score and absolute links; the unsubscribe page speaks the subscriber's language
unless the browser asks for another; an English subscriber reads English; the API renders an
alert's title, summary and reasons in the reader's language and keeps the stored codes."""
import json

from harness import pointers, problem, wait_until
from hookserver import Receiver
from test_delivery import hook, settle


def body_text(m):
    return m.get_body(("plain",)).get_content()


def subject(m):
    import email.header
    return str(email.header.make_header(email.header.decode_header(m["Subject"])))


def test_chinese_subscriber_mail_webhook_and_unsubscribe_page(s):
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Ningbo Language Lighting Co., Ltd.")
        r = s.request("PATCH", "/api/v1/delivery", body={
            "emails": ["zh@lang.example"], "email_severity_floor": "low", "lang": "zh-CN",
            "tz": "Asia/Shanghai"}, token=tok)
        assert r.status == 200 and r.json()["lang"] == "zh-CN", r
        w = hook(s, tok, rec.url("ok", "langzh"))
        rec.secrets["langzh"] = [w["secret"]]
        a = s.make_alerts(sub, tok, 1, "langzh")[0]
        m = wait_until("the mail", lambda: s.mail_to("zh@lang.example"))[0]
        assert subject(m) == "【Seawall】中预警：您的关键词“zqlangzhx speaker” — Case 0: zqlangzhx " \
                             "speaker dispute", subject(m)
        text = body_text(m)
        base = f"http://127.0.0.1:{s.port}"
        assert "您的关键词“zqlangzhx speaker”出现在您监测的市场中" in text, text
        assert "匹配度：100%。" in text and "发现时间：" in text, text
        assert f"在 Seawall 中查看：{base}/app/alerts/{a['id']}\n" in text, text
        assert f"退订这些邮件：{base}/api/v1/unsubscribe?" in text, text
        html = m.get_body(("html",)).get_content()
        assert 'lang="zh-CN"' in html and f'href="{base}/app/alerts/{a["id"]}"' in html
        # The webhook: the same structure, a Chinese summary beside it.
        h = rec.wait("the webhook", lambda hs: [x for x in hs if x.path == "/ok/langzh"])[0]
        body = h.json()
        assert body["lang"] == "zh-CN" and body["data"]["id"] == a["id"], body
        assert body["summary"] == ("中预警：您的关键词“zqlangzhx speaker”出现在您监测的市场中：" +
                                   "“zqlangzhx speaker”。 匹配度：100%。"), body["summary"]
        assert body["data"]["items"][0]["reasons"][0]["why"] == "keyword in the text"
        assert h.valid_with == [w["secret"]]
        # The unsubscribe page: the subscriber's language, or the one the browser asks for.
        link = m["List-Unsubscribe"].strip("<>")
        path = link.split(str(s.port), 1)[1]
        page = s.get(path)
        assert page.status == 200 and "退订" in page.body and '<html lang=zh-CN>' in page.body
        assert page.header("Content-Language") == "zh-CN"
        page = s.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"})
        assert "Stop Seawall alert email to this address?" in page.body
        assert page.header("Content-Language") == "en"
    finally:
        rec.stop()


def test_english_subscriber_reads_english(s):
    sub, tok = s.tenant("Lyon Language SARL", country="FR")
    r = s.request("PATCH", "/api/v1/delivery", body={"emails": ["en@lang.example"],
                                                     "email_severity_floor": "low"}, token=tok)
    assert r.json()["lang"] == "en" and r.json()["tz"] == "UTC", r.json()
    a = s.make_alerts(sub, tok, 1, "langen")[0]
    m = wait_until("the mail", lambda: s.mail_to("en@lang.example"))[0]
    assert subject(m) == "[Seawall] Medium alert: your keyword “zqlangenx speaker” — Case 0: " \
                         "zqlangenx speaker dispute", subject(m)
    text = body_text(m)
    assert "Your keyword “zqlangenx speaker” appears in a market you watch" in text, text
    assert "Score: 100%." in text
    assert f"Open it in Seawall: http://127.0.0.1:{s.port}/app/alerts/{a['id']}" in text
    # Settings refuse what they cannot use.
    p = problem(s.request("PATCH", "/api/v1/delivery", body={"lang": "fr"}, token=tok), 400,
                "validation")
    assert pointers(p) == ["/lang"], p
    p = problem(s.request("PATCH", "/api/v1/delivery", body={"tz": "Mars/Base"}, token=tok),
                400, "validation")
    assert pointers(p) == ["/tz"], p


def test_chinese_digest_and_case_notice(s):
    sub, tok = s.tenant("Xiamen Digest Language Co., Ltd.")
    r = s.request("PATCH", "/api/v1/delivery", body={
        "emails": ["digest@lang.example"], "email_mode": "digest", "digest_hour": 8,
        "email_severity_floor": "low"}, token=tok)
    assert r.status == 200, r
    # A CN subscriber that never chose: Chinese, Shanghai time; the digest's hour is in it.
    assert r.json()["lang"] == "zh-CN" and r.json()["digest_tz"] == "Asia/Shanghai", r.json()
    assert r.json()["next_digest_at"].endswith("T00:00:00Z"), r.json()
    s.make_alerts(sub, tok, 2, "langdig")
    wait_until("two alerts waiting", lambda: s.redis(
        "ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 2)
    assert s.post("/api/v1/delivery/digest", None, token=tok).status == 202
    m = wait_until("the digest", lambda: s.mail_to("digest@lang.example"))[0]
    assert subject(m) == "【Seawall】每日汇总：2 条预警（紧急 0，高 0，中 2，低 0）", subject(m)
    text = body_text(m)
    assert "== 中 ==" in text and text.count("在 Seawall 中查看：http://127.0.0.1:") == 2, text
    assert "匹配度：100%。" in text
    # A case notice: stored with its code, read in Chinese by the API and the mail.
    centre = s.make("/api/v1/centres", {"name": "Language Centre", "country": "CN"})
    triager = s.make(f"/api/v1/centres/{centre['id']}/staff",
                     {"name": "Tri Lang", "email": "tl@c.example", "role": "triager"})
    tri = s.token_for("triager", triager["id"])
    r = s.post("/api/v1/cases", {"type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
                                 "opposing_party": "Brand LLC", "own_role": "defendant",
                                 "description": "Schedule A complaint.",
                                 "centre_id": centre["id"]}, token=tok)
    assert r.status == 201, r
    case = r.json()
    r = s.post(f"/api/v1/cases/{case['id']}/transition", {"to": "accepted"}, token=tri)
    assert r.status == 200, r

    def notice(lang):
        got = [a for a in s.get("/api/v1/alerts?rule=case-notice", token=tok,
                                headers={"Accept-Language": lang}).json()["items"]
               if a["event"].get("case_id") == case["id"]]
        return got[0] if got else None
    zh = wait_until("the notice", lambda: notice("zh-CN"))
    assert zh["title"] == f"您的案件 #{case['id']}：已受理", zh
    assert zh["reasons"][0]["text"] == "已受理" and zh["event"]["notice"] == "accepted"
    en = notice("en")
    assert en["title"] == f"Your case #{case['id']}: accepted" and en["summary"] == \
        f"Medium alert: Your case #{case['id']}: accepted", en
    # The notice waits for the next digest, which says it in Chinese.
    wait_until("the notice waiting", lambda: s.redis(
        "ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 1)
    assert s.post("/api/v1/delivery/digest", None, token=tok).status == 202
    m2 = wait_until("the second digest", lambda: s.mail_to("digest@lang.example")[1:])[0]
    assert subject(m2) == "【Seawall】每日汇总：1 条预警（紧急 0，高 0，中 1，低 0）", subject(m2)
    assert f"中预警：您的案件 #{case['id']}：已受理" in body_text(m2), body_text(m2)
    assert f"http://127.0.0.1:{s.port}/app/cases/{case['id']}" in body_text(m2)
    # The stored alert keeps its English title and codes for search and older readers.
    raw = json.loads(s.redis("GET", f"sw:{{sub:{sub['id']}}}:alert:{zh['id']}"))
    assert raw["event"]["title"] == f"Your case #{case['id']}: accepted"
    assert "summary" not in raw and "title" not in raw


def test_api_renders_alerts_in_the_readers_language(s):
    sub, tok = s.tenant("Shenzhen API Language Co., Ltd.")
    s.make_alerts(sub, tok, 1, "langapi")
    zh = s.get("/api/v1/alerts", token=tok, headers={"Accept-Language": "zh-CN"})
    assert zh.header("Content-Language") == "zh-CN"
    a = zh.json()["items"][0]
    assert a["summary"].startswith("中预警：您的关键词“zqlangapix speaker”"), a["summary"]
    assert a["items"][0]["reasons"][0]["text"].startswith("您的关键词"), a
    assert a["items"][0]["reasons"][0]["why"] == "keyword in the text"
    assert a["title"] == a["event"]["title"]
    en = s.get(f"/api/v1/alerts/{a['id']}", token=tok,
               headers={"Accept-Language": "en"}).json()
    assert en["summary"].startswith("Medium alert: Your keyword “zqlangapix speaker”"), en
    # A near name: its score, in JSON the stored three decimals (never 0.92300000000000004),
    # in words a percentage.
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "name", "text": "Shenzhen Zqscorer Audio Co., Ltd."}, token=tok)
    assert r.status == 201, r
    ev = {"id": "ev_langscore", "source": "test", "type": "litigation", "jurisdiction": "US",
          "title": "Brand v. Zqsc0rer Audio", "text": "complaint",
          "parties": [{"name": "SHENZHEN ZQSC0RER AUDIO CO LTD", "role": "defendant"}]}
    s.add_event(ev)
    got = wait_until("the near-name alert", lambda: [
        x for x in s.get("/api/v1/alerts?rule=named-as-defendant", token=tok,
                         headers={"Accept-Language": "zh-CN"}).json()["items"]] or None)[0]
    score = got["items"][0]["score"]
    assert 0.5 < score < 1.0, got
    raw = s.get("/api/v1/alerts?rule=named-as-defendant", token=tok).body
    assert f'"score":{score}' in raw.replace(" ", "") and len(repr(score)) <= 5, raw[:400]
    pct = f"{score * 100:.1f}".rstrip("0").rstrip(".") + "%"
    assert f"匹配度：{pct}。" in got["summary"], (pct, got["summary"])
    assert "您的企业名称“Shenzhen Zqscorer Audio Co., Ltd.”被列为被告" in got["summary"]
    dash = s.get("/api/v1/dashboard", token=tok, headers={"Accept-Language": "zh-CN"}).json()
    assert any(x.get("summary", "").startswith("紧急预警：") for x in dash["latest"]), dash


def test_forbidden_names_the_role_grammatically(s):
    sub, tok = s.tenant("Grammar Check Ltd")
    p = problem(s.get("/api/v1/subscribers", token=tok), 403, "forbidden")
    assert p["detail"] == "the role exporter may not use GET /api/v1/subscribers with a token", p


def test_default_language_follows_the_account_holder(s):
    """A subscriber in Germany whose sign-up owner reads Chinese gets Chinese until it says
    otherwise; saying so wins."""
    sub = s.make("/api/v1/subscribers", {"name": "Berlin Owner Lang GmbH", "country": "DE",
                                         "email": "owner@langdefault.example"})
    tok = s.token_for("exporter", sub["id"])
    assert s.get("/api/v1/delivery", token=tok).json()["lang"] == "en"
    s.cli("person", "create", "--email", "owner@langdefault.example", "--role", "exporter",
          "--subject", str(sub["id"]), "--lang", "zh-CN")
    st = s.get("/api/v1/delivery", token=tok).json()
    assert st["lang"] == "zh-CN" and st["tz"] == "UTC", st
    # Each default says where it comes from (the owner's language; UTC, Seawall's own zone,
    # as the owner's is the UTC every person starts with; the digest follows tz).
    assert st["defaults"] == {"lang": "person", "tz": "seawall", "digest_tz": "tz"}, st
    r = s.request("PATCH", "/api/v1/delivery", body={"lang": "en", "tz": "Europe/Berlin"},
                  token=tok)
    assert r.json()["lang"] == "en" and r.json()["tz"] == "Europe/Berlin", r.json()
    assert r.json()["digest_tz"] == "Europe/Berlin", r.json()
    assert r.json()["defaults"] == {"digest_tz": "tz"}, r.json()
    # A zone of the digest's own; then null: the defaults apply again, and say so.
    r = s.request("PATCH", "/api/v1/delivery", body={"digest_tz": "Asia/Tokyo"}, token=tok)
    assert r.json()["digest_tz"] == "Asia/Tokyo" and r.json()["defaults"] == {}, r.json()
    r = s.request("PATCH", "/api/v1/delivery", body={"lang": None, "digest_tz": None},
                  token=tok)
    assert r.status == 200, r
    got = s.get("/api/v1/delivery", token=tok).json()
    assert got["lang"] == "zh-CN" and got["digest_tz"] == "Europe/Berlin", got
    assert got["defaults"] == {"lang": "person", "digest_tz": "tz"}, got
    # A subscriber in China whose owner never chose: the country's.
    cn, cn_tok = s.tenant("Country Default Co., Ltd.")
    got = s.get("/api/v1/delivery", token=cn_tok).json()
    assert (got["lang"], got["tz"]) == ("zh-CN", "Asia/Shanghai"), got
    assert got["defaults"] == {"lang": "country", "tz": "country", "digest_tz": "tz"}, got
