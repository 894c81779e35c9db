"""make screenshots for a case's insurance and costs and the claim dossier (issue 23): the
cases demo's first case and the console demo's case at work get a policy, costs in two
currencies and the centre's decision, recorded through the API once per stack (as an admin,
who may do all three), so the case pages' section and both dossier pages show them."""
import consoledata
import wslib

POLICY = {"insurer": "中国人民财产保险股份有限公司 PICC Property and Casualty",
          "policy": "PICC-IP-2026-0042",
          "cover": "知识产权海外侵权保险：境外专利、商标侵权诉讼的抗辩费用 / defence costs of "
                   "patent and trade mark suits abroad",
          "period": {"from": "2026-01-01", "until": "2026-12-31"},
          "limit": {"amount": "500000", "currency": "USD"}, "claim": "CLM-2026-77812"}
COSTS = [{"kind": "counsel", "amount": "12500.00", "currency": "USD", "date": "2026-11-26",
          "note": "Notice of appearance and answer, US counsel"},
         {"kind": "filing", "amount": "405", "currency": "USD", "date": "2026-11-27",
          "note": "Court filing fee"},
         {"kind": "expert", "amount": "8000", "currency": "CNY", "date": "2026-11-28",
          "note": "Non-infringement opinion"}]


def _seed_case(s, case_id, decide):
    r = s.request("PUT", f"/api/v1/cases/{case_id}/insurance", body=POLICY, token=s.admin)
    assert r.status == 200, r
    for c in COSTS:
        r = s.post(f"/api/v1/cases/{case_id}/costs", c, token=s.admin)
        assert r.status == 201, r
    if decide:
        r = s.post(f"/api/v1/cases/{case_id}/insurance/decision",
                   {"covered": True, "note": "A suit abroad on a trade mark the policy covers."},
                   token=s.admin)
        assert r.status == 200, r


def seed(s):
    """Once per stack: the policy and costs on both demo cases."""
    if getattr(s, "insurance_demo", None):
        return
    _seed_case(s, wslib.demo(s)["case"], decide=True)
    _seed_case(s, consoledata.demo(s)["case"], decide=False)
    s.insurance_demo = True
