"""The search's traditional → simplified table (pages/web.py t2s_table, shipped as t2s.js and
folded into the index) is OpenCC's conversion of each character alone."""

import json

from scripts.core.script import to_simplified
from scripts.pages.web import t2s_script, t2s_table


def test_each_pair_is_the_character_converted_alone():
    expected = []
    for code in range(0x4E00, 0xA000):
        simple = to_simplified(chr(code))
        if simple != chr(code) and len(simple) == 1:
            expected.append(chr(code) + simple)
    table = t2s_table()
    assert table == "".join(expected)
    pairs = dict(table[i : i + 2] for i in range(0, len(table), 2))
    assert pairs["們"] == "们" and pairs["條"] == "条" and "们" not in pairs
    assert len(pairs) > 3000


def test_the_script_carries_the_whole_table():
    assert f"window.ARCHIVE_T2S = {json.dumps(t2s_table(), ensure_ascii=False)};" in t2s_script()
