"""Group-messenger robots as delivery channels: WeCom, DingTalk and Feishu robots on loopback
(robotserver.py) check each platform's signature and message shape and answer as the platform
does. A subscriber in China gets each card in Chinese, signed, with the matched keyword, a
percentage score and absolute links; a wrong secret is the platform's error, retried and
exhausted like a failing webhook, then replayed once fixed; each robot is held to its rate
limit; URL forms and secrets are checked when the endpoint is made."""
from harness import pointers, problem, wait_until
from robotserver import DINGTALK, FEISHU, WECOM, Robots
from test_delivery import _restart_notifier, settle, wait_deliveries


def robot(s, tok, kind, url, **kw):
    r = s.post("/api/v1/webhooks", dict(kind=kind, url=url, **kw), token=tok)
    assert r.status == 201, r
    w = r.json()
    assert w["kind"] == kind and "secret" not in w and "sign_secret" not in w, w
    return w


def test_each_robot_gets_a_signed_card_in_the_subscribers_language(s):
    bots = Robots().start()
    try:
        sub, tok = s.tenant("Ningbo Robot Lighting Co., Ltd.")   # in CN: Chinese by default
        assert s.get("/api/v1/delivery", token=tok).json()["lang"] == "zh-CN"
        ww = robot(s, tok, "wecom", bots.add(WECOM, "wk-cn-1"))
        wd = robot(s, tok, "dingtalk", bots.add(DINGTALK, "dt-cn-1", "SECdingcn1"),
                   secret="SECdingcn1")
        wf = robot(s, tok, "feishu", bots.add(FEISHU, "fs-cn-1", "feishucn1"),
                   secret="feishucn1")
        assert wd["signed"] is True and wf["signed"] is True and "signed" not in ww
        a = s.make_alerts(sub, tok, 1, "robotcn")[0]
        msgs = bots.wait("three cards", lambda ms: (lambda got: got if len(got) == 3 else None)(
            [m for m in ms if m.token in ("wk-cn-1", "dt-cn-1", "fs-cn-1")]))
        link = f"http://127.0.0.1:{s.port}/app/alerts/{a['id']}"
        for m in msgs:
            assert m.ok, m
            text = m.text()
            assert "您的关键词“zqrobotcnx speaker”出现在您监测的市场中" in text, text
            assert "匹配度：100%。" in text and "发现时间：" in text, text
            if m.platform != FEISHU:
                assert f"[在 Seawall 中查看]({link})" in text, text
        wecom = next(m for m in msgs if m.platform == WECOM)
        assert wecom.body["msgtype"] == "markdown"
        assert wecom.text().startswith('### <font color="comment">中</font> ')
        ding = next(m for m in msgs if m.platform == DINGTALK)
        assert ding.body["markdown"]["title"].startswith("中预警：Case 0: zqrobotcnx speaker")
        assert ding.query["timestamp"][0].isdigit() and ding.query["sign"][0]
        fei = next(m for m in msgs if m.platform == FEISHU)
        card = fei.body["card"]
        assert fei.body["msg_type"] == "interactive" and fei.body["sign"]
        assert card["header"]["title"]["content"].startswith("中预警：")
        button = card["elements"][-1]["actions"][0]
        assert button["url"] == link and button["text"]["content"] == "在 Seawall 中查看"
        # Delivered, logged and replayable like webhooks.
        d = settle(s, tok, 3, "three robot deliveries")
        assert sorted(x["channel"] for x in d) == ["dingtalk", "feishu", "wecom"], d
        assert all(x["status"] == "delivered" and x["kind"] == "webhook" for x in d), d
        log = s.get("/api/v1/delivery-log", token=tok).json()["items"]
        assert len(log) == 3 and all(x["outcome"] == "delivered" for x in log), log
        r = s.post(f"/api/v1/deliveries/{d[0]['id']}/replay", None, token=tok)
        assert r.status == 202, r
        settle(s, tok, 3, "the replay delivered")
        assert len([m for m in bots.msgs if m.ok]) == 4
        # The test button sends the fixed message, in Chinese too.
        r = s.post(f"/api/v1/webhooks/{wf['id']}/test", None, token=tok)
        assert r.status == 202 and r.json()["channel"] == "feishu", r
        t = bots.wait("the test card", lambda ms: [m for m in ms if m.token == "fs-cn-1" and
                                                   "测试消息" in m.body["card"]["header"]
                                                   ["title"]["content"]])
        assert t[0].ok, t
    finally:
        bots.stop()


def test_english_subscriber_and_a_wrong_secret_retried_then_replayed(s):
    bots = Robots().start()
    try:
        sub, tok = s.tenant("Hamburg Robot GmbH", country="DE")
        st = s.get("/api/v1/delivery", token=tok).json()
        assert st["lang"] == "en" and st["tz"] == "UTC", st
        url = bots.add(DINGTALK, "dt-en-1", "SECright")
        w = robot(s, tok, "dingtalk", url, secret="SECwrong")
        s.make_alerts(sub, tok, 1, "robotsig")
        d = settle(s, tok, 1, "the delivery exhausted")[0]
        assert d["status"] == "exhausted" and d["attempts"] == 5, d
        assert d["last_error"] == "DingTalk error 310000: sign not match", d
        got = bots.got("dt-en-1")
        assert len(got) == 5 and not any(m.ok for m in got)
        # Failing for longer than notifier.disable_after_s (2 s here) disabled it. Fixed and
        # enabled again: the replay goes out signed with the new secret, in English.
        r = s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"secret": "SECright",
                                                                   "enabled": True}, token=tok)
        assert r.status == 200 and r.json()["signed"] is True, r
        assert s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok).status == 202
        d = wait_deliveries(s, tok, lambda x: x[0]["status"] == "delivered", "replayed")[0]
        ok = [m for m in bots.got("dt-en-1") if m.ok]
        assert len(ok) == 1
        text = ok[0].text()
        assert "Your keyword “zqrobotsigx speaker” appears in a market you watch" in text, text
        assert "Score: 100%." in text and "Found on " in text, text
    finally:
        bots.stop()


def test_each_robot_is_held_to_its_rate_limit(s):
    bots = Robots().start()
    old = _restart_notifier(s, {"SEAWALL_NOTIFIER_WECOM_PER_MIN": "3"})
    try:
        sub, tok = s.tenant("Rate Limited Robot Co., Ltd.")
        robot(s, tok, "wecom", bots.add(WECOM, "wk-rate"))
        s.make_alerts(sub, tok, 5, "robotrate")
        d = wait_deliveries(s, tok, lambda x: len(x) == 5 and
                            sum(1 for y in x if y["status"] == "delivered") == 3 and
                            sum(1 for y in x if y.get("waiting_for") == "rate_limit") == 2,
                            "three sent, two waiting for the robot's limit")
        waiting = [x for x in d if x["status"] == "pending"]
        assert len(waiting) == 2 and all(x["attempts"] == 0 for x in waiting), waiting
        got = bots.got("wk-rate")
        assert len(got) == 3 and all(m.ok for m in got), got   # never the platform's 45009
    finally:
        _restart_notifier(s, old)
        bots.stop()


def test_robot_urls_and_secrets_are_checked(s):
    sub, tok = s.tenant("Careful Robot Owner Ltd")
    cases = [
        (dict(kind="wecom", url="https://qyapi.weixin.qq.com.example.net/cgi-bin/webhook/send"
              "?key=k"), ["/url"], "企业微信群机器人"),
        (dict(kind="wecom", url="http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
         ["/url"], "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="),
        (dict(kind="dingtalk", url="https://oapi.dingtalk.com/robot/send"), ["/url"], "钉钉"),
        (dict(kind="feishu", url="https://open.feishu.cn/open-apis/bot/v2/hook/x",
              secret="has space"), ["/secret"], "飞书"),
        (dict(kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=t",
              secret="notSEC"), ["/secret"], "SEC"),
        (dict(kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
              secret="SECx"), ["/secret"], "企业微信"),
        (dict(kind="slack", url="https://hooks.example.net/x"), ["/kind"], None),
        (dict(url="https://hooks.example.net/x", secret="SECx"), ["/secret"], None),
    ]
    for body, ptrs, words in cases:
        p = problem(s.post("/api/v1/webhooks", body, token=tok,
                           headers={"Accept-Language": "zh-CN"}), 400, "validation")
        assert pointers(p) == ptrs, (body, p)
        if words:
            assert any(words in e["message"] for e in p["errors"]), (body, p)
    # Real platform URLs are taken; the kind cannot change; rotation is the platform's.
    w = robot(s, tok, "feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/2b47-7573")
    p = problem(s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"kind": "wecom"},
                          token=tok), 400, "validation")
    assert pointers(p) == ["/kind"]
    p = problem(s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={
        "url": "https://open.feishu.cn/open-apis/bot/v2/hook/"}, token=tok), 400, "validation")
    assert pointers(p) == ["/url"]
    problem(s.post(f"/api/v1/webhooks/{w['id']}/rotate", None, token=tok), 409,
            "secret-from-platform")
    assert s.get(f"/api/v1/webhooks/{w['id']}", token=tok).json()["signed"] is False
    # A local robot stands in only while the allow-list names its address: the notifier
    # checks the form again before every attempt.
    bots = Robots().start()
    try:
        robot(s, tok, "wecom", bots.add(WECOM, "wk-local"))
        with s.no_private_allowed("seawall-notifier"):
            s.make_alerts(sub, tok, 1, "robotlocal")
            d = wait_deliveries(s, tok, lambda x: x and x[0]["attempts"] >= 1,
                                "the first attempt refused")[0]
        assert "is not a WeCom robot webhook URL" in d["last_error"], d
        assert bots.got("wk-local") == []
    finally:
        bots.stop()
