"""Front matter is dumped by libyaml's emitter (fast) when it is there: it must write exactly what
PyYAML's pure-Python emitter writes, so that a page never depends on how PyYAML was installed.
Where libyaml would differ (characters above U+FFFF, U+0085, keys that are not plain names),
render.py uses the pure-Python one."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.ingest.sidecar import NoAliasLoader
from scripts.pages.render import ESCAPED_BY_LIBYAML, _same_with_libyaml, dump_yaml
from scripts.pipeline.build import load_archive

from .conftest import copy_project

pytestmark = pytest.mark.skipif(
    not hasattr(yaml, "CSafeDumper"), reason="PyYAML built without libyaml"
)

AWKWARD = [
    "",
    " leading space",
    "trailing space ",
    "a: b",
    "# not a comment",
    "- not a list",
    "---",
    "...",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "0123",
    "1e3",
    "0x1F",
    ".inf",
    "2024-01-05",
    "12:30",
    "'single'",
    '"double"',
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "two\n\nparagraphs",
    "\n",
    "衡南县人民政府办公室",
    "（2024）5号",
    "衡政办发〔2024〕5号",
    "《关于……的意见》",
    "全角　空格",
    "\u3000开头是全角空格",
    "\ufeffbom",
    "\u2028line separator",
    "\u0085next line",
    "\x07bell",
    "emoji 😀",
    "𠀀 (CJK extension B)",
    "\u00a0nbsp",
    "x" * 1200,
    "很长的标题" * 300,
    "[bracketed]",
    "{braced}",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "|",
    ">",
    "a, b",
    "a #b",
    "key: value: more",
    "?",
    "? q",
]


class PurePythonWithoutAliases(yaml.SafeDumper):
    """PyYAML's pure-Python emitter, every value written out (as render.py writes front matter:
    readers refuse aliases, tests/test_yaml_bounded.py)."""

    def ignore_aliases(self, data) -> bool:
        return True


def same(data) -> None:
    assert dump_yaml(data) == yaml.dump(
        data, Dumper=PurePythonWithoutAliases, allow_unicode=True, sort_keys=False, width=1000
    )


def test_a_value_met_twice_is_written_out_twice_never_as_an_alias():
    shared = ["衡阳市", "衡南县"]
    written = dump_yaml({"places": shared, "mentions": shared})
    assert "&" not in written and "*" not in written
    assert yaml.load(written, Loader=NoAliasLoader) == {"places": shared, "mentions": shared}


def test_the_seeds_front_matter_is_the_same_with_both_emitters(tmp_path):
    # after the archive stages, so cites, place_path, mentions … are in it too
    archive = load_archive(copy_project(tmp_path), cache=False)
    assert archive.documents
    for doc in archive.documents:
        assert _same_with_libyaml(doc.meta), "the seeds take the fast emitter"
        same(doc.meta)


@pytest.mark.parametrize("value", [*AWKWARD, None, True, 0, -1, 3.5, [], {}, ["a", {"b": ["c"]}]])
def test_awkward_values_are_the_same_with_both_emitters(value):
    same({"title": value, "list": [value, {"nested": value}]})


def test_what_libyaml_writes_differently_goes_to_the_pure_python_emitter():
    # the guard is what keeps the two equal: without it libyaml escapes these, or writes these keys
    # another way
    for data in ({"t": "emoji 😀"}, {"t": "𠀀"}, {"t": "\x85"}, {"": 1}, {"\r": 1}, {"k" * 126: 1}):
        assert not _same_with_libyaml(data)
        assert yaml.dump(
            data, Dumper=yaml.CSafeDumper, allow_unicode=True, width=1000
        ) != yaml.safe_dump(data, allow_unicode=True, width=1000)
        same(data)
    assert not ESCAPED_BY_LIBYAML.search("衡政办发〔2024〕5号\u3000《关于……的意见》\ufeff\u2028")


KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,70}", fullmatch=True) | st.text(max_size=130)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.text(alphabet=st.characters(codec=None)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300)
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_front_matter_is_the_same_with_both_emitters(meta):
    same(meta)
