"""The watch list (/app/portfolio) and its import (/app/portfolio/import) against the real
stack, signed in as an exporter: both languages at a phone's and a desktop's width, every
string from the catalogue; adding, changing and removing items with the server's messages
beside the field as the person leaves it; an EU trade mark (EM) and the EU as a market; CSV
files as spreadsheets save them (UTF-8 with a BOM, GBK with Chinese names) checked, their bad
rows shown beside the row, imported, and the exported file imported back changing nothing;
the CSV and .xlsx downloads; the budgets."""
import io
import os
import tempfile
import zipfile

from browser import DESKTOP, PHONE, browser
from exporter import api_requests, enter, exporter, fetch_bytes, field_error, no_sideways_scroll
from portal import catalogue, foreign, seed

ITEMS = [
    {"kind": "mark", "text": "LUMA", "classes": [9, 11], "countries": ["EM", "US"]},
    {"kind": "name", "text": "宁波港湾照明有限公司", "aliases": ["Ningbo Harbour Lighting Co., Ltd."]},
    {"kind": "patent", "number": "US 8,930,553 B2", "label": "desk lamp"},
    {"kind": "keyword", "text": "LED灯具", "countries": ["EU"]},
]


def stocked(s, lang, company="宁波港湾照明有限公司"):
    """An exporter whose watch list holds one item of each kind (the fair: the seeded one)."""
    data = seed(s)
    who = exporter(s, company, lang=lang, markets=("US", "EU"))
    base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
    for item in ITEMS + [{"kind": "show", "show": data["show"]["id"]}]:
        r = s.post(base, item, token=who["token"])
        assert r.status == 201, r
    return who, base


def items(s, who, base):
    return s.get(f"{base}?limit=200", token=who["token"]).json()["items"]


def leave(el):
    el.send_keys("\ue004")      # Tab: the person moves on


def test_pages_in_both_languages_and_widths(s):
    cat = catalogue(s)
    for lang in ("en", "zh-CN"):
        who, base = stocked(s, lang)
        for size in (PHONE, DESKTOP):
            with browser(s, lang=lang, size=size) as b:
                enter(b, who, "/app/portfolio")
                assert b.js("return document.documentElement.lang") == lang
                h1 = [e.text for e in b.finds("main h1")]
                assert h1 == ["Watch list" if lang == "en" else "监测清单"], h1
                rows = b.finds("main .portfolio-table tbody tr")
                assert len(rows) == 5, len(rows)
                names = b.text("main .portfolio-table")
                assert "宁波港湾照明有限公司" in names and "LUMA" in names
                assert "Berlin Consumer Electronics Fair" in names      # a fair by its name
                # The EU trade mark and the EU market, in words of the page's language.
                eu = "European Union (EUIPO)" if lang == "en" else cat["European Union (EUIPO)"]
                assert eu in b.text("main [data-item] .item-facts"), b.text("main")
                bad = foreign(b.texts(), lang, cat)
                assert not bad, (lang, size, bad[:8])
                no_sideways_scroll(b)
                # The add dialog: its strings too.
                b.click("main .toolbar button")
                b.wait("the form", lambda: b.finds("dialog[open] input[name=text]"))
                bad = foreign(b.texts(), lang, cat)
                assert not bad, (lang, size, "dialog", bad[:8])
                b.keys("\ue00c")                                  # Escape closes it
                b.wait("the dialog closed", lambda: not b.finds("dialog[open]"))
                enter(b, who, "/app/portfolio/import")
                assert b.finds("main input[type=file]")
                bad = foreign(b.texts(), lang, cat)
                assert not bad, (lang, size, "import", bad[:8])
                no_sideways_scroll(b)


def test_add_with_inline_errors_fixed_then_change_and_remove(s):
    """An EU trade mark added: a wrong class and "EU" on a mark are the server's messages
    beside their fields as the person leaves them (aria-invalid, aria-describedby), gone once
    fixed; then changed and removed. In English on a desktop and in Chinese on a phone."""
    cat = catalogue(s)
    for lang, size in (("en", DESKTOP), ("zh-CN", PHONE)):
        who = exporter(s, f"Inline Check {lang} Ltd", lang=lang)
        base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
        with browser(s, lang=lang, size=size) as b:
            b.allow("/portfolio/check", 400)
            b.allow(f"{base} - ", 400)                 # saving with the country still wrong
            enter(b, who, "/app/portfolio")
            assert "empty" in b.find("main .empty").get_attribute("class")
            b.click("main .toolbar button")
            b.wait("the form", lambda: b.finds("dialog[open] input[name=text]"))
            assert b.focused()["name"] == "kind"
            text = b.find("dialog input[name=text]")
            text.send_keys("LUMA")
            leave(text)
            classes = b.find("dialog input[name=classes]")
            classes.send_keys("9, 46")
            leave(classes)
            want = "Nice classes are 1 to 45" if lang == "en" else "尼斯分类类别为第 1 至 45 类"
            b.wait("the class error", lambda: want in field_error(b, "dialog input[name=classes]")[1])
            invalid, message, tied = field_error(b, "dialog input[name=classes]")
            assert invalid == "true" and tied and "46" in message, (invalid, message, tied)
            assert field_error(b, "dialog input[name=text]")[0] is None   # LUMA is fine
            assert b.finds("dialog .error-summary[hidden]")                # no summary yet
            classes.clear()
            classes.send_keys("9, 11")
            leave(classes)
            b.wait("the class error gone", lambda: field_error(b, "dialog input[name=classes]")[0] is None)
            # "EU" is the EU as a market: on a mark the server says to write EM.
            countries = b.find("dialog input[name=countries]")
            countries.send_keys("EU\ue007")                                # Enter adds it
            leave(countries)
            b.wait("the country error", lambda: "EM" in field_error(b, "dialog input[name=countries]")[1])
            assert field_error(b, "dialog input[name=countries]")[0] == "true"
            # Saving now shows every problem and a summary, focus on the field.
            b.click("dialog button[type=submit]")
            b.wait("the summary", lambda: b.finds("dialog .error-summary:not([hidden])"))
            assert b.focused()["name"] == "countries"
            assert s.get(base, token=who["token"]).json()["items"] == []
            b.click("dialog .chips .chip-remove")
            eu_tm = "European Union (EUIPO)" if lang == "en" else cat["European Union (EUIPO)"]
            countries.send_keys(eu_tm + "\ue007")
            b.wait("the EU trade mark chosen", lambda: "(EM)" in b.text("dialog .chips"))
            countries.send_keys("US\ue007")
            leave(countries)
            b.wait("the country error gone", lambda: field_error(b, "dialog input[name=countries]")[0] is None)
            b.click("dialog button[type=submit]")
            b.wait("the dialog closed", lambda: not b.finds("dialog[open]"))
            b.wait("the new row", lambda: b.finds("main [data-item]"))
            stored = s.get(base, token=who["token"]).json()["items"]
            assert [(i["text"], i["classes"], i["countries"]) for i in stored] == [
                ("LUMA", [9, 11], ["EM", "US"])], stored
            said = b.text("main .status")
            assert "LUMA" in said, said
            assert b.focused()["text"] == ("Add an item" if lang == "en" else cat["Add an item"])
            # Changed: the dialog holds the item; a patent field is not there for a mark.
            b.click(f"main [data-item='{stored[0]['id']}'] .edit")
            b.wait("the form", lambda: b.finds("dialog[open] input[name=text]"))
            assert b.find("dialog input[name=classes]").get_attribute("value") == "9, 11"
            assert not b.find("dialog input[name=number]").is_displayed()
            text = b.find("dialog input[name=text]")
            text.clear()
            text.send_keys("LUMA PRO")
            b.click("dialog button[type=submit]")
            b.wait("the dialog closed", lambda: not b.finds("dialog[open]"))
            b.wait("the changed row", lambda: "LUMA PRO" in b.text("main .portfolio-table"))
            one = s.get(f"{base}/{stored[0]['id']}", token=who["token"]).json()
            assert one["text"] == "LUMA PRO" and one["countries"] == ["EM", "US"], one
            assert b.focused()["cls"].endswith("edit")
            # Removed after a confirmation; keeping it first changes nothing.
            b.click(f"main [data-item='{stored[0]['id']}'] .remove")
            b.wait("the question", lambda: b.finds("dialog[open] .confirm"))
            assert "LUMA PRO" in b.text("dialog")
            b.click("dialog .actions .button.secondary")
            b.wait("the dialog closed", lambda: not b.finds("dialog[open]"))
            assert len(s.get(base, token=who["token"]).json()["items"]) == 1
            b.click(f"main [data-item='{stored[0]['id']}'] .remove")
            b.wait("the question", lambda: b.finds("dialog[open] .confirm"))
            b.click("dialog .button.danger")
            b.wait("the row gone", lambda: not b.finds("main [data-item]"))
            assert s.get(base, token=who["token"]).json()["items"] == []
            assert b.finds("main .empty")
            b.assert_clean()


def test_each_kind_has_its_fields(s):
    """A company name with aliases in two scripts, a patent (its normalised number shown as
    the person leaves the field), a keyword in the EU, a fair chosen from the list."""
    data = seed(s)
    who = exporter(s, "Every Kind Ltd")
    base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
    with browser(s, lang="en") as b:
        b.allow("/portfolio/check", 400)
        enter(b, who, "/app/portfolio")

        def add(kind, fill):
            b.click("main .toolbar button")
            b.wait("the form", lambda: b.finds("dialog[open] select[name=kind]"))
            b.js("const k = document.querySelector('dialog select[name=kind]');"
                 "k.value = arguments[0]; k.dispatchEvent(new Event('change'));", kind)
            fill()
            b.click("dialog button[type=submit]")
            b.wait("the dialog closed", lambda: not b.finds("dialog[open]"))

        def name():
            b.find("dialog input[name=text]").send_keys("Ningbo Harbour Lighting Co., Ltd.")
            b.find("dialog textarea[name=aliases]").send_keys("宁波港湾照明\nNingbo Harbour")
        add("name", name)

        def patent():
            n = b.find("dialog input[name=number]")
            n.send_keys("US 8,930,553 B2")
            leave(n)
            b.wait("the normalised number", lambda: "US8930553" in b.text("dialog .normalised"))
        add("patent", patent)

        def keyword():
            b.find("dialog input[name=text]").send_keys("power bank")
            b.find("dialog input[name=countries]").send_keys("European Union\ue007")
            b.wait("the EU", lambda: "(EU)" in b.text("dialog .chips"))
        add("keyword", keyword)

        def show():
            b.wait("the fairs", lambda: len(b.finds("dialog select[name=show] option")) > 1)
            b.js("document.querySelector('dialog select[name=show]').value = arguments[0]",
                 data["show"]["id"])
        add("show", show)
        b.wait("four rows", lambda: len(b.finds("main [data-item]")) == 4)
        got = {i["kind"]: i for i in s.get(base, token=who["token"]).json()["items"]}
        assert got["name"]["aliases"] == ["宁波港湾照明", "Ningbo Harbour"], got
        assert got["patent"]["normalised"] == "US8930553", got
        assert got["keyword"]["countries"] == ["EU"], got
        assert got["show"]["show"] == data["show"]["id"], got
        # The kinds filter: only the patents, in the address.
        b.follow("main .kind-filter li:nth-child(4) a")
        assert b.path() == "/app/portfolio?kind=patent"
        assert [e.text for e in b.finds("main [data-item] th")] == ["US 8,930,553 B2"]
        assert b.find("main .kind-filter a[aria-current=page]").text == "Patents"


def test_markets_with_the_eu(s):
    who = exporter(s, "Markets Ltd", markets=("US",))
    with browser(s, lang="en") as b:
        b.allow(f"/api/v1/subscribers/{who['sub']['id']}", 400)
        enter(b, who, "/app/portfolio")
        b.click("main .markets button")
        picker = b.find("main .markets-form input[name=markets]")
        assert b.focused()["name"] == "markets"
        picker.send_keys("European Union\ue007")
        picker.send_keys("EM\ue007")                       # the EU trade mark is no market
        b.click("main .markets-form button[type=submit]")
        b.wait("the error", lambda: b.finds("main .markets-form .error-summary:not([hidden])"))
        invalid, message, tied = field_error(b, "main .markets-form input[name=markets]")
        assert invalid == "true" and tied and "written EU" in message, message
        assert s.get(f"/api/v1/subscribers/{who['sub']['id']}", token=who["token"]).json()[
            "markets"] == ["US"]
        b.find("main .markets-form .chips li:last-child .chip-remove").click()
        b.click("main .markets-form button[type=submit]")
        b.wait("saved", lambda: not b.finds("main .markets-form"))
        assert s.get(f"/api/v1/subscribers/{who['sub']['id']}", token=who["token"]).json()[
            "markets"] == ["US", "EU"]
        assert "European Union" in b.text("main .market-list")


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def check_file(b, path, mode="add"):
    """Chooses path and mode on the import page and checks it (a dry run)."""
    b.js("document.querySelector('main .result').replaceChildren()")
    b.find("main input[type=file]").send_keys(path)
    b.click(f"main input[name=mode][value={mode}]")
    b.click("main .import-form button[type=submit]")
    b.wait("the result", lambda: b.finds("main .result h2"))


def test_import_spreadsheet_files(s):
    """UTF-8 with a BOM as Excel's "CSV UTF-8" saves it, and GBK as Excel on Chinese Windows
    saves "CSV": checked (what would change, the encoding read), a bad row shown beside its
    row, imported; the file the page downloads imported back with "update by id" changes
    nothing; replacing the list names what would go."""
    who = exporter(s, "Spreadsheet Trading Co.", lang="zh-CN")
    base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
    cat = catalogue(s)
    folder = tempfile.mkdtemp(prefix="seawall-import-")
    utf8 = write(folder, "marks.csv", "\ufeffkind,text,classes,countries\r\n"
                 "mark,海湾,9;11,EM\r\nname,深圳蓝牙音箱有限公司,,\r\n".encode("utf-8"))
    gbk = write(folder, "names-gbk.csv", ("kind,text,aliases,classes\r\n"
                                          "name,宁波港湾照明有限公司,港湾照明;Ningbo Harbour,\r\n"
                                          "mark,蓝鲸,,9;99\r\n"
                                          "keyword,LED灯具,,\r\n").encode("gbk"))
    with browser(s, lang="zh-CN", size=PHONE) as b:
        b.allow("/portfolio/import", 400)
        enter(b, who, "/app/portfolio/import")
        check_file(b, utf8)
        result = b.text("main .result")
        assert cat["The check found no problems"] in result, result
        assert "将新增：2" in result and "UTF-8" in result, result
        assert s.get(base, token=who["token"]).json()["items"] == []      # a dry run
        assert b.focused()["cls"] == "result"
        b.click("main .result .actions button")
        b.wait("imported", lambda: cat["Imported"] in b.text("main .result h2"))
        assert [i["text"] for i in items(s, who, base)] == ["海湾", "深圳蓝牙音箱有限公司"]
        # GBK with a class out of range in row 3: the row, its cell and its message.
        check_file(b, gbk)
        assert b.text("main .result h2") == cat["The file has problems"]
        assert "GB18030" in b.text("main .result")
        bad = b.finds("main .rows-table tbody tr.bad")
        assert [r.get_attribute("data-row") for r in bad] == ["3"], [r.text for r in bad]
        row = bad[0]
        assert "蓝鲸" in row.text and "尼斯分类类别为第 1 至 45 类" in row.find_element(
            "css selector", ".problems").text, row.text
        assert row.find_element("css selector", ".bad-cell").text == "9;99"
        good = b.find("main .rows-table tbody tr[data-row='2']")
        assert "宁波港湾照明有限公司" in good.text and "港湾照明;Ningbo Harbour" in good.text
        assert not good.find_elements("css selector", ".problems li")
        assert len(items(s, who, base)) == 2                               # nothing imported
        no_sideways_scroll(b)
        assert not foreign(b.texts(), "zh-CN", cat)
        gbk = write(folder, "names-gbk.csv", ("kind,text,aliases,classes\r\n"
                                              "name,宁波港湾照明有限公司,港湾照明;Ningbo Harbour,\r\n"
                                              "mark,蓝鲸,,9;35\r\n"
                                              "keyword,LED灯具,,\r\n").encode("gbk"))
        check_file(b, gbk)
        assert "将新增：3" in b.text("main .result") and "GB18030" in b.text("main .result")
        b.click("main .result .actions button")
        b.wait("imported", lambda: cat["Imported"] in b.text("main .result h2"))
        stored = items(s, who, base)
        assert [i["text"] for i in stored] == ["海湾", "深圳蓝牙音箱有限公司", "宁波港湾照明有限公司",
                                              "蓝鲸", "LED灯具"], stored
        assert stored[2]["aliases"] == ["港湾照明", "Ningbo Harbour"]
        # The page's own download, imported back by id: nothing to change.
        b.open("/app/portfolio")
        href = b.find("main a[download][href*='format=csv']").get_attribute("href")
        exported = fetch_bytes(b, href)["body"]
        back = write(folder, "export.csv", exported)
        b.open("/app/portfolio/import")
        check_file(b, back, "upsert")
        result = b.text("main .result")
        assert cat["The file matches your watch list: importing it changes nothing."] in result
        assert "未变化：5" in result and not b.finds("main .result .actions button"), result
        # Replacing the list with one row: the four others are named before anything goes.
        one = write(folder, "one.csv", exported.split(b"\r\n")[0] + b"\r\n" +
                    exported.split(b"\r\n")[1] + b"\r\n")
        check_file(b, one, "replace")
        going = b.text("main .result .removed")
        for name in ("深圳蓝牙音箱有限公司", "宁波港湾照明有限公司", "蓝鲸", "LED灯具"):
            assert name in going, going
        assert "海湾" not in going.replace("宁波港湾照明有限公司", "")
        assert len(items(s, who, base)) == 5
    # UTF-16 as Excel's "Unicode text" saves it: tab-separated, read as such.
    with browser(s, lang="zh-CN") as b:
        enter(b, who, "/app/portfolio/import")
        u16 = write(folder, "unicode.txt", "kind\ttext\r\nname\t深圳蓝牙音箱有限公司\r\n".encode("utf-16"))
        check_file(b, u16)
        result = b.text("main .result")
        assert "UTF-16" in result and cat["tab-separated"] in result and "将新增：1" in result, result


def test_downloads_round_trip_with_chinese(s):
    who, base = stocked(s, "en", company="港湾照明 Harbour Lighting")
    with browser(s, lang="en") as b:
        enter(b, who, "/app/portfolio")
        links = {a.get_attribute("href").rsplit("=", 1)[1]: a
                 for a in b.finds("main .toolbar a[download]")}
        assert set(links) == {"csv", "xlsx"}
        csv = fetch_bytes(b, links["csv"].get_attribute("href"))
        assert csv["status"] == 200 and csv["type"].startswith("text/csv"), csv["type"]
        assert csv["disposition"].startswith("attachment;") and "UTF-8''" in csv["disposition"]
        body = csv["body"]
        assert body.startswith(b"\xef\xbb\xbf"), body[:8]               # Excel reads UTF-8
        text = body[3:].decode("utf-8")
        assert "\r\n" in text and "宁波港湾照明有限公司" in text and "LED灯具" in text, text
        assert '"EM;US"' in text
        xlsx = fetch_bytes(b, links["xlsx"].get_attribute("href"))
        assert xlsx["status"] == 200 and "spreadsheetml" in xlsx["type"], xlsx["type"]
        with zipfile.ZipFile(io.BytesIO(xlsx["body"])) as z:
            names = z.namelist()
            assert "xl/workbook.xml" in names, names
            sheets = "".join(z.read(n).decode("utf-8") for n in names
                             if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
        assert "宁波港湾照明有限公司" in sheets and "LED灯具" in sheets and "LUMA" in sheets


def test_keyboard_and_budgets(s):
    """The dialog by keyboard alone; each page's first load within the budgets: at most 4 API
    requests (the session's included), at most 150 KB of files, nothing from elsewhere."""
    who, _ = stocked(s, "en")
    with browser(s, lang="en") as b:
        enter(b, who, "/app/portfolio")
        while b.focused()["text"] != "Add an item":
            b.tab()
        b.keys("\ue007")
        b.wait("the form", lambda: b.finds("dialog[open]"))
        assert b.focused()["name"] == "kind"
        assert b.tab()["name"] == "text"
        b.keys("\ue00c")
        b.wait("closed", lambda: not b.finds("dialog[open]"))
        assert b.focused()["text"] == "Add an item"
    for lang in ("en", "zh-CN"):
        with browser(s, lang=lang) as b:
            b.cdp("Network.enable")
            b.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
            for path in ("/app/portfolio", "/app/portfolio/import", "/app/portfolio?kind=show"):
                enter(b, who, path)
                calls = api_requests(b)
                assert len(calls) <= 4, (path, calls)
                res = b.resources()
                assert all(r["name"].startswith(b.base) for r in res), res
                files = [r for r in res if not r["name"][len(b.base):].startswith("/api/")]
                size = sum(r["transfer"] for r in files)
                assert size <= 150 * 1024, (path, size)


def test_only_for_exporters(s):
    """Someone signed in who is not an exporter is told whose pages these are."""
    from peoplelib import make_person, sign_in
    centre = s.make("/api/v1/centres", {"name": "Watch List Test Centre", "country": "CN"})
    staff = s.make(f"/api/v1/centres/{centre['id']}/staff",
                   {"name": "Tri Ager", "email": "tri@watchlist.example", "role": "triager"})
    email = make_person(s, "triager", staff["id"])
    who = {"session": sign_in(s, email)}
    with browser(s, lang="en") as b:
        for path in ("/app/portfolio", "/app/portfolio/import", "/app/channels"):
            enter(b, who, path)
            assert "This page is for exporters" in b.text("main .notice"), path
            assert api_requests(b) == [f"{b.base}/api/v1/session"], api_requests(b)
