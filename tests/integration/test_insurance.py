"""A case's insurance and costs, and the claim dossier, end to end through nginx: the policy
recorded by the exporter and decided on by the centre (never by the exporter), amounts as
decimal strings refused precisely when malformed, totals per currency per case and per policy,
corrections and removals that keep the history, another company kept out, and a dossier ZIP
whose manifest's hashes match the evidence bytes."""
import csv
import hashlib
import http.client
import io
import json
import os
import urllib.parse
import zipfile

from harness import pointers, problem
from test_cases import Desk

POLICY = {"insurer": "中国人民财产保险股份有限公司 (PICC)", "policy": "PICC-IP-2026-0042",
          "cover": "知识产权海外侵权保险: defence costs for patent and trademark suits abroad",
          "period": {"from": "2026-01-01", "until": "2026-12-31"},
          "limit": {"amount": "500000", "currency": "USD"}, "claim": "CLM-77812"}


def put(s, case, body, tok):
    return s.request("PUT", f"/api/v1/cases/{case['id']}/insurance", body=body, token=tok)


def cost(s, case, tok, **kw):
    body = {"kind": "counsel", "amount": "100.00", "currency": "USD", "date": "2026-03-10",
            "note": "answer drafted"}
    body.update(kw)
    return s.post(f"/api/v1/cases/{case['id']}/costs", body, token=tok)


def raw_get(s, path, tok):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {tok}"})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def history(s, case, tok):
    return s.get(f"/api/v1/cases/{case['id']}/history?limit=200", token=tok).json()["items"]


def test_policy_decision_permissions_and_history(s):
    d = Desk(s, "insure")
    other = Desk(s, "insure-other")
    c = d.file()
    r = put(s, c, POLICY, d.exp)
    assert r.status == 200, r
    ins = r.json()
    assert ins["limit"] == {"amount": "500000.00", "currency": "USD"}, ins
    assert ins["decision"] is None and ins["updated_by"]["role"] == "exporter"
    case = s.get(f"/api/v1/cases/{c['id']}", token=d.tri).json()
    assert case["insurance"]["policy"] == "PICC-IP-2026-0042"
    assert case["costs"] == {"items": [], "totals": []}, case
    listed = s.get("/api/v1/cases?limit=50", token=d.exp).json()["items"]
    assert all("costs" not in x for x in listed) and any("insurance" in x for x in listed)
    # Another company neither reads nor writes; the exporter never decides.
    assert put(s, c, POLICY, other.exp).status == 404
    assert s.get(f"/api/v1/cases/{c['id']}/dossier", token=other.exp).status == 404
    decide = f"/api/v1/cases/{c['id']}/insurance/decision"
    # (a route about one case answers a role that may not use it 404, as router.c does)
    problem(s.post(decide, {"covered": True, "note": "mine"}, token=d.exp), 404, "not-found")
    p = problem(s.post(decide, {"covered": True}, token=d.tri), 400, "validation")
    assert pointers(p) == ["/note"], p
    bare = d.file()
    problem(s.post(f"/api/v1/cases/{bare['id']}/insurance/decision",
                   {"covered": False, "note": "no policy"}, token=d.tri), 409, "no-insurance")
    r = s.post(decide, {"covered": True, "note": "Suit abroad on a covered patent"}, token=d.tri)
    assert r.status == 200, r
    dec = r.json()["decision"]
    assert dec["covered"] is True and dec["by"]["role"] == "triager", dec
    # The same policy again keeps the decision; another policy is another contract.
    assert put(s, c, dict(POLICY, claim="CLM-77813"), d.exp).json()["decision"] == dec
    again = put(s, c, dict(POLICY, policy="PICC-IP-2027-0001"), d.tri).json()
    assert again["decision"] is None
    h = [e for e in history(s, c, d.exp) if e["action"].startswith("insurance")]
    assert [e["action"] for e in h] == ["insurance", "insurance_decision", "insurance",
                                        "insurance"], h
    assert h[1]["after"]["note"] == "Suit abroad on a covered patent" and h[1]["before"] is None
    assert h[3]["decision_cleared"] is True and h[3]["before"]["policy"] == "PICC-IP-2026-0042"
    # The exporter was told, in their inbox.
    alerts = s.get("/api/v1/alerts?limit=50", token=d.exp).json()["items"]
    assert any(a["event"].get("notice") == "insurance_covered" for a in alerts), alerts


def test_malformed_policies_and_amounts_are_named(s):
    d = Desk(s, "insure-bad")
    c = d.file()
    cases = [
        ({"limit": {"amount": "12.345", "currency": "USD"}}, "/limit/amount", "at most 2"),
        ({"limit": {"amount": "1e3", "currency": "USD"}}, "/limit/amount", "digits"),
        ({"limit": {"amount": "-5.00", "currency": "USD"}}, "/limit/amount", "negative"),
        ({"limit": {"amount": 1000, "currency": "USD"}}, "/limit/amount", "string"),
        ({"limit": {"amount": "100.5", "currency": "JPY"}}, "/limit/amount", "no decimals"),
        ({"limit": {"amount": "100", "currency": "ABC"}}, "/limit/currency", "ISO 4217"),
        ({"limit": {"amount": "100", "currency": "usd"}}, "/limit/currency", "ISO 4217"),
        ({"period": {"from": "2026-12-31", "until": "2026-01-01"}}, "/period/until", "before"),
        ({"period": {"from": "2026-02-30", "until": "2026-12-31"}}, "/period/from", "date"),
        ({"policy": "AB/12"}, "/policy", "letters"),
    ]
    for change, pointer, words in cases:
        p = problem(put(s, c, dict(POLICY, **change), d.exp), 400, "validation")
        assert pointers(p) == [pointer], (change, p)
        assert words in p["errors"][0]["message"], (change, p)
    assert put(s, c, dict(POLICY, limit={"amount": "1.234", "currency": "KWD"}),
               d.exp).json()["limit"]["amount"] == "1.234"
    for change, pointer in [({"amount": "12.345"}, "/amount"), ({"amount": "1e3"}, "/amount"),
                            ({"amount": "-12.00"}, "/amount"), ({"amount": 12.5}, "/amount"),
                            ({"amount": "0"}, "/amount"), ({"amount": " 12"}, "/amount"),
                            ({"currency": "XYZ"}, "/currency"), ({"kind": "lunch"}, "/kind"),
                            ({"date": "2026-13-01"}, "/date"),
                            ({"recorded_by": "me"}, "/recorded_by")]:
        p = problem(cost(s, c, d.exp, **change), 400, "validation")
        assert pointers(p) == [pointer], (change, p)
    # Nothing of it was kept.
    assert s.get(f"/api/v1/cases/{c['id']}/costs", token=d.exp).json() == {"items": [],
                                                                           "totals": []}


def test_costs_totals_corrections_and_policy_totals(s):
    d = Desk(s, "costs")
    other = Desk(s, "costs-other")
    c1, c2, c3 = d.file(), d.file(), d.file()
    assert put(s, c1, POLICY, d.exp).status == 200
    assert put(s, c2, dict(POLICY, claim="CLM-2"), d.exp).status == 200
    assert put(s, c3, dict(POLICY, policy="OTHER-1"), d.exp).status == 200
    added = [cost(s, c1, d.exp, amount="1234.5"),
             cost(s, c1, d.tri, kind="filing", amount="100"),
             cost(s, c1, d.exp, kind="bond", amount="99.99", currency="EUR"),
             cost(s, c1, d.exp, kind="travel", amount="5000", currency="JPY")]
    assert [r.status for r in added] == [201] * 4, added
    first = added[0].json()
    assert first["amount"] == "1234.50" and first["recorded_by"]["role"] == "exporter"
    assert added[1].json()["recorded_by"]["role"] == "triager"
    base = f"/api/v1/cases/{c1['id']}/costs"
    got = s.get(base, token=d.tri).json()
    assert got["totals"] == [{"currency": "EUR", "amount": "99.99", "count": 1},
                             {"currency": "JPY", "amount": "5000", "count": 1},
                             {"currency": "USD", "amount": "1334.50", "count": 2}], got
    # Corrections keep what was before; a currency change rechecks the amount.
    fid = added[1].json()["id"]
    r = s.request("PATCH", f"{base}/{fid}", body={"amount": "150", "reason": "invoice"},
                  token=d.exp)
    assert r.status == 200 and r.json()["amount"] == "150.00", r
    p = problem(s.request("PATCH", f"{base}/{fid}", body={"currency": "JPY"}, token=d.exp),
                400, "validation")
    assert pointers(p) == ["/amount"], p
    p = problem(s.request("PATCH", f"{base}/{fid}", body={"amount": 150}, token=d.exp),
                400, "validation")
    assert pointers(p) == ["/amount"], p
    bond = added[2].json()["id"]
    assert s.request("DELETE", f"{base}/{bond}", token=d.tri).status == 200
    assert s.request("DELETE", f"{base}/{bond}", token=d.tri).status == 404
    got = s.get(base, token=d.exp).json()
    assert [x["currency"] for x in got["totals"]] == ["JPY", "USD"], got
    assert s.get(f"/api/v1/cases/{c1['id']}", token=d.exp).json()["costs"] == got
    assert got["totals"][1]["amount"] == "1384.50", got
    h = [e for e in history(s, c1, d.exp) if e["action"].startswith("cost_")]
    assert [e["action"] for e in h] == ["cost_added"] * 4 + ["cost_changed", "cost_removed"]
    assert h[4]["before"]["amount"] == "100.00" and h[4]["after"]["amount"] == "150.00"
    assert h[4]["reason"] == "invoice"
    assert h[5]["before"]["kind"] == "bond" and h[5]["after"] is None
    # Another company: no costs read or written, none counted.
    assert s.get(base, token=other.exp).status == 404
    assert cost(s, c1, other.exp).status == 404
    assert s.request("PATCH", f"{base}/{fid}", body={"amount": "1"}, token=other.exp).status \
        == 404
    # Per policy: c1 and c2 count, c3 (another policy) does not.
    assert cost(s, c2, d.exp, amount="15.50").status == 201
    assert cost(s, c3, d.exp, amount="999").status == 201
    pol = s.get("/api/v1/policies/PICC-IP-2026-0042/costs", token=d.exp).json()
    assert sorted(x["id"] for x in pol["cases"]) == sorted([c1["id"], c2["id"]]), pol
    assert {x["currency"]: x["amount"] for x in pol["totals"]} == {"JPY": "5000",
                                                                   "USD": "1400.00"}, pol
    assert pol["insurers"] == [POLICY["insurer"]]
    assert s.get("/api/v1/policies/PICC-IP-2026-0042/costs", token=other.exp).json()["cases"] \
        == []
    p = problem(s.get("/api/v1/policies/PICC-IP-2026-0042/costs", token=d.tri), 400)
    assert p["errors"][0]["parameter"] == "subscriber", p
    staff = s.get(f"/api/v1/policies/PICC-IP-2026-0042/costs?subscriber={d.sub['id']}",
                  token=d.tri).json()
    assert staff["totals"] == pol["totals"], staff
    foreign = s.get(f"/api/v1/policies/PICC-IP-2026-0042/costs?subscriber={d.sub['id']}",
                    token=other.tri).json()
    assert foreign["cases"] == [] and foreign["totals"] == [], foreign


def test_dossier_zip_manifest_matches_evidence(s):
    d = Desk(s, "dossier")
    other = Desk(s, "dossier-other")
    c = d.file()
    assert put(s, c, POLICY, d.exp).status == 200
    assert cost(s, c, d.exp, amount="2500").status == 201
    files = {"起诉状 (served).pdf": os.urandom(3000), "=HYPERLINK(evil).csv": b"a,b\n1,2\n",
             "photo.jpg": os.urandom(500)}
    for name, data in list(files.items()) + [("photo.jpg", os.urandom(600))]:
        q = "name=" + urllib.parse.quote(name, safe="")
        r = s.request("POST", f"/api/v1/cases/{c['id']}/evidence?{q}", raw=data, token=d.exp,
                      headers={"Content-Type": "application/octet-stream"})
        assert r.status == 201, r
        files.setdefault(name, data)
    d.move(c, "accepted", d.tri)
    d.move(c, "assigned", d.tri)
    d.move(c, "in_progress", d.xp)
    assert s.post(f"/api/v1/cases/{c['id']}/messages", {"text": "Filed the answer."},
                  token=d.xp).status == 201
    dj = s.get(f"/api/v1/cases/{c['id']}/dossier", token=d.exp)
    assert dj.status == 200, dj
    dj = dj.json()
    assert dj["insurance"]["claim"] == "CLM-77812"
    assert dj["parties"]["opposing"]["name"] == "Brand Holdings LLC"
    assert dj["costs"]["totals"] == [{"currency": "USD", "amount": "2500.00", "count": 1}]
    assert [n["kind"] for n in dj["notices"]] == ["accepted", "assigned", "reply"], dj["notices"]
    xp = dj["experts_time"]["experts"]
    assert xp[0]["id"] == d.expert["id"] and xp[0]["replies"] == 1, xp
    assert xp[0]["periods"][0]["until"] is None
    assert dj["deadlines"] and dj["deadlines"][0]["status"] in ("open", "missed", "undated")
    assert len(dj["evidence"]) == 4
    assert all(e["visible"] for e in dj["timeline"])       # the exporter's own view
    # Staff see the same timeline (internal notes stay out of what goes to the insurer); the
    # experts' time counts the note for them.
    assert s.post(f"/api/v1/cases/{c['id']}/messages", {"text": "Bond too low", "internal": True},
                  token=d.xp).status == 201
    staff = s.get(f"/api/v1/cases/{c['id']}/dossier", token=d.tri).json()
    assert all(e["visible"] for e in staff["timeline"])
    assert "Bond too low" not in json.dumps(staff["timeline"])
    assert staff["experts_time"]["experts"][0]["notes"] == 1
    # The ZIP: every file, a manifest whose hashes are the bytes', CRCs right, names UTF-8.
    status, headers, body = raw_get(s, f"/api/v1/cases/{c['id']}/dossier.zip", d.exp)
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "application/zip"
    assert f'filename="seawall-case-{c["id"]}-dossier.zip"' in headers["Content-Disposition"]
    assert int(headers["Content-Length"]) == len(body)
    z = zipfile.ZipFile(io.BytesIO(body))
    assert z.testzip() is None
    assert all(i.flag_bits & 0x800 and i.compress_type == zipfile.ZIP_STORED
               for i in z.infolist())
    manifest = json.loads(z.read("manifest.json"))
    assert len(manifest["files"]) == 4
    seen = set()
    for f in manifest["files"]:
        data = z.read(f["path"])
        assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"], f
        assert f["uploaded_at"] and f["uploaded_by"]["role"] == "exporter"
        seen.add(f["path"])
    assert "evidence/起诉状 (served).pdf" in seen and "evidence/photo.jpg" in seen
    assert len(seen) == 4                                  # the second photo.jpg kept apart
    assert z.read("evidence/起诉状 (served).pdf") == files["起诉状 (served).pdf"]
    rows = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode())))
    assert [r["sha256"] for r in rows] == [f["sha256"] for f in manifest["files"]]
    assert "'=HYPERLINK(evil).csv" in [r["name"] for r in rows]     # read as text, not a formula
    assert json.loads(z.read("dossier.json"))["case_id"] == c["id"]
    # Another company gets nothing; a damaged file stops the ZIP before its first byte.
    assert raw_get(s, f"/api/v1/cases/{c['id']}/dossier.zip", other.exp)[0] == 404
    sha = manifest["files"][0]["sha256"]
    with open(os.path.join(s.dir, "data", "evidence", sha[:2], sha), "r+b") as f:
        f.write(b"tampered")
    problem(s.get(f"/api/v1/cases/{c['id']}/dossier.zip", token=d.tri), 500, "evidence-damaged")
