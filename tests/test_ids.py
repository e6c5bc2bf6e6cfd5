"""Document ids read right: every word of an id is a word of the title (or of the place), read back.

A document's id is its URL for ever (`/doc/<id>/`). It is derived from the year, the place and the
title's words (scripts/core/slug.py `document_id`); these tests judge the ids the pipeline derives for
every document of the archive (sources/) and of the development corpus (tests/data/corpus/),
against the title the pipeline finds (right or wrong: a wrong title is the title
extraction's to fix, the id only has to be made of its words):

- each id word is the reading of a run of the title that is one of jieba's words or one of its
  search-mode sub-words (国务院办公厅 → guowuyuan, bangongting; never guowu-yuanban-gongting,
  whose 公厅 is no word), in the order of the title;
- no id word comes from a number or its measure word (2020年, 第4626号, 十届);
- no two documents share an id, and a published id stays the document's id.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.archive.documents import source_files
from scripts.core.errors import SourceError
from scripts.core.script import to_simplified
from scripts.core.slug import _jieba, _word_token, document_id, region_token, slugify
from scripts.ingest.convert import convert_file, load_sidecar
from scripts.maintain.add import add, sidecar_for
from scripts.maintain.check import find_duplicates

from .conftest import ROOT, SOURCES, own_source_files
from .corpus_score import CORPUS

CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "SOURCES.md")
ARCHIVE_FILES = own_source_files()  # the bulk dumps' documents: ids made by the same code
NUMBER = re.compile(
    r"第?[0-9０-９〇零一二三四五六七八九十百千万两]+[年号届次期批个项条款章节份月日岁]?"
)
MEASURE_WORDS = {"年", "号", "第", "月", "月份", "日", "期", "届", "次", "批", "岁"}


def _convert(path: Path):
    """The document as the pipeline reads it: with its sidecar in sources/, as `add` would take it
    from the corpus."""
    sidecar = load_sidecar(path) if path.parent == SOURCES else sidecar_for(path, {})
    return convert_file(path, sidecar)


def _derived_id(doc) -> str:
    """The id the rule gives today, whatever a sidecar pins."""
    return document_id({k: v for k, v in doc.meta.items() if k != "id"})


def _runs(title: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every jieba word of the title and every search-mode sub-word inside it;
    and a single character at a word's edge whose rest is itself a sub-word (县|公安局)."""
    runs, start = [], 0
    for word in _jieba().cut(title):
        end = start + len(word)
        runs.append((start, end, word))
        subs = {s for s in _jieba().cut_for_search(word) if s != word}
        for sub in subs:
            runs += [
                (start + m.start(), start + m.start() + len(sub), sub)
                for m in re.finditer(re.escape(sub), word)
            ]
        if len(word) >= 3 and word[1:] in subs:
            runs.append((start, start + 1, word[0]))
        if len(word) >= 3 and word[:-1] in subs:
            runs.append((end - 1, end, word[-1]))
        start = end
    return runs


def _is_number(run: tuple[int, int, str], title: str) -> bool:
    start, end, text = run
    if NUMBER.fullmatch(text) and not re.fullmatch(
        "十[一二三四五六七八九]五", text
    ):  # 十四五 is a plan's name
        return True
    next_to_digit = re.search(r"[0-9０-９]$", title[:start]) or re.match(r"[0-9０-９]", title[end:])
    return text in MEASURE_WORDS and bool(next_to_digit)


def _read_back(words: list[str], title: str) -> list[tuple[int, int, str]] | None:
    """Runs of the title, left to right, whose readings are the id's words; None if there are none."""
    by_token: dict[str, list[tuple[int, int, str]]] = {}
    for run in _runs(title):
        by_token.setdefault(_word_token(run[2]), []).append(run)

    def match(i: int, pos: int):
        if i == len(words):
            return []
        for run in sorted(by_token.get(words[i], []), key=lambda r: r[0]):
            if run[0] >= pos and (rest := match(i + 1, run[1])) is not None:
                return [run, *rest]
        return None

    return match(0, 0)


def _judge(doc) -> None:
    meta = doc.meta
    doc_id = _derived_id(doc)
    title = to_simplified(meta.get("title", ""))
    year = (meta.get("date") or "0000")[:4]
    head = "-".join(p for p in (year, region_token(meta)) if p)
    assert doc_id == head or doc_id.startswith(head + "-"), (
        f"{doc_id}: not year, then place ({head})"
    )
    words = doc_id[len(head) + 1 :].split("-") if doc_id != head else []
    if not words:  # a title with no words ('第232号'): `add` refuses to freeze "2018-jiangxi"
        return
    runs = _read_back(words, title)
    segmentation = " ".join(f"{w}={_word_token(w)}" for w in _jieba().cut(title))
    assert runs is not None, f"{doc_id}: a word is no word of the title {title!r} ({segmentation})"
    numbers = [r[2] for r in runs if _is_number(r, title)]
    assert not numbers, f"{doc_id}: words from numbers {numbers} of {title!r}"


@pytest.mark.parametrize("path", ARCHIVE_FILES, ids=lambda p: p.name)
def test_archive_ids_are_words_of_the_title(path):
    _judge(_convert(path))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_ids_are_words_of_the_title(path):
    _judge(_convert(path))


def test_no_two_documents_share_an_id():
    """Over the archive and the corpus: the ids the rule derives, and the published ids, are
    distinct, but for two copies of one document (same text or 文号), which `add` refuses. An id
    `add` would not freeze (no date: 0000-…) is left out: `add` asks for --date or --id first."""
    docs = []
    for path in [*ARCHIVE_FILES, *CORPUS_FILES]:
        try:
            docs.append(_convert(path))
        except SourceError:
            continue  # not readable yet: see the test above
    copy_of: dict[
        Path, Path
    ] = {}  # each copy of one document → the first copy (the corpus is in sources/ too)
    for dup in find_duplicates(docs):
        copy_of[dup.second.source] = copy_of.get(dup.first.source, dup.first.source)
    owner: dict[str, object] = {}
    clashes = []
    for doc in docs:
        for doc_id in {i for i in (doc.meta["id"], _derived_id(doc)) if not i.startswith("0000-")}:
            other = owner.setdefault(doc_id, doc)
            if other is not doc and copy_of.get(other.source, other.source) != copy_of.get(
                doc.source, doc.source
            ):
                clashes.append(f"{doc_id}: {other.source.name} and {doc.source.name}")
    assert not clashes
    assert len(docs) >= len(ARCHIVE_FILES) + 20


def test_published_ids_stay_pinned():
    """Every published document URL is a source whose sidecar pins its id: a change of the rule
    (this one, or a later one) never moves a published page."""
    published = set(
        re.findall(
            r"^/doc/([^/#\s]+)/$", (ROOT / "published" / "anchors.txt").read_text(), re.MULTILINE
        )
    )
    pinned = {load_sidecar(path).get("id") for path in source_files(SOURCES)}  # all of them
    assert published and published <= pinned
    changed = {
        doc.meta["id"]: _derived_id(doc)
        for doc in map(_convert, ARCHIVE_FILES)
        if doc.meta["id"] != _derived_id(doc)
    }
    assert set(changed) <= published  # a derived id that differs is kept only where it is published


# --- the rule on the examples -------------------------------------------------------------


@pytest.mark.parametrize(
    "title, words",
    [
        ("国务院办公厅关于推进政务新媒体健康有序发展的意见", "guowuyuan-bangongting-tuijin"),
        ("江西省发展和改革委员会关于印发方案的通知", "jiangxisheng-fazhan-gaige-weiyuanhui"),
        ("衡阳市人民政府办公室关于印发方案的通知", "hengyangshi-renmin-zhengfu-bangongshi"),
        ("中华人民共和国药品管理法实施条例", "zhonghua-renmin-gongheguo-yaopin"),
        ("衡南县实施“八大行动”总体方案", "hengnanxian-bada-xingdong-zongti-fangan"),
    ],
    ids=[
        "guowuyuan-bangongting",
        "fazhan-gaige-weiyuanhui",
        "renmin-zhengfu-bangongshi",
        "zhonghua-renmin-gongheguo",
        "zongti-fangan",
    ],
)
def test_long_words_split_at_their_own_words(title, words):
    assert slugify(title).startswith(words)


@pytest.mark.parametrize(
    "title, slug",
    [
        ("呼和浩特市玉泉区因地制宜发展", "huhehaoteshi-yuquanqu-yindizhiyi-fazhan"),
        ("县公安局关于一视同仁的通知", "xian-gonganju-yishitongren-tongzhi"),
    ],
    ids=["place-and-idiom", "level-of-an-organ"],
)
def test_names_and_idioms_stay_whole(title, slug):
    """A place name or an idiom has no cut into words of two characters or more: it stays whole,
    never cut every two characters (呼和/浩特, 因地/制宜, 一视/同仁); a level (县) is a word."""
    assert slugify(title, max_words=8) == slug


@pytest.mark.parametrize(
    "meta, expected",
    [
        (
            {
                "date": "2020-03-13",
                "title": "2020年全省粮食和物资储备改革发展工作要点",
                "region": "江西省",
                "region_code": "360000",
            },
            "2020-jiangxi-quansheng-liangshi-wuzi-chubei-gaige-fazhan",
        ),
        (
            {
                "date": "2006-10-18",
                "title": "国务院办公厅对全国政协十届四次会议第4626号提案的答复",
                "region": "全国",
            },
            "2006-guowuyuan-bangongting-quanguo-zhengxie-huiyi-tian",
        ),
        (
            {
                "date": "2021-09-24",
                "title": "关于发放2021年10月份优抚定补经费的通知",
                "region": "清水河县",
            },
            "2021-qingshuihe-fafang-youfu-dingbu-jingfei-tongzhi",
        ),
        (
            {
                "date": "2020-02-21",
                "title": "江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见",
                "region": "江西省",
                "region_code": "360000",
            },
            "2020-jiangxi-renmin-zhengfu-bangongting-cujin-yixia-yingyouer",
        ),
    ],
    ids=["2020nian", "di-4626-hao", "2021nian-10yuefen", "3sui"],
)
def test_ids_leave_out_numbers_and_measure_words(meta, expected):
    assert document_id(meta) == expected


def test_add_dry_run_proposes_guowuyuan_bangongting(tmp_path):
    reply = CORPUS / "national-guowuyuan-zhengxie-4626-tian-dafu.html"
    root = tmp_path / "repo"
    (root / "sources").mkdir(parents=True)  # an archive without it (sources/ holds the corpus now)
    out = io.StringIO()
    add(root, reply, dry_run=True, out=out)
    assert "/doc/2006-guowuyuan-bangongting-" in out.getvalue().splitlines()[0]


def test_add_refuses_a_title_with_no_words(tmp_path):
    """'第232号' taken as the title would freeze the URL /doc/2018-jiangxi/: add asks for the title."""
    root = tmp_path / "repo"
    (root / "sources").mkdir(parents=True)
    raw = tmp_path / "order.txt"
    shutil.copyfile(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt", raw)
    with pytest.raises(SourceError, match="no title words") as refused:
        add(root, raw, overrides={"title": "第232号"}, dry_run=True, out=io.StringIO())
    assert "--title" in str(refused.value)


def test_sub_words_before_any_cut():
    """In a fresh process, cutting a long word before jieba has cut anything loads its dictionary."""
    code = (
        "from scripts.core.slug import _sub_words; print('/'.join(_sub_words('发展和改革委员会')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "发展/和/改革/委员会"
