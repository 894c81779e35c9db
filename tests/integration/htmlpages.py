"""Listing pages in the shapes real sites use, for the HTML-source tests (and the seeds of the
feed-html fuzz target, tests/fuzz/corpus/feed-html/, written from these by `python3
tests/integration/htmlpages.py DIR`): a 政府网站-style list of <li><a> with a date span, a table
of notices, the same list in GBK, and the list after a redesign that no longer matches.
Each function returns bytes."""
import html
import os
import sys

# The registration's html member for each shape (docs/feeds.md "HTML sources").
LIST_SPEC = {"item": "//ul[@class='list']/li", "title": "a/@title | a[not(@title)]",
             "link": "a/@href", "date": "span[@class='date']"}
TABLE_SPEC = {"item": "//table[@class='notices']//tr[td]", "title": "td[2]/a",
              "link": "td[2]/a/@href", "date": "td[3]", "date_format": "%Y年%m月%d日",
              "summary": "td[4]"}

HEAD = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
        '<title>{title}</title>'
        '<script type="text/javascript">var _hmt = _hmt || []; if (a < b && c) {{}}</script>'
        '</head><body>\n<div class="header"><ul class="nav"><li><a href="/">首页</a></li>'
        '<li><a href="/col/col2/">政务公开</a></li></ul></div>\n')
FOOT = ('<div class="page">共{n}条 <a href="index_2.html">下一页</a></div>\n'
        '<div class="footer">版权所有&copy;2024 主办单位 &nbsp; 备案号</div></body></html>\n')


def gov_list(items, charset="utf-8", title="通知公告"):
    """items: (title, href, date text) — an <li> each: <a href title>…</a><span>date</span>."""
    lis = "".join(
        f'<li><a href="{html.escape(href)}" target="_blank" title="{html.escape(t)}">'
        f'{html.escape(t[:18] + "…" if len(t) > 18 else t)}</a>'
        f'<span class="date">{html.escape(d)}</span></li>\n' for t, href, d in items)
    page = (HEAD.format(charset=charset, title=title) +
            f'<div class="main"><h2>{title}</h2><ul class="list">\n{lis}</ul></div>\n' +
            FOOT.format(n=len(items)))
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def notices_table(items):
    """items: (number, title, href, date text, summary) — a row of cells each."""
    rows = "".join(
        f'<tr><td>{n}</td><td><a href="{html.escape(href)}">{html.escape(t)}</a></td>'
        f'<td>{html.escape(d)}</td><td>{html.escape(s)}</td></tr>\n'
        for n, t, href, d, s in items)
    page = (HEAD.format(charset="utf-8", title="公告") +
            '<table class="notices" width="100%"><tr><th>编号</th><th>标题</th><th>发布日期</th>'
            f'<th>摘要</th></tr>\n{rows}</table>\n' + FOOT.format(n=len(items)))
    return page.encode()


def redesigned(items):
    """The list after a redesign: cards in <div>s, no <ul class="list"> any more."""
    cards = "".join(f'<div class="card"><a href="{html.escape(href)}"><h3>{html.escape(t)}'
                    f'</h3></a><time>{html.escape(d)}</time></div>\n' for t, href, d in items)
    page = (HEAD.format(charset="utf-8", title="通知公告") +
            f'<div class="news-cards">\n{cards}</div>\n' + FOOT.format(n=len(items)))
    return page.encode()


NOTICES = [("关于开展2024年知识产权保护“铁拳”专项行动的通知", "/art/2024/3/5/art_1229_101.html",
            "2024-03-05"),
           ("关于展会期间知识产权纠纷快速处理的公告", "art_1229_102.html", "[2024/3/1]"),
           ("海关查扣侵权货物情况通报（2024年第2期）", "../../zcfg/103.html", "2024年2月28日")]

TABLE_ROWS = [(1, "关于“BRIGHTSOUND”商标侵权货物的处理公告", "/gg/2024/17.html", "2024年03月05日",
               "涉嫌侵犯注册商标专用权的蓝牙音箱400台"),
              (2, "关于展品撤展的通知", "/gg/2024/18.html", "2024年3月6日", "")]


def main(out):
    os.makedirs(out, exist_ok=True)
    pages = {"gov-list.html": gov_list(NOTICES),
             "gov-list-gbk.html": gov_list(NOTICES, charset="gb2312"),
             "notices-table.html": notices_table(TABLE_ROWS),
             "redesigned.html": redesigned(NOTICES)}
    for name, body in pages.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    main(sys.argv[1])
