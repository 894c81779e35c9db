#!/usr/bin/env python3
"""The table of key kinds in include/seawall/keys.h, as Markdown for docs/keys.md.

    tests/source/keysdoc.py          prints the table
    tests/source/keysdoc.py --write  puts it into docs/keys.md between its two markers"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEYS_H = os.path.join(ROOT, "include", "seawall", "keys.h")
DOC = os.path.join(ROOT, "docs", "keys.md")
BEGIN = "<!-- key kinds: made by tests/source/keysdoc.py from include/seawall/keys.h -->"
END = "<!-- end of key kinds -->"

SECTION = re.compile(r"^/\* -+ (.*?) -*\s*\*/$")
KIND = re.compile(r'^SWK(\d)\((\w+),\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*(.*))?\)\s*$')


def kinds():
    """[(section, name, format, [argument types], comment)] in the header's order."""
    out, section, comment = [], "", []
    with open(KEYS_H) as f:
        for line in f:
            line = line.rstrip()
            m = SECTION.match(line)
            if m:
                section, comment = m.group(1).strip(), []
                continue
            if line.startswith("/*") or (comment and line.startswith(" *")):
                comment.append(line.strip("/* ").strip())
                if line.endswith("*/"):
                    continue
                continue
            m = KIND.match(line)
            if m:
                types = [t.strip() for t in (m.group(4) or "").split(",") if t.strip()]
                out.append((section, m.group(2), m.group(3), types, " ".join(comment)))
            comment = [] if not line.startswith(" *") else comment
    return out


def tag(fmt):
    """The hash tag part of a key format, or None when the whole key is hashed."""
    m = re.search(r"\{([^}]*)\}", fmt)
    return m.group(1) if m and m.group(1) else None


def table():
    lines, last = [], None
    for section, name, fmt, types, comment in kinds():
        if section != last:
            lines += ["", f"### {section}", "", "| kind | key | slot by | what |",
                      "|---|---|---|---|"]
            last = section
        t = tag(fmt)
        lines.append(f"| `{name}` | `{fmt}` | {'`{' + t + '}`' if t else 'the whole key'} "
                     f"| {comment} |")
    return "\n".join(lines).lstrip("\n") + "\n"


def main(argv):
    text = table()
    if "--write" not in argv:
        sys.stdout.write(text)
        return 0
    with open(DOC) as f:
        doc = f.read()
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    with open(DOC, "w") as f:
        f.write(head + BEGIN + "\n" + text + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
