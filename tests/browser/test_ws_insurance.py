"""A case's insurance and costs, and the claim dossier, in a real browser against the real
stack: the exporter records the policy and a cost (a malformed amount refused at its field in
the server's words), opens the printable dossier and downloads its ZIP; the centre's triager
decides the cover on the console's case page and sees it in the dossier. Each page in Chinese
and English, on a phone and a desktop, within its request budget, without console errors or
CSP violations, every string from the catalogue."""
from browser import DESKTOP, PHONE, browser
from consoledata import Desk, evidence
from wslib import (ZONE, check_page, exporter, field_error, select, set_person, sign_in,
                   type_into)

SEC = "main sw-case-insurance"


def submit(b, form):
    b.click(f"{SEC} form.{form} button[type=submit]")


def zip_check(b):
    """Fetches the page's ZIP link as the browser would: (status, type, first bytes, size)."""
    href = b.find("main .dossier-actions a[download]").get_attribute("href")
    return b.js("""return fetch(arguments[0]).then(async (r) => {
        const a = new Uint8Array(await r.arrayBuffer());
        return [r.status, r.headers.get('content-type'), Array.from(a.slice(0, 4)), a.length];
      })""", href)


def both_sizes(b, s, lang, path, budget):
    for size in (PHONE, DESKTOP):
        b.resize(size)
        b.open(path)
        check_page(b, s, lang, f"{path} {size}", max_api=budget)


def test_record_policy_and_cost_then_dossier_and_zip(s):
    d = Desk(s, "insurance")
    sub, tok, email = exporter(s, company="Ningbo Seawall Insured Lighting Co., Ltd.")
    r = s.post("/api/v1/cases", {"type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
                                 "opposing_party": "Brightstar Lighting LLC",
                                 "own_role": "defendant", "served_at": "2026-11-24",
                                 "description": "Complaint served by e-mail.",
                                 "centre_id": d.centre["id"]}, token=tok)
    assert r.status == 201, r
    case = r.json()
    cid = case["id"]
    evidence(s, case, tok, "complaint 起诉状.pdf", b"%PDF-1.4 complaint " * 60)
    page, dossier = f"/app/cases/{cid}", f"/app/cases/{cid}/dossier"
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, email, next_path=page)
        check_page(b, s, "en", page)             # still four requests with the section
        assert b.text(f"{SEC} h2") == "Insurance and costs"
        assert "No insurance policy recorded for this case." in b.text(SEC)
        assert not b.finds(f"{SEC} form.decision-form")     # the exporter never decides
        # The policy, recorded through the section's own form.
        type_into(b, f"{SEC} [name=insurer]", "PICC Property and Casualty")
        type_into(b, f"{SEC} [name=policy]", "PICC-IP-2026-0042")
        b.js("arguments[0].value = '2026-01-01'; arguments[1].value = '2026-12-31'",
             b.find(f"{SEC} [name=period_from]"), b.find(f"{SEC} [name=period_until]"))
        select(b, f"{SEC} [name=limit_currency]", "USD")
        type_into(b, f"{SEC} [name=claim]", "CLM-77812")
        # A limit in scientific notation: the server's words at the limit's own field
        # (its pointer /limit/amount).
        b.allow(f"/api/v1/cases/{cid}/insurance", 400)
        type_into(b, f"{SEC} [name=limit_amount]", "1e3")
        submit(b, "insurance-form")
        b.wait("the error", lambda: b.finds(f"{SEC} form.insurance-form [aria-invalid=true]"))
        assert field_error(b, "limit_amount") == ("true", "Error: must be digits with an optional "
                                                  "decimal point, such as 1234.50 (no sign, "
                                                  "exponent, spaces or separators)")
        assert b.focused()["name"] == "limit_amount"
        type_into(b, f"{SEC} [name=limit_amount]", "500000")
        submit(b, "insurance-form")
        b.wait("the policy", lambda: "PICC-IP-2026-0042" in b.text(f"{SEC} .insurance-facts"))
        facts = b.text(f"{SEC} .insurance-facts")
        assert "$500,000.00" in facts and "CLM-77812" in facts and "Not decided yet" in facts
        assert b.text(f"{SEC} [role=status]") == "The insurance policy has been saved."
        # A cost with three decimals in USD: refused at the amount, in the server's words.
        b.allow(f"/api/v1/cases/{cid}/costs", 400)        # refused, on purpose
        type_into(b, f"{SEC} [name=amount]", "12.345")
        select(b, f"{SEC} form.cost-form [name=currency]", "USD")
        select(b, f"{SEC} form.cost-form [name=kind]", "counsel")
        submit(b, "cost-form")
        b.wait("the error", lambda: b.finds(f"{SEC} form.cost-form [aria-invalid=true]"))
        assert field_error(b, "amount") == ("true", "Error: USD has at most 2 decimals")
        assert s.get(f"/api/v1/cases/{cid}/costs", token=tok).json()["items"] == []
        type_into(b, f"{SEC} [name=amount]", "1234.5")
        type_into(b, f"{SEC} form.cost-form [name=note]", "Answer drafted by US counsel")
        submit(b, "cost-form")
        b.wait("the cost", lambda: b.finds(f"{SEC} table.costs tbody tr"))
        row = b.text(f"{SEC} table.costs tbody tr")
        assert "Counsel's fees" in row and "$1,234.50" in row, row
        assert "$1,234.50" in b.text(f"{SEC} .totals")
        got = s.get(f"/api/v1/cases/{cid}/costs", token=tok).json()
        assert got["items"][0]["amount"] == "1234.50", got
        # The dossier, printable, with its ZIP.
        b.follow(f"{SEC} .dossier-link a")
        assert b.path() == dossier and b.focused()["tag"] == "h1"
        # By keyboard from the heading: the ZIP first, then printing.
        nxt = b.tab()
        assert nxt["tag"] == "a" and nxt["href"].endswith("/dossier.zip"), nxt
        assert b.tab()["text"] == "Print"
        b.open(dossier)                          # counted from a fresh load
        calls = check_page(b, s, "en", dossier)
        assert [c.split("?")[0] for c in calls] == ["/api/v1/session",
                                                   f"/api/v1/cases/{cid}/dossier"], calls
        text = b.text()
        assert f"Claim dossier, case #{cid}" in text and "PICC-IP-2026-0042" in text
        assert "complaint 起诉状.pdf" in text and "$1,234.50" in text
        status, ctype, head, size = zip_check(b)
        assert status == 200 and ctype == "application/zip" and head == [0x50, 0x4B, 3, 4], \
            (status, ctype, head)
        assert size > 1200
        # On paper: the portal's header, navigation and the buttons left out, the dossier whole.
        b.cdp("Emulation.setEmulatedMedia", {"media": "print"})
        shown = b.js("""return ['.site-header', '.side', '.dossier-actions', 'main .back',
            '#dossier-costs', '#dossier-evidence'].map(
            (s) => getComputedStyle(document.querySelector(s)).display)""")
        assert shown[:4] == ["none"] * 4 and "none" not in shown[4:], shown
        b.cdp("Emulation.setEmulatedMedia", {"media": ""})
        both_sizes(b, s, "en", dossier, 2)
        b.resize(PHONE)
        b.open(page)
        check_page(b, s, "en", f"{page} phone")

    # The centre's triager decides the cover on the console's case page.
    staff_page, staff_dossier = f"/staff/cases/{cid}", f"/staff/cases/{cid}/dossier"
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path=staff_page)
        check_page(b, s, "en", staff_page)
        b.click(f"{SEC} form.decision-form input[value=yes]")
        type_into(b, f"{SEC} form.decision-form [name=note]", "A suit abroad on a covered mark.")
        submit(b, "decision-form")
        b.wait("the decision", lambda: "Within the cover" in b.text(f"{SEC} .insurance-facts"))
        ins = s.get(f"/api/v1/cases/{cid}", token=tok).json()["insurance"]
        assert ins["decision"]["covered"] is True and ins["decision"]["by"]["role"] == "triager"
        b.follow(f"{SEC} .dossier-link a")
        assert b.path() == staff_dossier
        b.open(staff_dossier)
        check_page(b, s, "en", staff_dossier, max_api=2)
        assert "Within the cover" in b.text("main")
        assert zip_check(b)[0] == 200
        both_sizes(b, s, "en", staff_page, 4)
    set_person(s, d.email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path=staff_page)
        check_page(b, s, "zh-CN", staff_page)
        both_sizes(b, s, "zh-CN", staff_dossier, 2)
        assert "在保险责任范围内" in b.text()

    # The exporter, in Chinese: the decision is in the section and among the notices.
    set_person(s, email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, email, next_path=page)
        check_page(b, s, "zh-CN", page)
        assert b.text(f"{SEC} h2") == "保险与费用"
        assert "在保险责任范围内" in b.text(f"{SEC} .insurance-facts")
        # The decision reached the exporter as a notice of this case, worded from its entry.
        assert "中心认定该纠纷属于保险责任范围" in b.text("main ul.notices")
        assert "A suit abroad on a covered mark." in b.text("main ul.notices")
        b.resize(DESKTOP)
        b.open(page)
        check_page(b, s, "zh-CN", f"{page} desktop")
        both_sizes(b, s, "zh-CN", dossier, 2)
        assert "理赔材料" in b.text("main h1")
