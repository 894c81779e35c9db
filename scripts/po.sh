#!/bin/sh
# po.sh — the message catalogue's upkeep with GNU gettext (`make po` runs `po.sh update`).
#
#   po.sh extract OUT.pot   the template made from the sources: the C programs (fcgi/, lib/,
#                           workers/, tools/), the action rules' texts in etc/deadlines.json
#                           (scripts/po_deadlines.py) and the portal's JavaScript (www/, if
#                           any; the tests point PO_WWW at a folder of their own)
#   po.sh update            extract into build/po/, replace po/seawall.pot when anything but
#                           its date changed, and msgmerge it into every po/<lang>.po
#
# What is extracted: the English texts people read, marked by the functions that word them.
#   C:  sw_reply_problem (title, argument 4; detail format, argument 6), sw_verrs_add (3),
#       sw_tr (2), sw_trn (2, 3: singular and plural), sw_trc (2: context, 3), sw_t (1),
#       SW_N (1: marked, translated later). Log lines are not marked and are not extracted.
#   JS: t("English {name}", {...}), tnodes (the same, with nodes for placeholders) and
#       tn("one {n} file", "{n} files", n).
# A comment "/* TRANSLATORS: ... */" just before a marked string reaches the translator.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# xgettext with what every pass shares.
xg() {
    xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: --add-location=file --sort-by-file \
        --force-po --package-name=Seawall --copyright-holder=Seawall \
        --msgid-bugs-address="the Seawall issue tracker" "$@"
}

extract() {
    out=$1
    mkdir -p "$(dirname "$out")"
    rm -f "$out"
    c_files=$(ls fcgi/*.c lib/*.c workers/*.c tools/*.c | LC_ALL=C sort)
    # shellcheck disable=SC2086
    xg --language=C -k \
        --keyword=sw_tr:2 --keyword=sw_trn:2,3 --keyword=sw_trc:2c,3 --keyword=sw_t:1 \
        --keyword=SW_N:1 --keyword=sw_reply_problem:6 --keyword=sw_verrs_add:3 \
        --flag=sw_reply_problem:6:c-format --flag=sw_verrs_add:3:c-format \
        --flag=sw_tr:2:pass-c-format --flag=sw_trn:2:pass-c-format \
        --flag=sw_trn:3:pass-c-format --flag=sw_trc:3:pass-c-format \
        --flag=sw_t:1:pass-c-format --flag=sw_buf_printf:2:c-format \
        -o "$out" $c_files
    # The problem titles: argument 4 of the same function (xgettext reads one argument per
    # keyword and call, so a second pass joins them to the first).
    # shellcheck disable=SC2086
    xg --language=C -k --keyword=sw_reply_problem:4 -j -o "$out" $c_files
    # The action rules' texts (etc/deadlines.json): an alert shows them, a reminder mails them.
    python3 scripts/po_deadlines.py etc/deadlines.json >"$out.deadlines"
    msgcat --use-first --add-location=file --sort-by-file -o "$out" "$out" "$out.deadlines"
    rm -f "$out.deadlines"
    js_files=$(find "${PO_WWW:-www}" -name '*.js' -type f 2>/dev/null | LC_ALL=C sort)
    if [ -n "$js_files" ]; then
        # shellcheck disable=SC2086
        xg --language=JavaScript -k --keyword=t:1 --keyword=tn:1,2 --keyword=tnodes:1 \
            -j -o "$out" $js_files
    fi
}

# 0 when two templates differ only in their creation date.
same_template() {
    [ -f "$2" ] && diff -q -I '^"POT-Creation-Date:' "$1" "$2" >/dev/null
}

update() {
    extract build/po/seawall.pot
    if same_template build/po/seawall.pot po/seawall.pot; then
        echo "po: po/seawall.pot is up to date"
    else
        cp build/po/seawall.pot po/seawall.pot
        echo "po: po/seawall.pot updated"
    fi
    for f in po/*.po; do
        [ -f "$f" ] || continue
        msgmerge --quiet --update --backup=none --previous --add-location=file "$f" \
            po/seawall.pot
        printf 'po: %s: ' "$f"
        msgfmt --statistics -o /dev/null "$f" 2>&1
    done
}

case "${1:-}" in
extract) [ $# -eq 2 ] || { echo "usage: po.sh extract OUT.pot" >&2; exit 2; }; extract "$2" ;;
update) update ;;
*) echo "usage: po.sh extract OUT.pot | po.sh update" >&2; exit 2 ;;
esac
