"""Every real feed file in ../shared/feeds parsed, its key fields asserted. Expected values come
from the files themselves and from SOURCES.md (and, for CM/ECF, juriscraper's expected output
published beside each file)."""
import datetime
import json
import os
import re


def party(ev, name):
    for p in ev.get("parties", []):
        if p.get("name") == name:
            return p
    raise AssertionError(f"no party {name!r} in {ev.get('parties')}")


def test_every_sample_parses_and_ids_are_stable(f):
    for dirpath, _, files in os.walk(f.samples):
        for name in sorted(files):
            if not name.endswith((".xml", ".ics")) or name.startswith("prolog-"):
                continue
            path = os.path.join(dirpath, name)
            first, _, _ = f.parse(path)
            again, _, _ = f.parse(path)
            assert first, f"{name}: no events"
            assert [e["id"] for e in first] == [e["id"] for e in again], name
            # Equal ids only for items that are the same item (a feed may repeat one).
            seen = {}
            for e in first:
                assert seen.setdefault(e["id"], e) == e, f"{name}: {e['id']} for two items"
            for e in first:
                assert re.fullmatch(r"ev_[0-9a-f]{32}", e["id"]), e
                assert e["type"] and e["source"] and e.get("title"), e
                if "date" in e:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", e["date"]), e


def test_uspto_trademark_daily_new_application(f):
    ev = f.one("uspto-trademark-daily/daily-na-98763166.xml")
    assert ev["type"] == "trademark_filing" and ev["jurisdiction"] == "US"
    assert ev["numbers"]["serial"] == "98763166" and "registration" not in ev["numbers"]
    assert ev["marks"] == ["SUVENEER"]
    assert ev["classes"]["nice"] == [16]
    assert ev["classes"]["us"] == ["002", "005", "022", "023", "029", "037", "038", "050"]
    assert party(ev, "Nguyen Quang Huy")["country"] == "VN"
    assert ev["goods"] == "Stickers; Stick markers; Sticker albums; Sticker books"
    assert ev["date"] == "2024-09-24" and ev["filed"] == "2024-09-24"
    # A new application: not published for opposition yet, so no publication date.
    assert "published" not in ev


def test_uspto_trademark_publication_date(f):
    """published: the header's published-for-opposition-date, else a PUBO event's date."""
    na = open(f.sample("uspto-trademark-daily/daily-na-98763166.xml"), encoding="utf-8").read()
    pubo = na.replace("<code>NWAP</code>", "<code>PUBO</code>").replace(
        "<date>20240925</date>", "<date>20250311</date>")
    assert pubo != na
    ev = f.parse("-", data=pubo.encode())[0][0]
    assert ev["published"] == "2025-03-11", ev
    hdr = na.replace("<status-date>20240925</status-date>",
                     "<status-date>20240925</status-date>"
                     "<published-for-opposition-date>20250401</published-for-opposition-date>",
                     1)
    assert hdr != na
    ev = f.parse("-", data=hdr.encode())[0][0]
    assert ev["published"] == "2025-04-01", ev


def test_uspto_trademark_annual_record(f):
    ev = f.one("uspto-trademark-daily/annual-2025-full-tx-60146682.xml")
    assert ev["type"] == "trademark_status"
    assert ev["numbers"]["serial"] == "60146682"
    assert ev["numbers"]["registration"] == "0146682"
    assert ev["filed"] == "1920-09-25" and ev["registered"] == "1921-09-20", ev
    assert ev["marks"] == ["MACHINE-PISTOL"]
    assert ev["classes"]["nice"] == [9]
    assert len(ev["classes"]["us"]) == 5
    assert party(ev, "AUTO ORDNANCE CORPORATION")["country"] == "US"


def test_uspto_trademark_whole_daily_document(f):
    """The prolog with records inside the daily file's wrapper: action keys decide the type."""
    prolog = open(f.sample("uspto-trademark-daily/prolog-application-v2-current.xml"), "rb").read()
    na = open(f.sample("uspto-trademark-daily/daily-na-98763166.xml"), "rb").read()
    tx = open(f.sample("uspto-trademark-daily/annual-2025-full-tx-60146682.xml"), "rb").read()
    doc = (prolog + b"\n<trademark-applications-daily><version><version-no>2.0</version-no>"
           b"</version><creation-datetime>202409250000</creation-datetime>"
           b"<application-information><file-segments><file-segment>TM</file-segment>"
           b"<action-keys><action-key>NA</action-key>" + na + b"</action-keys>"
           b"<action-keys><action-key>TX</action-key>" + tx + b"</action-keys>"
           b"</file-segments></application-information></trademark-applications-daily>\n")
    events, _, _ = f.parse("-", data=doc)
    assert [e["type"] for e in events] == ["trademark_filing", "trademark_status"]
    assert [e["numbers"]["serial"] for e in events] == ["98763166", "60146682"]
    # The prolog alone holds no record: a clear error, not an empty success.
    _, rc, err = f.parse(f.sample("uspto-trademark-daily/prolog-application-v2-current.xml"),
                         check=False)
    assert rc == 1 and "XML error" in err, err


def test_st66_and_st96_same_mark(f):
    a = f.one("uspto-tsdr-st66-st96/sn76044902-ST66.xml")
    b = f.one("uspto-tsdr-st66-st96/sn76044902-ST96.xml")
    for ev, status in ((a, "702"), (b, "800")):
        assert ev["marks"] == ["PYTHON"]
        assert ev["numbers"]["serial"] == "76044902"
        assert ev["numbers"]["registration"] == "2824281"
        assert ev["numbers"]["status"] == status
        assert ev["classes"]["nice"] == [9, 42]
        assert ev["jurisdiction"] == "US" and ev["type"] == "trademark_status"
        assert party(ev, "PYTHON SOFTWARE FOUNDATION")["country"] == "US"
    assert a["source"] == "st66" and b["source"] == "st96"
    assert a["date"] == "2010-09-08" and b["date"] == "2014-02-10"
    # Published for opposition in the Official Gazette on 30 December 2003 (ST.66 writes the
    # date with a zone, ST.96 without).
    assert a["published"] == "2003-12-30" and b["published"] == "2003-12-30"
    assert "object-oriented computer programming language" in a["goods"]


def test_euipo_records(f):
    ev = f.one("euipo-tm-xml/018222474.xml")
    assert ev["jurisdiction"] == "EM" and ev["type"] == "trademark_filing"
    assert ev["marks"] == ["HiCare"] and ev["numbers"]["serial"] == "018222474"
    assert ev["classes"]["nice"] == [5, 9] and ev["date"] == "2020-04-08"
    assert ev["parties"] == [{"role": "applicant", "identifier": "924334"}]
    assert ev["goods"].startswith("Desinfetantes e antisséticos")
    statuses = {"018222714.xml": "Application refused", "018222211.xml": "Application published",
                "018226743.xml": "Appeal pending", "018226756.xml": "Application published"}
    for name, status in statuses.items():
        ev = f.one(f"euipo-tm-xml/{name}")
        assert ev["numbers"]["status"] == status and ev["type"] == "trademark_status", ev
    assert f.one("euipo-tm-xml/018226743.xml")["marks"] == ["Die Bank für Ihr Zuhause."]
    assert "marks" not in f.one("euipo-tm-xml/018222714.xml")    # figurative mark
    # Part A publications (the application) give "published"; records without one have none.
    assert f.one("euipo-tm-xml/018222211.xml")["published"] == "2020-09-03"
    assert f.one("euipo-tm-xml/018226756.xml")["published"] == "2020-10-16"
    for name in ("018222474.xml", "018222714.xml", "018226743.xml"):
        assert "published" not in f.one(f"euipo-tm-xml/{name}"), name
    # A registration's publication (Part B) is not the application's.
    doc = open(f.sample("euipo-tm-xml/018226756.xml"), encoding="utf-8").read()
    doc = doc.replace("<PublicationSection>A.1</PublicationSection>",
                      "<PublicationSection>B.1</PublicationSection>")
    assert "published" not in f.parse("-", data=doc.encode())[0][0]


def test_euipo_opposition_becomes_parties_and_earlier_marks(f):
    doc = open(f.sample("euipo-tm-xml/018222474.xml"), encoding="utf-8").read()
    opposition = ("<OppositionDetails><Opposition><OppositionIdentifier>B 3 123 456"
                  "</OppositionIdentifier><OpponentDetails><Opponent><OpponentKey><Identifier>"
                  "555111</Identifier></OpponentKey></Opponent></OpponentDetails>"
                  "<EarlierMarkDetails><EarlierMark><ApplicationNumber>017000001"
                  "</ApplicationNumber><MarkVerbalElementText>HICARE+</MarkVerbalElementText>"
                  "</EarlierMark></EarlierMarkDetails></Opposition></OppositionDetails>")
    doc = doc.replace("<MarkRecordDetails>", opposition + "<MarkRecordDetails>")
    events, _, _ = f.parse("-", data=doc.encode())
    ev = events[0]
    assert {"role": "complainant", "identifier": "555111"} in ev["parties"], ev
    assert ev["earlier_marks"] == [{"number": "017000001", "mark": "HICARE+"}]
    assert ev["numbers"]["oppositions"] == ["B 3 123 456"]


def test_patents(f):
    ev = f.one("uspto-patent-fulltext/PatentPublicData-US08930553-grant-v4.5.xml")
    assert ev["type"] == "patent_grant" and ev["date"] == "2015-01-06"
    assert ev["numbers"]["publication"] == "US8930553" and ev["numbers"]["kind"] == "B2"
    assert ev["numbers"]["patents"] == ["US8930553"]
    assert party(ev, "International Business Machines Corporation")["country"] == "US"
    assert "assignee" in [p["role"] for p in ev["parties"]]
    assert ev["classes"]["ipc"] == ["G06F 15/16"]
    assert "session initiation protocol" in ev["title"]
    ev = f.one("uspto-patent-fulltext/PatentPublicData-US06859910-grant-v4.0.xml")
    assert ev["numbers"]["publication"] == "US6859910" and ev["date"] == "2005-02-22"
    assert ev["invention_title"] == "Methods and systems for transactional tunneling"
    assert "G06F 17/21" in ev["classes"]["ipc"]
    ev = f.one("uspto-patent-fulltext/PatentPublicData-US20050004437A1-application-v4.0.xml")
    assert ev["type"] == "patent_publication"
    assert ev["numbers"]["publication"] == "US20050004437" and ev["numbers"]["kind"] == "A1"
    assert [(p["name"], p["country"]) for p in ev["parties"]] == \
        [("Heiner Kaufmann", "CH"), ("Thomas Vering", "CH")]
    ev = f.one("uspto-patent-fulltext/docling-ipa20200022300-application-v4.4.xml")
    assert ev["numbers"]["publication"] == "US20200022300" and ev["date"] == "2020-01-23"
    assert party(ev, "CNH Industrial Canada, Ltd.")["role"] == "applicant"
    assert ev["classes"]["cpc"] and ev["classes"]["ipc"]
    ev = f.one("uspto-patent-fulltext/patentprocessor-2012_1.xml")
    assert ev["numbers"]["publication"] == "USD651376" and ev["numbers"]["kind"] == "S1"
    assert "Candy holder" in ev["title"] and ev["classes"]["locarno"]
    ev = f.one("uspto-patent-fulltext/patentprocessor-ipa061228.one.xml")
    assert ev["numbers"]["publication"] == "US20060288462"
    assert party(ev, "AMERICAN EXPRESS TRAVEL RELATED SERVICES COMPANY, INC.")
    two, _, _ = f.parse(f.sample("uspto-patent-fulltext/patentprocessor-ipg120327.two.xml"))
    assert [e["numbers"]["publication"] for e in two] == ["USD656308", "USD656309"]


def test_generic_rss_atom_rdf_and_encodings(f):
    ev, _, _ = f.parse(f.sample("generic-rss-atom/miniflux-encoding_ISO-8859-1.xml"))
    assert len(ev) == 40 and all(e["type"] == "news" for e in ev)
    assert ev[0]["title"].startswith("Red Dead Redemption 2")
    assert ev[0]["date"] == "2018-10-28T12:48:00Z"
    ev, _, _ = f.parse(f.sample("generic-rss-atom/miniflux-encoding_WINDOWS-1251.xml"))
    assert len(ev) == 50 and ev[0]["title"] == "Цитата #17703"
    assert ev[0]["text"].startswith("xxx: есть у кого жаба программер")
    assert ev[0]["date"] == "2018-03-21T07:27:32Z"
    ev, _, _ = f.parse(f.sample("generic-rss-atom/miniflux-rdf_UTF8.xml"))
    assert len(ev) == 60 and ev[0]["title"] == "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen"
    ev, _, _ = f.parse(f.sample("generic-rss-atom/miniflux-small_atom.xml"), "--type", "bulletin")
    assert len(ev) == 20 and ev[0]["type"] == "bulletin"
    assert ev[0]["title"] == "Parse podcast categories" and ev[0]["author"] == "fguillot"
    assert ev[0]["url"] == ("https://github.com/miniflux/v2/commit/"
                            "6d97f8b4582414b6ce69467656824690057d4793")
    assert ev[0]["date"] == "2024-03-12T05:30:27Z"


def test_charset_from_caller_and_sniffing(f):
    raw = open(f.sample("generic-rss-atom/miniflux-encoding_WINDOWS-1251.xml"), "rb").read()
    bare = raw.split(b"?>", 1)[1]           # the same bytes without the XML declaration
    told, _, _ = f.parse("-", "--charset", "windows-1251", data=bare)
    guessed, _, _ = f.parse("-", data=bare)
    assert told[0]["title"] == guessed[0]["title"] == "Цитата #17703"
    latin = open(f.sample("pacer-rss/cafc.xml"), "rb").read().split(b"?>", 1)[1]
    ev, _, _ = f.parse("-", data=latin.replace(b"Vidal", b"Vidal \xe9t\xe9"))
    assert ev[0]["title"].endswith("Vidal été"), ev[0]["title"]


def _iso(s):
    return datetime.datetime.fromisoformat(s).astimezone(datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")


def _harmonised(name):
    """juriscraper's own clean-ups of case names, so ours (the court's text) compares."""
    return (name or "Unknown Case Title").replace("United States of America", "United States")


def test_cmecf_matches_juriscraper(f):
    for name in ("ca2_1", "cafc", "mdb_1", "nysb_1"):
        events, _, _ = f.parse(f.sample(f"pacer-rss/{name}.xml"))
        expected = json.load(open(f.sample(f"pacer-rss/{name}.expected.json")))
        by_key = {}
        for e in events:
            assert e["type"] == "litigation" and e["jurisdiction"] == "US"
            by_key.setdefault((e["numbers"]["docket"], e["date"]), []).append(e)
        checked = 0
        for d in expected:
            for entry in d["docket_entries"]:
                cands = by_key.get((d["docket_number"], _iso(entry["date_filed"])), [])
                assert cands, (name, d["docket_number"], entry)
                if entry["pacer_doc_id"]:
                    cands = [e for e in cands
                             if e["numbers"].get("pacer_doc_id") == entry["pacer_doc_id"]]
                assert len(cands) >= 1, (name, d["docket_number"], entry)
                # juriscraper merges items with one guid and time ("Add Judge AND Add
                # Trustee"); each is its own event here.
                for part in entry["short_description"].split(" AND "):
                    match = [e for e in cands if e.get("entry_type") == part.strip()]
                    assert match, (part, cands)
                    e = match[0]
                    assert e["numbers"]["court"] == d["court_id"]
                    assert _harmonised(e.get("case_name")) == d["case_name"], (e, d)
                    assert e["numbers"].get("document") == entry["document_number"], (e, entry)
                checked += 1
        assert checked == sum(len(d["docket_entries"]) for d in expected)
    events, _, _ = f.parse(f.sample("pacer-rss/sdny_1.xml"))
    assert len(events) == 358 and all(e["numbers"].get("docket") for e in events)
    vs = [e for e in events if " v. " in e.get("case_name", "")]
    assert vs and all({p["role"] for p in e["parties"]} == {"plaintiff", "defendant"} for e in vs)


ZONED_FAIRS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//seawall//zones//EN",
    "BEGIN:VEVENT", "UID:kiri@zones", "SUMMARY:Kiritimati Expo 2027",
    "DTSTART;TZID=Pacific/Kiritimati:20270301T090000",
    "DTEND;TZID=Pacific/Kiritimati:20270303T170000", "END:VEVENT",
    "BEGIN:VEVENT", "UID:pago@zones", "SUMMARY:Pago Pago Fair 2027",
    "DTSTART;TZID=Pacific/Pago_Pago:20270301T180000",
    "DTEND;TZID=Pacific/Pago_Pago:20270303T200000", "END:VEVENT",
    "BEGIN:VEVENT", "UID:canton@zones", "SUMMARY:Canton Zone Fair 2027",
    "DTSTART;TZID=Asia/Shanghai:20270415T070000",
    "DTEND;TZID=Asia/Shanghai:20270419T180000", "END:VEVENT",
    "BEGIN:VEVENT", "UID:utc@zones", "SUMMARY:UTC Fair 2027",
    "DTSTART:20270501T230000Z", "DTEND:20270502T010000Z", "END:VEVENT",
    "END:VCALENDAR", ""])


def test_icalendar_days_are_the_fairs_own(f):
    """date and end are UTC instants; local_date and local_end the days where the fair is."""
    events, _, _ = f.parse("-", "--format", "ical", data=ZONED_FAIRS.encode())
    got = {e["show"]: (e["date"], e["end"], e["local_date"], e["local_end"]) for e in events}
    assert got == {
        "kiri@zones": ("2027-02-28T19:00:00Z", "2027-03-03T03:00:00Z", "2027-03-01", "2027-03-03"),
        "pago@zones": ("2027-03-02T05:00:00Z", "2027-03-04T07:00:00Z", "2027-03-01", "2027-03-03"),
        "canton@zones": ("2027-04-14T23:00:00Z", "2027-04-19T10:00:00Z", "2027-04-15",
                         "2027-04-19"),
        "utc@zones": ("2027-05-01T23:00:00Z", "2027-05-02T01:00:00Z", "2027-05-01", "2027-05-02"),
    }, got


def test_icalendar(f):
    ev = f.one("icalendar/america_new_york.ics")
    assert ev["type"] == "show_event" and ev["date"] == "2014-08-29T12:00:00Z"  # 08:00 EDT
    assert ev["local_date"] == "2014-08-29"      # a custom TZID, through its VTIMEZONE
    ev = f.one("icalendar/issue_350.ics")
    assert ev["title"] == 'Termin 4353 und"so"' and ev["location"] == "online"
    assert ev["url"].startswith("https://podio.com/")
    events, _, _ = f.parse(f.sample("icalendar/x_location.ics"))
    assert events[0]["title"] == "Daily Sync" and events[0]["date"] == "2016-10-28T12:00:00Z"
    assert all(e["show"] == events[0]["show"] for e in events)
    assert all(e.get("recurrence") for e in events[1:]) and len(events) > 1
    ev = f.one("icalendar/alarm_google_future.ics")
    assert ev["date"] == "2024-10-04T18:15:00Z"
