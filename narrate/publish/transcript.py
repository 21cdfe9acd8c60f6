"""``<slug>.txt``: the transcript as plain text, for readers, search engines and podcast apps
that show a transcript without timing (Podcasting 2.0's ``podcast:transcript`` of type
``text/plain``).

It reads like the article: the title (with the date, when the narration says one), then each
section's heading and its paragraphs, as the article wrote them (the cues' text, not the
spoken form), a blank line between blocks. Every block comes from the timeline's cues, the
same ones the captions and the embed page's transcript show, so the three never disagree
about what was said.

A table is shown as a table, where it is heard (:func:`table_lines`): its caption, then its
cells in aligned columns between pipes (a Markdown table, readable as text), not the
sentences its rows are read as. A table too large to read aloud is shown after the notice
that was said instead.
"""

from __future__ import annotations

import re
import unicodedata

from narrate.model import Script, Table, TablePart, Timeline

#: A cell that is a figure: right-aligned ("6,81,210", "+9.5", "-3.2%", "₹92.77", "१२").
_FIGURE = re.compile(r"[+\-−–]?\s?[₹$€£]?\s?\d[\d,.]*\s?%?")


def figure_columns(table: Table) -> frozenset[int]:
    """The columns whose body cells are all figures (empty cells aside): they are aligned
    to the right, so that digits line up."""
    width = max((len(row) for row in table.rows), default=0)
    return frozenset(
        i
        for i in range(width)
        if any(i < len(row) and row[i] for row in table.rows)
        and all(_FIGURE.fullmatch(row[i]) for row in table.rows if i < len(row) and row[i])
    )


def text_width(text: str) -> int:
    """How many columns a terminal gives ``text``: combining marks (a vowel sign below, a
    virama, a nukta), ZWJ and ZWNJ take none, wide characters two."""
    return sum(
        0
        if unicodedata.category(ch) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def table_lines(table: Table) -> list[str]:
    """The table's cells as text lines: ``| a | b |``, each column padded to its widest
    cell (figures to the right), the header (if any) followed by its ``| --- |`` line. A
    ``|`` inside a cell is written ``\\|``."""
    rows = [table.header, *table.rows] if table.header else list(table.rows)
    width = max((len(row) for row in rows), default=0)
    cells = [[c.replace("|", "\\|") for c in row] + [""] * (width - len(row)) for row in rows]
    sizes = [max(3, *(text_width(row[i]) for row in cells)) for i in range(width)]
    right = figure_columns(table)

    def line(row: list[str]) -> str:
        padded = []
        for i, cell in enumerate(row):
            pad = " " * (sizes[i] - text_width(cell))
            padded.append(pad + cell if i in right else cell + pad)
        return "| " + " | ".join(padded) + " |"

    lines = [line(row) for row in cells]
    if table.header:
        rule = ["-" * (n - 1) + ":" if i in right else "-" * n for i, n in enumerate(sizes)]
        lines.insert(1, "| " + " | ".join(rule) + " |")
    return lines


def transcript_text(script: Script, timeline: Timeline) -> str:
    """The plain-text transcript of the episode of ``script`` (UTF-8 text, ``\\n`` line
    ends, one line per block, a blank line between blocks, a final newline)."""
    blocks: list[str] = []
    lines: list[str] = []
    kind: str | None = None
    section: int | None = None
    table: TablePart | None = None  # the part of a table the last cue read

    def flush() -> None:
        if lines:
            blocks.append(" ".join(" ".join(lines).split()))
            lines.clear()

    def show(part: TablePart) -> None:
        flush()
        if part.table.caption:
            blocks.append(part.table.caption)
        if part.table.header or part.table.rows:
            blocks.append("\n".join(table_lines(part.table)))

    for cue in timeline.cues:
        part = cue.table
        goes_on = part is not None and part.follows(table)
        if table is not None and table.kind == "notice" and not goes_on:
            show(table)  # the table that the notice was said instead of
        table = part
        if part is not None and part.kind != "notice":  # the table shows its caption and rows
            if not goes_on:
                show(part)
            continue
        if cue.kind != kind or cue.section != section or (part is not None and not goes_on):
            flush()
        kind, section = cue.kind, cue.section
        lines.append(cue.text)
        if cue.kind == "body" and cue.ends == "paragraph":
            flush()
    flush()
    if table is not None and table.kind == "notice":
        show(table)
    if not blocks:
        blocks.append(script.title)
    return "\n\n".join(blocks) + "\n"
