"""Invisible characters that would change what a reader sees: removed and reported, never kept silently.

- `drop_hidden_characters` (before the cleaning): a bidirectional control in the text (U+202E …)
  shows the words after it reversed, in a title as in a paragraph; a character that is not text
  (a C0 control, U+FFFE, a lone surrogate: core/chars.py NOT_TEXT) makes the feed not XML and
  a page not UTF-8. Each one is removed and reported as a `Removal` of its line (rule
  `bidi-control U+202E`, `not-text U+FFFE`), so the removal report of the page lists it and
  every other character of the source still reaches the page.
- `single_line_fields` (after the metadata): every text field is one line without bidi controls
  or characters that are not text.
  A field is shown in a heading, a table cell, a feed entry and a CSV cell, where a line break
  starts markup and a YAML reader turns U+0085 into a space; the field is folded to one line and
  a warning says so (`add` and `build` print it). The sidecar refuses both (ingest/sidecar.py).
"""

from __future__ import annotations

from ..core.chars import BIDI_CONTROLS, LINE_BREAKS, NOT_TEXT, code_points
from ..core.model import Removal

HIDDEN = ((BIDI_CONTROLS, "bidi-control"), (NOT_TEXT, "not-text"))


def drop_hidden_characters(lines: list, removed: list[Removal]) -> list:
    """The lines without bidi controls or characters that are not text; each line that had some
    adds a Removal to `removed` per kind."""
    out = []
    for line in lines:
        for pattern, rule in HIDDEN:
            found = pattern.findall(line.text)
            if found:
                removed.append(
                    Removal(line.no, "".join(found), f"{rule} {code_points(''.join(found))}")
                )
                line = type(line)(line.no, pattern.sub("", line.text))
        out.append(line)
    return out


def single_line(key: str, value: str, warnings: list[str]) -> str:
    bidi = BIDI_CONTROLS.findall(value)
    if bidi:
        warnings.append(
            f"{key}: removed the bidirectional control(s) {code_points(''.join(bidi))}, "
            "which would show it reversed"
        )
        value = BIDI_CONTROLS.sub("", value)
    not_text = [ch for ch in NOT_TEXT.findall(value) if not LINE_BREAKS.match(ch)]
    if not_text:  # (a vertical tab or a form feed is a line break: folded below)
        warnings.append(
            f"{key}: removed {code_points(''.join(not_text))}, which is not text "
            "(a feed with it would not be XML)"
        )
        value = NOT_TEXT.sub(lambda m: m[0] if LINE_BREAKS.match(m[0]) else "", value)
    breaks = LINE_BREAKS.findall(value)
    if breaks:
        warnings.append(
            f"{key}: folded {len(breaks)} line break(s) ({code_points(''.join(breaks))}) to spaces: "
            "a field is one line"
        )
        value = " ".join(part.strip() for part in LINE_BREAKS.split(value) if part.strip())
    return value


def single_line_fields(meta: dict, warnings: list[str]) -> dict:
    """`meta` with every text field (and each text in a list or mapping of them) on one line."""

    def tidy(key: str, value):
        if isinstance(value, str):
            return single_line(key, value, warnings)
        if isinstance(value, list):
            return [tidy(key, item) for item in value]
        if isinstance(value, dict):
            return {k: tidy(f"{key}.{k}", v) for k, v in value.items()}
        return value

    return {key: tidy(key, value) for key, value in meta.items()}
