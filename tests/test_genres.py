"""The genre words' traditional forms, written out in scripts/core/genres.py, are OpenCC's."""

from scripts.core.genres import GENRES, SIMPLIFIED_FORMS, TRADITIONAL_FORMS
from scripts.core.script import to_traditional


def test_traditional_forms_are_opencc_s2t():
    converted = tuple(dict.fromkeys(to_traditional(g) for g in SIMPLIFIED_FORMS))
    assert tuple(g for g in converted if g not in SIMPLIFIED_FORMS) == TRADITIONAL_FORMS


def test_genres_hold_both_scripts_once_each_simplified_first():
    assert GENRES[: len(SIMPLIFIED_FORMS)] == SIMPLIFIED_FORMS
    assert len(GENRES) == len(set(GENRES))
    assert set(GENRES) == set(SIMPLIFIED_FORMS) | set(TRADITIONAL_FORMS)
    assert "條例" in GENRES and "通知" in GENRES
