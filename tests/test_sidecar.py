"""The sidecar schema: every field checked, every message naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.core.errors import SourceError
from scripts.ingest.sidecar import OVERRIDES, SCHEMA, dump_sidecar, parse_sidecar

PATH = Path("sources/x.yml")


def parse(text: str) -> dict:
    return parse_sidecar(text, PATH)


def error(text: str) -> str:
    with pytest.raises(SourceError) as info:
        parse(text)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_full_sidecar_is_normalised():
    data = parse(
        "id: 2024-hengyang-bada-xingdong\n"
        "url: https://www.hengyang.gov.cn/a.html\n"
        "site: 衡阳市人民政府网\n"
        "retrieved: 2025-01-20\n"
        "overrides:\n"
        "  date: 2024-03-28\n"
        "  doc_number: 衡政办发[2024]5号\n"
        "  region_code: 430400\n"
        "  level: city\n"
    )
    assert data["retrieved"] == "2025-01-20"
    assert data["overrides"] == {
        "date": "2024-03-28",
        "doc_number": "衡政办发〔2024〕5号",
        "region_code": "430400",
        "level": "city",
    }
    assert parse(dump_sidecar(data)) == data  # what `add` writes reads back the same


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("江西省人民政府令（第232号）", "江西省人民政府令第232号"),
        ("国务院令第５８８号", "国务院令第588号"),
        ("财政部、税务总局公告2019年第39号", "财政部、税务总局公告2019年第39号"),
    ],
)
def test_a_decree_or_notice_number_is_a_doc_number_override(written, kept):
    assert parse(f"overrides:\n  doc_number: {written}\n")["overrides"]["doc_number"] == kept


def test_an_empty_sidecar_is_allowed_by_the_schema():
    assert parse("") == {"overrides": {}}


@pytest.mark.parametrize(
    "text, where, words",
    [
        ("id: Hengnan Plan\n", "x.yml:1", "lower-case ASCII words"),
        ("url: www.example.gov.cn\n", "x.yml:1", "starting with http"),
        ("retrieved: 2025-02-30\n", "x.yml:1", "YYYY-MM-DD"),
        ("retrieved: 20 January\n", "x.yml:1", "YYYY-MM-DD"),
        ("site:\n", "x.yml:1", "site is empty"),
        ("note: [a, b]\n", "x.yml:1", "single line of text"),
        ("url: https://a.cn/\nsorce: b\n", "x.yml:2", "unknown key 'sorce'"),
        ("overrides: 2024-01-01\n", "x.yml:1", "'overrides' must be a mapping"),
        ("overrides:\n  title: 标题\n  datum: 2024-01-01\n", "x.yml:3", "unknown override 'datum'"),
        ("overrides:\n  level: township\n", "x.yml:2", "national, province, city, county"),
        ("overrides:\n  script: zh-TW\n", "x.yml:2", "zh-Hans, zh-Hant"),
        ("overrides:\n  region_code: 4304\n", "x.yml:2", "6-digit"),
        ("overrides:\n  doc_number: 第五号\n", "x.yml:2", "衡政办发〔2024〕5号"),
        ("overrides:\n  doc_number: 第五号\n", "x.yml:2", "江西省人民政府令第232号"),
        ("overrides:\n  date: 2024年3月28日\n", "x.yml:2", "YYYY-MM-DD"),
        ("id: a\nid: b\n", "x.yml:2", "written twice (first on line 1)"),
        ("- a\n- b\n", "x.yml:1", "must be a mapping"),
        ("url: https://a.cn/?q=1 #frag: x\ntitle: [\n", "x.yml:3", "not valid YAML"),
    ],
)
def test_each_mistake_is_one_line_naming_file_and_line(text, where, words):
    message = error(text)
    assert message.startswith(f"sources/{where}: "), message
    assert words in message, message
    assert "; " in message  # and it says what to do


def test_every_field_has_a_meaning_and_a_valid_example():
    for name, field in {**SCHEMA, **OVERRIDES}.items():
        assert field.meaning and field.example, name
    for name, field in OVERRIDES.items():
        parse(f"overrides:\n  {name}: {field.example}\n")
