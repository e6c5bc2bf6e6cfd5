"""A news page's publication date, read from where pages print it, never guessed from the body."""

from __future__ import annotations

import pytest

from scripts.ingest.convert import convert_file

BODY = (
    "<h1>衡南县召开县域经济工作推进会</h1>"
    "<p>4月17日，衡南县召开推进会。会议指出，2023年1月2日以来全县经济稳中向好。</p>"
)


def page(tmp_path, head: str, body: str = BODY):
    path = tmp_path / "news.html"
    path.write_text(
        f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>',
        encoding="utf-8",
    )
    return convert_file(path).meta


@pytest.mark.parametrize(
    "head, date",
    [
        ('<meta name="PubDate" content="2024-04-18 09:30">', "2024-04-18"),
        ('<meta name="pubdate" content="2024/4/8">', "2024-04-08"),
        ('<meta name="firstpublishedtime" content="2023-05-10-09:30:00">', "2023-05-10"),
        (
            '<meta property="article:published_time" content="2024-04-18T09:30:00+08:00">',
            "2024-04-18",
        ),
        ('<meta itemprop="datePublished" content="2022-12-01">', "2022-12-01"),
        (
            '<meta name="lastmodifiedtime" content="2025-01-01"><meta name="PubDate" content="2024-04-18">',
            "2024-04-18",
        ),
    ],
)
def test_a_meta_tag_gives_the_publication_date(tmp_path, head, date):
    meta = page(tmp_path, head)
    assert meta["published"] == date and meta["date"] == date


@pytest.mark.parametrize(
    "head",
    [
        "",
        '<meta name="lastmodifiedtime" content="2025-01-01">',
        '<meta name="PubDate" content="昨天">',
        '<meta name="PubDate" content="2024-13-45">',
        '<meta name="description" content="2024-04-18 发布">',
    ],
)
def test_without_a_declared_date_none_is_guessed_from_the_body(tmp_path, head):
    meta = page(tmp_path, head)
    assert "published" not in meta and "date" not in meta


def test_the_pages_own_table_wins_over_the_meta_tag(tmp_path):
    table = (
        "<table><tr><td>发文机关：</td><td>衡南县人民政府</td></tr>"
        "<tr><td>发布日期：</td><td>2024-04-20</td></tr></table>"
    )
    meta = page(tmp_path, '<meta name="PubDate" content="2024-04-18">', table + BODY)
    assert meta["published"] == "2024-04-20"


def test_an_info_line_in_a_scraped_news_text_gives_the_date(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(
        "衡南县召开县域经济工作推进会\n发布时间：2024-04-18 09:30 来源：衡南县人民政府\n"
        "4月17日，衡南县召开推进会。\n",
        encoding="utf-8",
    )
    meta = convert_file(path).meta
    assert meta["published"] == "2024-04-18" and meta["date"] == "2024-04-18"
