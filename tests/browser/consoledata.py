"""The staff console's data, made through the API as a centre and its exporters would make it:
desk(s, tag) gives a test a centre of its own (a triager who is a person, signed in for real,
two experts, exporters), and demo(s) fills one centre with what the screenshots show — cases of
every kind and state over the past year (the test clock moved back while each step is taken,
so the service-level clocks and the statistics have real durations), deadlines by their rules,
templates, replies, internal notes, evidence, saved views and bulletins."""
import hashlib
import urllib.parse

from peoplelib import make_person, sign_in, unique_email

HOUR = 3600 * 1000


def clock(s, hours):
    """Moves the cases' clock (cases.test_clock): now is real time plus hours."""
    s.redis("SET", "sw:testclock:offset_ms", str(int(hours * HOUR)))


class Desk:
    """A centre with a triager (a person too), experts and exporters, each with a token."""

    def __init__(self, s, tag, first_h=24, resolve_h=720, triager_name="Zhou Min",
                 experts=(("Wang Lei", ["US", "trademark", "patent", "en"]),
                          ("Anna Schmidt", ["DE", "EU", "design", "de"]))):
        self.s = s
        self.centre = s.make("/api/v1/centres", {"name": f"Overseas IP Dispute Response Guidance "
                                                         f"Centre {tag}", "country": "CN",
                                                 "sla_first_response_h": first_h,
                                                 "sla_resolution_h": resolve_h})
        cid = self.centre["id"]
        self.triager = s.make(f"/api/v1/centres/{cid}/staff",
                              {"name": triager_name, "email": unique_email("tri"),
                               "role": "triager"})
        self.tri = s.token_for("triager", self.triager["id"])
        self.experts = [s.make(f"/api/v1/centres/{cid}/staff",
                               {"name": n, "email": unique_email("xp"), "role": "expert",
                                "expertise": tags}) for n, tags in experts]
        self.email = make_person(s, "triager", self.triager["id"], name=triager_name,
                                 email=unique_email(f"console-{tag}"))
        self.exporters = {}

    def person(self):
        """The triager's own session (peoplelib's cookie client)."""
        return sign_in(self.s, self.email)

    def exporter(self, name, markets=("US", "DE")):
        """(subscriber, token) of an exporter named name, made once."""
        if name not in self.exporters:
            sub = self.s.make("/api/v1/subscribers", {"name": name, "country": "CN",
                                                      "email": unique_email("legal"),
                                                      "markets": list(markets)})
            self.exporters[name] = (sub, self.s.token_for("exporter", sub["id"]))
        return self.exporters[name]

    def file(self, exporter="Ningbo Haitian Lighting Co., Ltd.", **kw):
        body = {"type": "lawsuit", "country": "US", "forum": "U.S. District Court, N.D. Illinois",
                "opposing_party": "Brightstar Lighting LLC", "own_role": "defendant",
                "rights": [{"type": "trademark", "number": "US 6,123,456", "country": "US"}],
                "products": ["LED desk lamps"], "amount_usd": 250000,
                "served_at": "2026-11-24",
                "description": "Complaint served by e-mail; the Amazon store is frozen.",
                "centre_id": self.centre["id"]}
        body.update(kw)
        body = {k: v for k, v in body.items() if v is not None}
        r = self.s.post("/api/v1/cases", body, token=self.exporter(exporter)[1])
        assert r.status == 201, r
        return r.json()

    def move(self, case, to, reason=None, token=None, **kw):
        body = {"to": to}
        if reason or to in ("needs_info", "rejected", "waiting_on_exporter", "resolved"):
            body["reason"] = reason or f"Moved to {to}."
        if to == "assigned":
            body.setdefault("expert_id", self.experts[0]["id"])
        body.update(kw)
        r = self.s.post(f"/api/v1/cases/{case['id']}/transition", body, token=token or self.tri)
        assert r.status == 200, (to, r)
        return r.json()

    def expert_token(self, i=0):
        return self.s.token_for("expert", self.experts[i]["id"])


def evidence(s, case, token, name, body):
    q = urllib.parse.urlencode({"name": name, "sha256": hashlib.sha256(body).hexdigest()})
    r = s.request("POST", f"/api/v1/cases/{case['id']}/evidence?{q}", raw=body, token=token)
    assert r.status in (200, 201), r


TEMPLATES = [
    ("Answer deadline reminder", {
        "en": "Dear {exporter},\n\nyour case {case} against {opposing_party} must be answered by "
              "{deadline}: {rule}.\n\nPlease send us the documents you received by then.",
        "zh-CN": "{exporter}：\n\n您与{opposing_party}的案件{case}须在{deadline}前答辩（{rule}）。"
                 "\n\n请在此之前将收到的全部文件发给我们。"}),
    ("More material needed", {
        "en": "Dear {exporter}, to assess case {case} we need the complaint with the court's "
              "stamp and your licence agreements.",
        "zh-CN": "{exporter}：为评估案件{case}，请补充提供盖有法院印章的起诉状及相关许可协议。"}),
    ("Expert assigned", {
        "en": "Case {case}: our expert {expert} will contact you within one working day.",
        "zh-CN": "案件{case}：专家{expert}将在一个工作日内与您联系。"}),
]


def demo(s):
    """One centre full of work for the screenshots; made once per stack."""
    if getattr(s, "console_demo", None):
        return s.console_demo
    d = Desk(s, "Zhejiang", experts=(("Wang Lei", ["US", "trademark", "patent", "en"]),
                                     ("Anna Schmidt", ["DE", "EU", "design", "de"]),
                                     ("Liu Yang", ["CN", "GB", "trademark", "zh"])))
    haitian = "宁波海天灯饰有限公司"
    brightway = "Shenzhen Brightway Electronics Co., Ltd."
    xingchen = "义乌市星辰工艺品有限公司"
    harbour = "Harbour Audio Co., Ltd."
    for name, texts in TEMPLATES:
        r = s.post("/api/v1/templates", {"name": name, "texts": texts}, token=d.tri)
        assert r.status == 201, r
    try:
        # The past year, for the statistics: each case taken through its steps at its times.
        past = [(-320, "lawsuit", "US", brightway, "won"), (-290, "customs_seizure", "DE", haitian, "settled"),
                (-250, "opposition", "CN", xingchen, "won"), (-220, "schedule_a", "US", haitian, "settled"),
                (-200, "cease_and_desist", "FR", harbour, "no_action_needed"),
                (-170, "schedule_a", "US", brightway, "withdrawn_by_other_side"),
                (-140, "show_complaint", "DE", xingchen, "settled"), (-120, "lawsuit", "US", harbour, "lost"),
                (-95, "customs_seizure", "NL", haitian, "won"), (-70, "opposition", "GB", xingchen, "other"),
                (-50, "schedule_a", "US", haitian, "settled"), (-35, "trade_investigation", "US", brightway, None)]
        for i, (days, typ, country, who, outcome) in enumerate(past):
            h0 = days * 24
            clock(s, h0)
            c = d.file(who, type=typ, country=country, served_at=None, rights=[],
                       forum=None, opposing_party=["Brightstar Lighting LLC", "Lumen Design GmbH",
                                                   "Lumière SAS", "Apex Audio LLC"][i % 4],
                       own_role="opponent" if typ == "opposition" else "defendant")
            clock(s, h0 + (6 if i % 3 else 30))          # some first responses late
            d.move(c, "accepted")
            d.move(c, "assigned", expert_id=d.experts[i % 3]["id"])
            d.move(c, "in_progress", token=d.expert_token(i % 3))
            if outcome:
                clock(s, h0 + 24 * (12 + 5 * (i % 5)))
                d.move(c, "resolved", reason="Resolved: see the history.", outcome=outcome,
                       token=d.expert_token(i % 3))
                if i % 2:
                    d.move(c, "closed")
        # Open cases: some came in 30 hours ago (first response late), some 20 (near breach).
        clock(s, -30)
        breached = d.file(haitian, type="schedule_a", served_at="2026-11-24",
                          opposing_party="Brightstar Lighting LLC",
                          forum="U.S. District Court, N.D. Illinois", amount_usd=250000,
                          products=["LED desk lamps", "LED strip lights"],
                          description="Schedule A complaint served by e-mail on 24 November; our "
                                      "Amazon store and its funds are frozen by a TRO.")
        itc = d.file(brightway, type="trade_investigation", country="US", forum="U.S. ITC",
               opposing_party="Apex Audio LLC", served_at="2026-11-25", amount_usd=5000000,
               rights=[{"type": "patent", "number": "US 10,234,567", "country": "US"}],
               description="Section 337 complaint over Bluetooth speakers.")
        clock(s, -20)
        customs = d.file(xingchen, type="customs_seizure", country="DE", forum="Hauptzollamt Hamburg",
               opposing_party="Lumen Design GmbH", served_at="2026-11-27", amount_usd=40000,
               rights=[{"type": "design", "number": "EU 008123456-0001", "country": "EM"}],
               description="Two containers of desk lamps detained in Hamburg.")
        clock(s, -6)
        main = breached
        d.move(main, "accepted")
        d.move(main, "assigned", expert_id=d.experts[0]["id"])
        clock(s, -4)
        d.move(main, "in_progress", token=d.expert_token(0))
        r = s.post(f"/api/v1/cases/{main['id']}/deadlines",
                   {"rule": "us-schedule-a-tro-expiry", "from_at": "2026-11-20"}, token=d.tri)
        assert r.status == 201, r
        r = s.post(f"/api/v1/cases/{main['id']}/deadlines",
                   {"kind": "pi_hearing", "from_at": "2026-12-09"}, token=d.tri)
        assert r.status == 201, r
        tid = s.get("/api/v1/templates", token=d.tri).json()["items"][0]["id"]
        r = s.post(f"/api/v1/cases/{main['id']}/messages", {"template": tid, "lang": "zh-CN"},
                   token=d.tri)
        assert r.status == 201, r
        r = s.post(f"/api/v1/cases/{main['id']}/messages",
                   {"text": "The plaintiff's counsel filed 40 Schedule A cases this month; ask "
                            "for the TRO bond to be raised.", "internal": True},
                   token=d.expert_token(0))
        assert r.status == 201, r
        tok = d.exporter(haitian)[1]
        evidence(s, main, tok, "complaint.pdf", b"%PDF-1.4 Schedule A complaint " * 120)
        evidence(s, main, tok, "amazon-notice.png", b"\x89PNG store frozen " * 200)
        r = s.post(f"/api/v1/cases/{main['id']}/messages",
                   {"text": "附上起诉状和亚马逊的冻结通知。"}, token=tok)
        assert r.status == 201, r
        r = s.post("/api/v1/cases/bulk", {"ids": [main["id"]], "action": "tag",
                                          "tags": ["schedule-a", "TRO", "亚马逊"]}, token=d.tri)
        assert r.status == 200, r
        clock(s, -2)
        more = d.file(harbour, type="cease_and_desist", country="FR", forum=None,
                      opposing_party="Lumière SAS", served_at=None, amount_usd=15000,
                      rights=[{"type": "trademark", "number": "FR 4 812 345", "country": "FR"}],
                      description="Letter from Lumière SAS's counsel about the SONORA mark.")
        d.move(more, "needs_info", reason="Please send the letter itself and your French "
                                          "registration certificate.")
        fair = d.file(xingchen, type="show_complaint", country="DE", forum="IFA Berlin, Hall 5",
                      opposing_party="Klangwerk GmbH", served_at="2026-12-01",
                      description="Design complaint at the booth; answer within 24 hours.")
        d.move(fair, "accepted")
        cnipa = d.file(haitian, type="opposition", country="CN", forum="CNIPA", own_role="applicant",
               opposing_party="海天照明（香港）有限公司", served_at="2026-11-20",
               rights=[{"type": "trademark", "number": "第 71234567 号", "country": "CN"}],
               description="对我司“海天”商标申请的异议，需在30日内答辩。")
        waiting = d.file(brightway, type="opposition", country="GB", forum="UKIPO",
                         own_role="applicant", opposing_party="Brightway Lighting Ltd",
                         served_at="2026-11-16", description="TM7 notice of opposition.")
        d.move(waiting, "accepted")
        d.move(waiting, "assigned", expert_id=d.experts[2]["id"])
        d.move(waiting, "in_progress", token=d.expert_token(2))
        d.move(waiting, "waiting_on_exporter", reason="We need your evidence of use in the UK "
                                                      "since 2021.", token=d.expert_token(2))
    finally:
        clock(s, 0)
    # The triager's saved views and a feed; bulletins: a draft, a published and corrected one.
    me = d.person()
    for body in ({"name": "Breached in the US", "view": "breached", "filters": {"country": "US"},
                  "sort": "deadline"},
                 {"name": "Schedule A", "view": "open", "filters": {"tag": "schedule-a"}}):
        r = me.post("/api/v1/me/views", body)
        assert r.status in (200, 201), r
    draft = s.post("/api/v1/bulletins", {
        "status": "draft", "country": "DE", "severity": "medium",
        "title": {"zh-CN": "汉堡港海关扣留LED台灯", "en": "Hamburg customs detain LED desk lamps"},
        "text": {"zh-CN": "近期汉堡海关依权利人申请扣留多批LED台灯。\n\n请备好外观设计的权属证明。",
                 "en": "Customs in Hamburg have detained several shipments of LED desk lamps on "
                       "a rights holder's application.\n\nKeep proof of your own designs at hand."},
        "keywords": ["LED desk lamps"]}, token=d.tri)
    assert draft.status == 201, draft
    pub = s.post("/api/v1/bulletins", {
        "country": "US", "severity": "high",
        "title": {"zh-CN": "伊利诺伊州北区法院集中起诉LED灯具网店卖家",
                  "en": "Schedule A wave against online sellers of LED lamps"},
        "text": {"zh-CN": "多起Schedule A案件以LED灯具网店卖家为被告，并申请临时限制令冻结店铺资金。"
                          "\n\n请核查商品链接，留意答辩期限。",
                 "en": "Several Schedule A complaints name online sellers of LED lamps and ask "
                       "for TROs freezing their stores.\n\nCheck your listings and note the "
                       "answer deadline."},
        "keywords": ["LED lamps"]}, token=d.tri)
    assert pub.status == 201, pub
    r = s.post(f"/api/v1/bulletins/{pub.json()['id']}/corrections", {
        "version": 1, "keywords": ["LED lamps", "LED strips"],
        "note": {"zh-CN": "增补LED灯带", "en": "LED strips added"}}, token=d.tri)
    assert r.status == 201, r
    s.console_demo = {"desk": d, "email": d.email, "case": main["id"],
                      "accepted": fair["id"], "needs_info": more["id"],
                      "new": [itc["id"], customs["id"], cnipa["id"]],
                      "draft": draft.json()["id"], "bulletin": pub.json()["id"]}
    return s.console_demo
