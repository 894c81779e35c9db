"""lib/ owns every key and script: fcgi/ and workers/ call no store function but opening and
closing a handle, and spell no key or Redis command; lib/ spells keys only in keys.h."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ownership  # noqa: E402


def test_the_store_is_called_from_lib_alone(ctx):
    found = [f"{rel}:{line}: {what}" for p in ownership.sources()
             for rel, line, what in ownership.findings(p)]
    assert not found, "store use outside lib/ (move it into a lib data operation), or a key " \
        "spelt outside keys.h:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for(ctx, tmp=None):
    import tempfile
    d = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(d, "workers"))
        path = os.path.join(d, "workers", "w.c")
        with open(path, "w") as f:
            f.write('/* sw_store_cmd(s, "HGET", "sw:x") in a comment */\n'
                    'r = sw_store_cmd(&s, "HGET", "sw:{sub:1}:profile", NULL);\n'
                    'sw_store_init(&s, cfg);\n')
        saved = ownership.ROOT
        ownership.ROOT = d
        try:
            got = [what for _, _, what in ownership.findings(path)]
        finally:
            ownership.ROOT = saved
        assert got == ["calls the store: sw_store_cmd()", 'sends a Redis command: "HGET"',
                       'spells a key: "sw:{sub:1}:profile"'], got
    finally:
        import shutil
        shutil.rmtree(d)


def test_key_kinds_are_documented_and_distinct(ctx):
    import keysdoc
    kinds = keysdoc.kinds()
    assert len(kinds) >= 2, kinds
    names = [k[1] for k in kinds]
    fmts = [k[2] for k in kinds]
    assert len(set(names)) == len(names), "a key kind named twice in keys.h"
    assert len(set(fmts)) == len(fmts), \
        "two key kinds build the same key: " + ", ".join(f for f in fmts if fmts.count(f) > 1)
    with open(keysdoc.DOC) as f:
        doc = f.read()
    assert keysdoc.BEGIN + "\n" + keysdoc.table() + keysdoc.END in doc, \
        "docs/keys.md does not show keys.h's table: run tests/source/keysdoc.py --write"
