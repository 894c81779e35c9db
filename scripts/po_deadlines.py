#!/usr/bin/env python3
"""po_deadlines.py — the texts people read from etc/deadlines.json as a POT fragment on stdout:
each rule's "text", "extension" and "source" (an alert's action and the staff console show
them, and a reminder mails them, through the catalogue). po.sh joins it to the template made from the sources."""
import json
import os
import sys


def po_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "etc", "deadlines.json")
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    seen = []
    for rule in table.get("actions", []) + table.get("rules", []):
        for key in ("text", "extension", "source"):
            text = rule.get(key)
            if isinstance(text, str) and text and text not in seen:
                seen.append(text)
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for text in seen:
        out += ["#: etc/deadlines.json", f"msgid {po_string(text)}", 'msgstr ""', ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
