"""`seawall feed parse` as people and scripts use it: detection, forced formats, clear errors,
HTML pages with their expressions, the lenient reader's repairs said on stderr."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "integration"))
import htmlpages  # noqa: E402  (the pages the integration tests serve)

EXPECTED_SOURCE = {
    "generic-rss-atom": "rss", "pacer-rss": "cmecf", "uspto-trademark-daily": "uspto-tm",
    "uspto-patent-fulltext": "uspto-patent", "euipo-tm-xml": "euipo", "icalendar": "ical",
}


def test_auto_detection_names_every_format(f):
    for folder, source in EXPECTED_SOURCE.items():
        for name in sorted(os.listdir(f.sample(folder))):
            if name.endswith(".json") or name.startswith("prolog-"):
                continue
            events, _, _ = f.parse(f.sample(f"{folder}/{name}"))
            assert {e["source"] for e in events} == {source}, (folder, name)
    assert f.one("uspto-tsdr-st66-st96/sn76044902-ST66.xml")["source"] == "st66"
    assert f.one("uspto-tsdr-st66-st96/sn76044902-ST96.xml")["source"] == "st96"
    events, _, _ = f.parse("-", data=b'{"seawall_feed":1,"items":[{"id":"1","title":"t"}]}')
    assert events[0]["source"] == "json" and events[0]["type"] == "news"


def test_source_and_forced_format(f):
    events, _, _ = f.parse(f.sample("pacer-rss/cafc.xml"), "--format", "rss", "--source",
                           "feed-17", "--type", "litigation")
    assert {e["source"] for e in events} == {"feed-17"}
    assert all(e["type"] == "litigation" and "docket" not in e.get("numbers", {})
               for e in events)


def test_errors_are_one_line_and_nonzero(f):
    cases = [
        ((f.sample("pacer-rss/cafc.xml"), "--format", "nonsense"), "unknown format"),
        (("/nonexistent/feed.xml",), "No such file"),
        ((f.sample("icalendar/issue_350.ics"), "--format", "rss"), "XML error"),
        ((f.sample("pacer-rss/cafc.xml"), "--format", "ical"), "not an iCalendar document"),
        ((f.sample("pacer-rss/cafc.xml"), "--format", "json"), "malformed JSON"),
        ((f.sample("pacer-rss/cafc.xml"), "--bogus"), "unknown argument"),
    ]
    for args, needle in cases:
        events, rc, err = f.parse(args[0], *args[1:], check=False)
        assert rc == 1 and events == [], (args, rc, err)
        assert needle in err and err.count("\n") == 1, (args, err)


def test_unreadable_date_is_reported_not_replaced(f):
    doc = (b"<rss><channel><item><title>t</title><guid>g</guid>"
           b"<pubDate>the day after tomorrow</pubDate></item></channel></rss>")
    events, rc, err = f.parse("-", data=doc)
    assert rc == 0 and "date" not in events[0]
    assert events[0]["date_raw"] == "the day after tomorrow"
    assert "1 warning; first: unreadable date" in err


def test_partial_document_prints_what_it_read(f):
    doc = (b"<rss><channel><item><title>one</title><guid>1</guid></item>"
           b"<item><title>two</title><guid>2</guid></item><item><tit")
    events, rc, err = f.parse("-", data=doc, check=False)
    assert rc == 1 and [e["title"] for e in events] == ["one", "two"]
    assert "read in part (2 events)" in err


HOSTILE_ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
               b"UID:leap-second@example.org\r\nDTSTART:20270101T000000Z\r\n"
               b"DTEND:20270101T010000Z\r\nSUMMARY:Never\r\n"
               b"RRULE:FREQ=%s;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_calendar_rule_that_can_never_occur_returns_an_error(f):
    # libical would walk such a rule second by second to the year 2582; the parse returns
    # (subprocess timeout in feedlib) with the event and the rule named.
    for freq in (b"SECONDLY", b"MINUTELY"):
        events, rc, err = f.parse("-", data=HOSTILE_ICS % freq, check=False)
        assert rc == 1 and events == [], (freq, rc, err)
        assert err.count("\n") == 1, err
        assert (f'event "leap-second@example.org": RRULE FREQ={freq.decode()};BYMONTHDAY=30;'
                'BYMONTH=2 can never occur: no date satisfies BYMONTH and BYMONTHDAY together'
                in err), err


def test_json_feed_dates_deadlines_count_from(f):
    """published, notified and served (what action windows count from) and a Madrid item's
    designations; an unreadable date is left out with a warning, a designation that is no
    country skips the item."""
    doc = (b'{"seawall_feed": 1, "type": "customs_seizure", "jurisdiction": "DE", "items": ['
           b'{"id": "1", "title": "t", "notified": "2026-12-18", "served": "20261219"},'
           b'{"id": "2", "title": "t", "type": "trademark_filing", "jurisdiction": "WO",'
           b' "published": "2026-03-31T10:00:00+02:00", "designations": ["US", "EM", "CN"]},'
           b'{"id": "3", "title": "t", "notified": "someday"},'
           b'{"id": "4", "title": "t", "designations": ["Mars"]}]}')
    events, rc, err = f.parse("-", data=doc)
    assert rc == 0 and [e["numbers"]["guid"] for e in events] == ["1", "2", "3"], events
    assert events[0]["notified"] == "2026-12-18" and events[0]["served"] == "2026-12-19"
    assert events[1]["published"] == "2026-03-31T08:00:00Z"
    assert events[1]["designations"] == ["US", "EM", "CN"]
    assert "notified" not in events[2] and 'unreadable notified date "someday"' in err, err
    assert "2 warnings" in err, err     # the second: item 4's designation, item skipped


def test_html_page_with_expressions(f):
    page = htmlpages.gov_list(htmlpages.NOTICES, charset="gb2312")
    spec = json.dumps(htmlpages.LIST_SPEC, ensure_ascii=False)
    events, _, err = f.parse("-", "--format", "html", "--html", spec, "--base",
                             "http://www.example.gov.cn/col/col1229/index.html", "--type",
                             "bulletin", data=page)
    assert [(e["source"], e["type"], e["url"], e["date"]) for e in events] == [
        ("html", "bulletin", "http://www.example.gov.cn/art/2024/3/5/art_1229_101.html",
         "2024-03-05"),
        ("html", "bulletin", "http://www.example.gov.cn/col/col1229/art_1229_102.html",
         "2024-03-01"),
        ("html", "bulletin", "http://www.example.gov.cn/zcfg/103.html", "2024-02-28")], events
    assert events[2]["title"] == "海关查扣侵权货物情况通报（2024年第2期）" and err == ""
    # The page after a redesign: an error naming the expression, exit status 1.
    _, rc, err = f.parse("-", "--format", "html", "--html", spec,
                         data=htmlpages.redesigned(htmlpages.NOTICES), check=False)
    assert rc == 1 and "the page no longer matches its item expression" in err, err
    _, rc, err = f.parse("-", "--format", "html", "--html", '{"item": "//li[", "title": "a",'
                         ' "link": "a/@href"}', data=page, check=False)
    assert rc == 1 and "html/item is not an XPath expression" in err, err
    _, rc, err = f.parse("-", "--format", "html", data=page, check=False)
    assert rc == 1 and "needs the feed's html member" in err, err


def test_repairs_are_said_on_stderr(f):
    doc = (b"\n\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item>"
           b"<title>A&nbsp;B & C &#X41;</title><guid>1</guid></item></channel></rss>")
    events, rc, err = f.parse("-", data=doc)
    assert rc == 0 and events[0]["title"] == "A\u00a0B & C A", events
    lines = err.strip().splitlines()
    assert [ln.split("repaired (")[1].split(")")[0] for ln in lines] == [
        "prolog", "html-entity", "bare-amp", "char-ref"], err
    assert "1 time: " in lines[0] and "&nbsp;" in lines[1], err
