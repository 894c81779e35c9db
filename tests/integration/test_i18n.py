"""Answers in the reader's language (issues 17 and 19): Accept-Language chooses Simplified
Chinese or English for problem titles, details and validation messages; the problem type and
the field names never change; the portal's catalogue is served at /i18n/zh-CN.json; and no text
a person reads bypasses the catalogue (the API logs any it lacks, and the last test reads that
log)."""
import json
import os
import urllib.parse

from harness import pointers, problem, wait_until

SUB = "/api/v1/subscribers"
ZH = {"Accept-Language": "zh-CN"}


def lang_of(r):
    return r.header("Content-Language"), r.header("Vary") or ""


def test_problem_title_and_detail_follow_accept_language(s):
    r = s.get("/api/v1/alerts", headers=ZH)
    p = problem(r, 401, "unauthorized")
    assert p["title"] == "未通过身份验证", p
    assert p["detail"] == "此接口需要会话（请先登录）或 Authorization: Bearer 令牌", p
    assert lang_of(r)[0] == "zh-CN" and "Accept-Language" in lang_of(r)[1], r
    for headers in ({}, {"Accept-Language": "en"}, {"Accept-Language": "zh;q=0.1, en;q=0.9"},
                    {"Accept-Language": "zh-TW"}, {"Accept-Language": "fr, de;q=0.5"}):
        r = s.get("/api/v1/alerts", headers=headers)
        en = problem(r, 401, "unauthorized")
        assert en["title"] == "Unauthorized", (headers, en)
        assert en["detail"] == "this route needs a session (sign in) or an Authorization: Bearer token", (headers, en)
        assert en["type"] == p["type"] and lang_of(r)[0] == "en", (headers, r)
    for value in ("zh", "zh-Hans-CN", "zh-SG", "en;q=0.5, zh-CN;q=0.8"):
        p = problem(s.get("/api/v1/alerts", headers={"Accept-Language": value}), 401)
        assert p["title"] == "未通过身份验证", (value, p)


def test_validation_messages_in_chinese_with_the_same_pointers(s):
    body = {"name": 42, "country": "CN", "email": "ip@acme.example", "colour": "blue"}
    zh = problem(s.post(SUB, body, token=s.admin, headers=ZH), 400, "validation")
    assert zh["title"] == "请求无效", zh
    assert {e["pointer"]: e["message"] for e in zh["errors"]} == {
        "/colour": "未知字段", "/name": "必须是字符串"}, zh
    assert zh["detail"] == "2 个字段未通过校验；第一个：/colour 未知字段", zh
    en = problem(s.post(SUB, body, token=s.admin), 400, "validation")
    assert en["title"] == "Invalid request", en
    assert {e["pointer"]: e["message"] for e in en["errors"]} == {
        "/colour": "unknown field", "/name": "must be a string"}, en
    assert en["detail"] == "2 fields failed validation; first: /colour unknown field", en
    assert pointers(zh) == pointers(en) and zh["type"] == en["type"]
    assert sorted(zh) == sorted(en)   # the same members: only the words differ
    one = problem(s.post(SUB, dict(body, name="Acme", colour=None), token=s.admin), 400)
    assert one["detail"] == "1 field failed validation; first: /colour unknown field", one
    p = problem(s.post(SUB, {}, token=s.admin, headers=ZH), 400, "validation")
    assert {e["message"] for e in p["errors"]} == {"为必填项"}, p


def test_query_parameter_and_body_problems_in_chinese(s):
    p = problem(s.get(SUB + "?bogus=1", token=s.admin, headers=ZH), 400, "validation")
    assert p["errors"] == [{"parameter": "bogus", "message": "未知的查询参数"}], p
    assert p["detail"].startswith("未知的查询参数“bogus”；此接口接受："), p
    r = s.request("POST", SUB, raw='{"name": "x",', token=s.admin,
                  headers=dict(ZH, **{"Content-Type": "application/json"}))
    p = problem(r, 400, "malformed-json")
    assert p["title"] == "JSON 格式错误" and p["detail"].startswith("JSON 格式错误，位于第 1 行第 "), p
    r = s.request("POST", SUB, raw="name=x", token=s.admin,
                  headers=dict(ZH, **{"Content-Type": "application/x-www-form-urlencoded"}))
    p = problem(r, 415, "unsupported-media-type")
    assert p["detail"] == ("请以 application/json 格式发送请求体（收到的是 "
                           "application/x-www-form-urlencoded）"), p
    p = problem(s.get("/api/v1/no/such/thing", token=s.admin, headers=ZH), 404, "not-found")
    assert p["title"] == "未找到" and p["detail"] == "没有该资源：/api/v1/no/such/thing", p


def test_url_checks_worded_in_chinese(s):
    _, tok = s.tenant("I18n Hooks Ltd")
    p = problem(s.post("/api/v1/webhooks", {"url": "http://10.0.0.1/hook"}, token=tok,
                       headers=ZH), 400, "validation")
    msgs = {e["pointer"]: e["message"] for e in p["errors"]}
    assert msgs["/url"] == "主机 10.0.0.1 指向内部网络（私有地址）；仅允许访问公网地址", p
    p = problem(s.post("/api/v1/webhooks", {"url": "http://10.0.0.1/hook"}, token=tok), 400)
    msgs = {e["pointer"]: e["message"] for e in p["errors"]}
    assert msgs["/url"] == ("the host 10.0.0.1 points inside the network (private address); "
                            "only public addresses may be reached"), p


def test_unsubscribe_page_in_the_readers_language(s):
    sub, tok = s.tenant("I18n Unsubscriber Ltd")
    s.request("PATCH", "/api/v1/delivery", body={"emails": ["zh@unsub.example"],
                                                 "email_severity_floor": "low"}, token=tok)
    s.make_alerts(sub, tok, 1, "i18n-unsub")
    m = wait_until("the mail", lambda: s.mail_to("zh@unsub.example"))[0]
    path = m["List-Unsubscribe"].strip("<>").split(str(s.port), 1)[1]
    zh = s.get(path, headers=ZH)
    assert zh.status == 200 and "<html lang=zh-CN>" in zh.body and "退订" in zh.body, zh
    assert "停止向此地址发送 Seawall 预警邮件？" in zh.body, zh.body
    assert "<form method=post>" in zh.body and lang_of(zh)[0] == "zh-CN", zh
    en = s.get(path, headers={"Accept-Language": "en"})
    assert "Stop Seawall alert email to this address?" in en.body and lang_of(en)[0] == "en"
    # Without Accept-Language (a mail client), the subscriber's language: zh-CN for one in CN.
    plain = s.get(path)
    assert "停止向此地址发送 Seawall 预警邮件？" in plain.body and lang_of(plain)[0] == "zh-CN"
    q = urllib.parse.urlsplit(path).query
    assert q  # the link is its own credential; answering it changes nothing here


def test_portal_catalogue_is_served(s):
    r = s.get("/i18n/zh-CN.json")
    assert r.status == 200, r
    d = json.loads(r.body)
    assert d["Not found"] == "未找到" and d["Invalid request"] == "请求无效", len(d)
    assert d["%zu field failed validation; first: %s %s"] == ["%zu 个字段未通过校验；第一个：%s %s"]
    assert "" not in d   # no header


def test_z_no_text_bypassed_the_catalogue(s):
    """Runs last in this module: a round of problems in Chinese, then the API's log must not
    name a text the catalogue lacked."""
    _, tok = s.tenant("I18n Bypass Ltd")
    for method, path, body, token, headers in (
            ("GET", "/api/v1/alerts", None, None, {}),
            ("GET", "/api/v1/alerts?severity=dire&status=gone&since=yesterday", None, tok, {}),
            ("DELETE", "/api/v1/alerts", None, tok, {}),
            ("POST", "/api/v1/portfolio", {"kind": "mark"}, tok, {}),
            ("POST", "/api/v1/portfolio", {"kind": "patent", "number": "nope"}, tok, {}),
            ("POST", "/api/v1/webhooks", {"url": "ftp://x"}, tok, {}),
            ("POST", "/api/v1/cases", {"type": "lawsuit"}, tok, {}),
            ("GET", "/api/v1/cases?limit=0", None, tok, {}),
            ("POST", SUB, {"name": "x" * 500, "country": "XX", "email": "no"}, s.admin, {}),
            ("POST", "/api/v1/tokens", {"role": "exporter", "subject": 99999999}, s.admin, {}),
            ("POST", "/api/v1/subscribers", None, s.admin, {"Idempotency-Key": "bad key"}),
    ):
        r = s.request(method, path, body=body, token=token, headers=dict(ZH, **headers))
        assert r.status >= 400, (method, path, r)
        p = r.json()
        assert p["type"].startswith("urn:seawall:problem:") and p["detail"], p
    with open(os.path.join(s.dir, "logs", "seawall-api.log"), errors="replace") as f:
        missing = [line for line in f if "translation of" in line]
    assert not missing, "".join(missing[:20])
