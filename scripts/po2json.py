#!/usr/bin/env python3
"""po2json.py — a gettext catalogue (po/zh-CN.po) as the portal reads it: one JSON object
{msgid: msgstr} on standard output. Fuzzy and untranslated entries and the header are left
out (the portal then shows the English msgid); a plural entry gives its first form, as
Chinese has one. Standard library only.

    scripts/po2json.py po/zh-CN.po > www/i18n/zh-CN.json
"""
import json
import sys

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unquote(s, where):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {s!r}")
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1] not in ESCAPES:
                raise ValueError(f"{where}: unknown escape in {s!r}")
            out.append(ESCAPES[body[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def entries(lines, name):
    """Yields (flags, fields) per entry; fields maps msgid/msgstr/msgid_plural/msgstr[N]."""
    flags, fields, key = set(), {}, None
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        where = f"{name}:{n}"
        if not line:
            if fields:
                yield flags, fields
            flags, fields, key = set(), {}, None
            continue
        if line.startswith("#,"):
            flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"{where}: a continued string without a keyword")
            fields[key] += unquote(line, where)
            continue
        key, _, rest = line.partition(" ")
        if key in fields:
            raise ValueError(f"{where}: {key} twice in one entry")
        fields[key] = unquote(rest, where)
    if fields:
        yield flags, fields


def catalogue(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = {}
    for flags, fields in entries(lines, path):
        msgid = fields.get("msgid")
        if not msgid or "fuzzy" in flags or "msgctxt" in fields:
            continue
        msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
        if msgstr:
            out[msgid] = msgstr
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: po2json.py CATALOGUE.po")
    try:
        cat = catalogue(sys.argv[1])
    except (OSError, ValueError) as e:
        sys.exit(f"po2json: {e}")
    json.dump(cat, sys.stdout, ensure_ascii=False, sort_keys=True, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
