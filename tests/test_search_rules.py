"""The search is defined once: Python owns the patterns and tables a query is read by and writes
them into search/index.json (search_index.browser_rules); the browser's scripts (docs/assets/,
the search's in docs/assets/search/) hold none of them. The browser tests (test_search.py) check
the browser reads a query as Python does."""

from __future__ import annotations

import json
import re

import pytest

from scripts.core import numerals
from scripts.site import search_index
from scripts.site.search_index import browser_rules, js_pattern

from .conftest import ROOT

ASSETS = ROOT / "docs" / "assets"
# every script of the site's own: not the vendored ones (docs/assets/vendor/, fetched by `make`)
SCRIPTS = sorted(p for p in ASSETS.rglob("*.js") if "vendor" not in p.relative_to(ASSETS).parts)


def test_a_python_pattern_is_written_as_javascript_reads_it():
    assert (
        js_pattern(re.compile(r"(?P<code>[\u4e00-\u9fff]{2})\d"))
        == r"(?<code>[\u4e00-\u9fff]{2})\d"
    )
    for python_only in (r"(?P<a>x)(?(a)y)", r"(?P<a>x)(?P=a)", r"(?i)x"):
        with pytest.raises(ValueError):
            js_pattern(re.compile(python_only))


def test_the_rules_are_json_and_every_pattern_is_javascripts():
    rules = json.loads(json.dumps(browser_rules(), ensure_ascii=False))
    assert rules["digits"] == numerals.DIGITS and rules["units"] == numerals.UNITS
    assert rules["pages"] == search_index.FILTER_MARK + search_index.PAGE_FILTER
    assert "(?P<" not in json.dumps(rules)


def test_every_script_of_the_site_is_read():
    names = {p.relative_to(ASSETS).as_posix() for p in SCRIPTS}
    search = {f"search/{name}.js" for name in ("query", "index", "excerpt", "results")}
    assert {"archive-base.js", "archive.js", *search} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(ASSETS).as_posix())
def test_no_script_holds_a_rule_that_python_holds(script):
    """What the rules hold, written out, is in no script of the site: the numerals, the brackets of
    a 文号, the filters' names, the mark of another page, the hash's constants, the Han ranges."""
    rules = browser_rules()
    held = [
        "零",
        "〕",
        "號",
        "人民政府",
        "中华人民共和国",
        *(f'"{name}"' for name in rules["filters"].values()),  # 全部地区 is the select's own word
        search_index.PAGE_FILTER,
        f"{search_index.FNV_OFFSET:x}",
        f"{search_index.FNV_PRIME:x}",
        "4dbf",
        "9fff",
        "0xff10",
    ]
    text = script.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.DOTALL)  # comments may name them
    assert [word for word in held if word.lower() in code.lower()] == []


def test_the_wanted_entries_do_not_hang_on_the_order_pages_were_indexed_in():
    """Two documents cite one wanted decree under two titles: the entry (and the title a result
    shows first) is the same whichever page the index took first. It was the order a set of
    URLs was walked in, which changes with each process's string hashing."""
    from scripts.site.search_index import SearchState, wanted_entries

    cited = {
        "/doc/a/": [["guotuziyuanbuling-39", "国土资源部令第39号", "国土资源部招标拍卖挂牌规定"]],
        "/doc/b/": [["guotuziyuanbuling-39", "国土资源部令第39号", "招标拍卖挂牌规定"]],
    }

    def entries(urls: list[str]) -> dict:
        state = SearchState(
            numbers={"/doc/a/": 0, "/doc/b/": 1},
            main=["/doc/a/", "/doc/b/"],
            dates={"/doc/a/": "2024-01-02", "/doc/b/": "2023-05-06"},
            wanted={url: cited[url] for url in urls},
        )
        return wanted_entries(state)

    assert entries(["/doc/a/", "/doc/b/"]) == entries(["/doc/b/", "/doc/a/"])
