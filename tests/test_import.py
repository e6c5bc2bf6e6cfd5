"""`python -m scripts import DUMP`: a crawler's or dataset's bulk export → one document per
in-scope record, as one change, with each record's provenance; read on the real records of
the six bulk dumps copied under tests/data/dumps/ and on CSV exports made from them."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest
import yaml

from scripts.ingest.dump import read_broken_object, read_dump

from .maintainer import built_project, cli, snapshot

DUMPS = __import__("pathlib").Path(__file__).parent / "data" / "dumps"
RECORDS = DUMPS / "records"


def record(name: str) -> dict:
    return json.loads((RECORDS / name).read_text(encoding="utf-8"))


NATIONAL = [record(f"national-govcn-zhengceku-yiqing--sheet1-row-{n}.json") for n in (231, 33, 59)]


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("national-gbk-crlf.csv", "gbk"),
        ("national.tsv", "utf-8"),
        ("national-bare-cr.csv", "utf-8"),
    ],
)
def test_a_spreadsheet_export_reads_as_the_records_it_was_made_from(name, encoding):
    dump = read_dump(DUMPS / name)
    assert dump.columns == ["标题", "发文机关", "发布时间", "url", "正文"] and not dump.problems
    for got, want in zip(dump.records, NATIONAL, strict=False):
        body = want["正文"] if "bare" not in name or got.key != "row 2" else None
        assert got.fields["标题"] == want["标题"]
        if body is not None:
            assert got.fields["正文"] == body  # its LFs are inside the cell, not row ends
    # the record's bytes are the dump's own: the header row and its row, never re-encoded
    data = (DUMPS / name).read_bytes()
    header = data[: data.index(b"\n") + 1]
    for got in dump.records:
        assert got.data.startswith(header) and got.data[len(header) :] in data
        again = read_dump(DUMPS / f"one{got.suffix}", got.data)
        assert [r.fields for r in again.records] == [got.fields]
    assert dump.records[0].data.decode(encoding)


def test_a_bare_cr_inside_a_cell_of_a_crlf_file_stays_in_its_cell():
    dump = read_dump(DUMPS / "national-bare-cr.csv")
    assert len(dump.records) == 2
    cell = dump.records[0].fields["正文"]
    assert cell.count("\r") == 3 and cell.replace("\r", "\n") == NATIONAL[0]["正文"]


def test_a_utf8_bom_crlf_export_with_a_crawlers_english_columns():
    dump = read_dump(DUMPS / "guangan-utf8-bom-crlf.csv")
    assert dump.columns[0] == "province"  # the BOM is not part of the first column's name
    assert [r.key for r in dump.records] == ["row 2", "row 3", "row 4"]
    assert dump.records[0].data.startswith(b"\xef\xbb\xbfprovince,")


def test_json_lines_read_record_by_record_and_what_cannot_be_read_is_said_by_line():
    dump = read_dump(DUMPS / "beijing.jsonl")
    assert [r.key for r in dump.records] == ["line 1", "line 2", "line 3"]
    assert dump.records[2].lenient and "<div class=" in dump.records[2].fields["article"]
    assert [p.line for p in dump.problems] == [4] and "line 4" in str(dump.problems[0])


def test_a_bulk_files_broken_line_keeps_its_attachments_whole():
    line = (RECORDS / "beijing-zyj-zhongyiyao-esbulk--line-40.jsonl").read_text(encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
    value = read_broken_object(line)
    assert list(value) == ["urlsource", "title", "date", "source", "article", "attachment"]
    assert all(set(a) == {"mark", "link"} for a in value["attachment"])
    assert value["article"].startswith('<div class="view TRS_UEDITOR')


def test_an_elasticsearch_bulk_file_skips_its_action_lines(tmp_path):
    lines = (RECORDS / "beijing-zyj-zhongyiyao-esbulk--line-26.jsonl").read_bytes().strip()
    bulk = tmp_path / "bulk.json"
    bulk.write_bytes(b'{"index":{}}\n' + lines + b'\n{"index":{}}\n{"title": "x"}\n')
    dump = read_dump(bulk)
    assert [r.key for r in dump.records] == ["line 2", "line 4"]
    assert dump.records[0].data == lines


def test_a_json_array_and_an_object_wrapping_one_give_each_element_its_own_bytes(tmp_path):
    one, two = (RECORDS / f"beijing-zyj-zhongyiyao-wenjian--{n}.json" for n in (14, 76))
    array = tmp_path / "array.json"
    array.write_bytes(b"[\n  " + one.read_bytes() + b",\n  " + two.read_bytes() + b"\n]\n")
    dump = read_dump(array)
    assert [r.key for r in dump.records] == ["[0]", "[1]"]
    assert [r.data for r in dump.records] == [one.read_bytes(), two.read_bytes()]
    guangan = RECORDS / "sichuan-guangan-shizhengfu-wenjian--data-25.json"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_bytes(b'{"data": [' + guangan.read_bytes() + b"]}")
    dump = read_dump(wrapped)
    # the record's own list of Q&A pairs is no dump inside it
    assert [r.key for r in dump.records] == ["data[0]"] and dump.records[
        0
    ].data == guangan.read_bytes()
    assert [r.key for r in read_dump(guangan).records] == ["[0]"]


def test_an_xlsx_sheet_gives_its_rows_as_records(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["标题", "发文机关", "发布时间", None, "正文"])
    for r in NATIONAL[:2]:
        sheet.append([r["标题"], r["发文机关"], r["发布时间"], None, r["正文"]])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "x.xlsx"
    book.save(path)
    dump = read_dump(path)
    assert dump.columns == ["标题", "发文机关", "发布时间", "正文"]
    assert [r.key for r in dump.records] == ["Sheet row 2", "Sheet row 3"]
    assert json.loads(dump.records[0].data)["正文"] == NATIONAL[0]["正文"]


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    project = built_project(tmp_path_factory.mktemp("import"))
    before = snapshot(project)
    result = cli("import", str(DUMPS / "national-gbk-crlf.csv"), "--root", str(project))
    assert result.returncode == 0, result.stderr
    return project, before, result


def test_import_adds_each_record_with_its_provenance(imported):
    project, before, result = imported
    assert "3 of 3 records added" in result.stdout
    dump = project / "sources" / "dumps" / "national-gbk-crlf.csv"
    assert dump.read_bytes() == (DUMPS / "national-gbk-crlf.csv").read_bytes()
    added = sorted(set(snapshot(project)) - set(before))
    sidecars = [p for p in added if p.startswith("sources/") and p.endswith(".yml")]
    assert len(sidecars) == 3
    for rel in sidecars:
        sidecar = yaml.safe_load((project / rel).read_text(encoding="utf-8"))
        source = (project / rel).with_suffix(".csv")
        assert sidecar["dump"] == "dumps/national-gbk-crlf.csv"
        assert sidecar["record"].startswith("row ")
        assert sidecar["record_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert sidecar["url"].startswith("http://www.gov.cn/")
        assert f"docs/doc/{source.stem}.md" in added


def test_import_again_skips_every_record_as_a_duplicate_naming_it(imported):
    project, _, _ = imported
    before = snapshot(project)
    result = cli("import", str(DUMPS / "national.tsv"), "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert "0 of 3 records added; 3 duplicate(s)" in result.stdout
    assert result.stderr.count("skipped, it repeats sources/") == 3
    assert snapshot(project) == before


def test_check_passes_after_import(imported):
    project, _, _ = imported
    result = cli("check", "--no-site", "--root", str(project))
    assert result.returncode == 0, result.stderr


def test_a_bad_record_is_said_by_line_and_the_rest_go_in_unless_strict(tmp_path):
    project = built_project(tmp_path / "p")
    before = snapshot(project)
    strict = cli("import", str(DUMPS / "beijing.jsonl"), "--strict", "--root", str(project))
    assert strict.returncode == 1
    assert "beijing.jsonl:4: line 4 cannot be read" in strict.stderr
    assert "nothing was imported" in strict.stderr
    assert snapshot(project) == before
    result = cli("import", str(DUMPS / "beijing.jsonl"), "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert "3 of 4 records added" in result.stdout and "line 4 cannot be read" in result.stderr
    assert "record line 3" in result.stderr and "JSON is broken" in result.stderr


def test_where_keeps_the_scope_by_a_column_or_a_document_field(tmp_path):
    project = built_project(tmp_path / "p")
    result = cli(
        "import",
        str(DUMPS / "national.tsv"),
        "--where",
        "发文机关!=交通运输部",
        "--where",
        "doc_type=通知",
        "--root",
        str(project),
    )
    assert result.returncode == 0, result.stderr
    assert "1 of 3 records added" in result.stdout
    assert "out of scope (--where 发文机关!=交通运输部)" in result.stderr
    assert "out of scope (--where doc_type=通知; it reads doc_type '公告')" in result.stderr


def test_dry_run_prints_the_mapping_and_writes_nothing(tmp_path):
    project = built_project(tmp_path / "p")
    before = snapshot(project)
    result = cli(
        "import", str(DUMPS / "guangan-utf8-bom-crlf.csv"), "--dry-run", "--root", str(project)
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "title      ← title",
        "date       ← publish_date",
        "body       ← full_text",
        "url        ← source_url",
    ):
        assert line in result.stdout
    assert "not read: province, year" in result.stdout
    assert "row 2 → sources/2021-guangan-" in result.stdout
    assert snapshot(project) == before


def test_columns_state_what_the_names_do_not_tell(tmp_path):
    project = built_project(tmp_path / "p")
    bad = cli(
        "import", str(DUMPS / "national.tsv"), "--columns", "title=名称", "--root", str(project)
    )
    assert bad.returncode == 2 and "the dump has no column '名称'" in bad.stderr
    result = cli(
        "import",
        str(DUMPS / "national.tsv"),
        "--columns",
        "issuer=-",
        "--dry-run",
        "--root",
        str(project),
    )
    assert "issuer     ← (none)  [stated]" in result.stdout


def test_add_takes_a_one_record_dump(tmp_path):
    project = built_project(tmp_path / "p")
    row = read_dump(DUMPS / "guangan-utf8-bom-crlf.csv").records[1]
    one = tmp_path / "one.csv"
    one.write_bytes(row.data)
    result = cli("add", str(one), "--root", str(project))
    assert result.returncode == 0, result.stderr
    added = [p for p in (project / "sources").glob("*.csv")]
    assert len(added) == 1 and added[0].read_bytes() == row.data
    assert "广安市人民政府关于划定广安主城区高污染燃料禁燃区的通告" in result.stdout


def test_a_table_of_documents_whose_header_reads_wenhao_is_no_number_of_its_own():
    """北京市中医管理局's list of the normative documents it keeps: its table's header row reads
    文号 | 标题, which the page's metadata reader took for the page's own 文号 and stopped on."""
    from scripts.ingest.convert import convert_file

    doc = convert_file(DUMPS / "beijing-zyj-zhongyiyao-wenjian--46-table-of-documents.json", {})
    assert "doc_number" not in doc.meta
    assert any("the 文号 field '标题': it is no 文号" in w for w in doc.warnings)


def test_a_fault_of_the_pipeline_on_one_record_spares_the_others(tmp_path, monkeypatch):
    from scripts.maintain import import_dump as module

    project = built_project(tmp_path / "p")
    real = module.convert_bytes

    def failing(data, path, sidecar):
        if "交通运输部".encode("gbk") in data:
            raise RuntimeError("a fault")
        return real(data, path, sidecar)

    monkeypatch.setattr(module, "convert_bytes", failing)
    outcome = module.import_dump(project, DUMPS / "national-gbk-crlf.csv")
    assert len(outcome.added) == 2
    said = (
        "national-gbk-crlf.csv:18: record row 4: the pipeline failed on it (RuntimeError: a "
        "fault); `python -m scripts convert` on the record shows where"
    )
    assert outcome.bad == [said]
