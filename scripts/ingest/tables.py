"""Tables of a saved page's body → one `table` block each, drawn as a Markdown table.

A saved page's <td>s reach the text as tab-separated lines (html_source.page_text), one line a
row. `group_tables` turns a run of at least two such rows with the same number of cells (two or
more) into one block; its text keeps the rows as lines and the cells tab-separated, so nothing of
the source changes. A table that is irregular (rowspan / colspan, an empty cell) gives rows of
unequal length and stays as it was: one paragraph a row. `render_table` draws the block, first
row as the header, every cell escaped (pipes too, by `escape_part`) so source text never becomes markup.
"""

from __future__ import annotations

from ..core.model import PARAGRAPH, TABLE, Block

MIN_ROWS = 2
MIN_CELLS = 2


def _cells(block: Block) -> int:
    if block.kind != PARAGRAPH or block.number or "\t" not in block.text:
        return 0
    return block.text.count("\t") + 1


def group_tables(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        width = _cells(blocks[i])
        j = i
        while (
            j < len(blocks) and _cells(blocks[j]) and blocks[j].attachment == blocks[i].attachment
        ):
            j += 1
        run = blocks[i:j]
        if width >= MIN_CELLS and len(run) >= MIN_ROWS and all(_cells(b) == width for b in run):
            out.append(
                Block(
                    TABLE,
                    "\n".join(b.text for b in run),
                    line=run[0].line,
                    attachment=run[0].attachment,
                )
            )
            i = j
        elif run:
            out.extend(run)  # irregular: the rows stay paragraphs, as before
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def render_table(block: Block, escape_part) -> str:
    """Markdown table inside an anchored <div markdown>; `escape_part(start, end)` escapes one
    cell of the block's text (with its links)."""
    rows: list[list[str]] = []
    pos = 0
    for line in block.text.split("\n"):
        cells = []
        for cell in line.split("\t"):
            cells.append(
                escape_part(pos, pos + len(cell)).strip() or " "
            )  # escape_part escapes | too
            pos += len(cell) + 1
        rows.append(cells)
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("---" for _ in rows[0]) + "|")
    return (
        f'<div class="doc-table" id="{block.anchor}" markdown>\n\n'
        + "\n".join(lines)
        + "\n\n</div>"
    )
