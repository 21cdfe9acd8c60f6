"""Tables read as a listener can follow them: the caption, then row by row.

A budget page's allocation table becomes paragraphs such as::

    केंद्रीय बजट 2025-26: प्रमुख मंत्रालयों का आवंटन।
    रक्षा: ₹6,81,210 करोड़, 9.5% अधिक।

The first column names the row; a column whose header gives a unit in brackets ("आवंटन
(₹ करोड़)", "बदलाव (%)") lends it to the numbers under it (a caption's, "(₹ करोड़ में)", to
every figure); a sign before a change is said
as "अधिक"/"कम"; headers are named where they help: where two cells of a row would
otherwise sound alike (two amounts, two percentages), where a row has one figure
("मतदान 78%"), and before a row named by a number ("वार्ड 14"). A table too large to follow
by ear (more than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns) is replaced by
one sentence saying that a table was left out (:data:`LEFT_OUT`), which ``narrate script``
also warns about.
Both HTML and Markdown tables come here. Each paragraph comes with the part of the table it
reads (:class:`~narrate.model.TablePart`, :func:`read_table`), so the transcript and the
embed page can show the table itself, as written, where the listener hears it.
"""

from __future__ import annotations

import re
import unicodedata

from narrate.model import Table, TablePart

#: A table with more rows than this (not counting the header) is not read aloud: about a
#: minute of figures is as much as a listener can follow.
MAX_ROWS = 15
#: ...nor one with more columns than this: a row of seven figures is not a sentence.
MAX_COLUMNS = 6
#: How the spoken notice for a table left out begins (``narrate script`` looks for it).
LEFT_OUT = unicodedata.normalize("NFC", "यहां लेख में एक तालिका है")

_MORE = unicodedata.normalize("NFC", "अधिक")
_LESS = unicodedata.normalize("NFC", "कम")
_SENTENCE_END = "।॥?!"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def shown(table: Table) -> Table:
    """The table as the transcript and the embed show it: every cell cleaned like other
    shown text (NFC, single spaces), a header of empty cells dropped, and rows with no
    text left out (they are not read either)."""
    header = tuple(_clean(h) for h in table.header)
    rows = (tuple(_clean(c) for c in row) for row in table.rows)
    return Table(
        _clean(table.caption), header if any(header) else (), tuple(r for r in rows if any(r))
    )


#: A unit in brackets at the end of a header: "आवंटन (₹ करोड़)", "बदलाव (%)".
_HEADER_UNIT = re.compile(r"\s*[(\[]\s*(?P<unit>[^()\[\]]{1,20})\s*[)\]]\s*$")
#: A cell that is a number as written, with an optional sign: "6,81,210", "+9.5", "-3%".
_NUMBER_CELL = re.compile(r"(?P<sign>[+\-−–]?)\s*(?P<n>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<pct>%?)")
_CURRENCY = re.compile(r"[₹$€£]|रु\.?|रुपये|Rs\.?", re.IGNORECASE)


_UNIT_IN = re.compile(r"\s+(?:में|in)$")


def _split_header(header: str) -> tuple[str, str]:
    """A header's (or caption's) name and the unit in brackets after it ("आवंटन (₹ करोड़)"
    -> ("आवंटन", "₹ करोड़"); "नतीजे (₹ करोड़ में)" -> ("नतीजे", "₹ करोड़"))."""
    match = _HEADER_UNIT.search(header)
    if match is None:
        return header, ""
    return header[: match.start()].strip(), _UNIT_IN.sub("", match["unit"].strip())


def _with_unit(cell: str, unit: str) -> str:
    """A numeric cell with the unit its header gives and its sign said in words:
    ("6,81,210", "₹ करोड़") -> "₹6,81,210 करोड़"; ("+9.5", "%") -> "9.5% अधिक"."""
    match = _NUMBER_CELL.fullmatch(cell)
    if match is None:
        return cell
    number, sign = match["n"], match["sign"]
    if match["pct"] or unit == "%":
        said = f"{number}%"
    elif unit:
        currency = _CURRENCY.search(unit)
        rest = _CURRENCY.sub("", unit).strip()
        said = f"₹{number}" if currency else number
        said = f"{said} {rest}".strip() if rest else said
    else:
        said = number
    if sign == "+":
        return f"{said} {_MORE}"
    if sign:
        return f"{said} {_LESS}"
    return said


def _kind(cell: str) -> str:
    """What a cell sounds like, to decide whether headers must be named."""
    if "%" in cell:
        return "percent"
    if _CURRENCY.search(cell):
        return "money"
    if any(ch.isdigit() for ch in cell):
        return "number"
    return "text"


def _sentence(text: str) -> str:
    return text if not text or text[-1] in _SENTENCE_END else f"{text}।"


def too_large(table: Table) -> bool:
    width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    return len(table.rows) > MAX_ROWS or width > MAX_COLUMNS


def left_out_notice(table: Table) -> str:
    """The one sentence said instead of a table too large to read aloud."""
    caption = f" ({table.caption.rstrip('।.:')})" if table.caption else ""
    return _clean(
        f"{LEFT_OUT}{caption}, {len(table.rows)} पंक्तियों की। इतने आंकड़े सुनकर समझना"
        " मुश्किल है, इसलिए वह पढ़ी नहीं गई; उसे लेख में देखें।"
    )


def read_table(table: Table) -> list[tuple[str, TablePart]]:
    """The paragraphs a table is read as (see the module docstring), each with the part of
    the table it reads: the caption, then one per row; one notice for a table too large to
    read aloud; only the caption of a table with no rows, nothing for an empty one. The
    parts name the table as :func:`shown`."""
    table = shown(table)
    caption = table.caption
    if not table.rows:
        return [(_sentence(caption), TablePart(table, "caption"))] if caption else []
    if too_large(table):
        return [(left_out_notice(table), TablePart(table, "notice"))]
    _, caption_unit = _split_header(caption)  # "(₹ करोड़ में)" for every figure
    header = [_split_header(h) for h in table.header]
    header = [(name, unit or caption_unit) for name, unit in header]
    paragraphs = [(_sentence(caption), TablePart(table, "caption"))] if caption else []
    for number, row in enumerate(table.rows):
        label, values = (row[0], row[1:]) if len(row) > 1 else ("", row)
        offset = len(row) - len(values)
        said = []
        for i, cell in enumerate(values):
            name, unit = header[i + offset] if i + offset < len(header) else ("", caption_unit)
            said.append((name, _with_unit(cell, unit) if cell else ""))
        kinds = [_kind(v) for _, v in said if v]
        named = len(kinds) != len(set(kinds)) or len(values) == 1
        parts = [f"{name} {value}" if named and name else value for name, value in said if value]
        text = ", ".join(parts)
        if label and _kind(label) == "number" and header and header[0][0]:
            label = f"{header[0][0]} {label}"  # "वार्ड 14", not "14"
        paragraph = _sentence(f"{label}: {text}" if label and text else label or text)
        paragraphs.append((paragraph, TablePart(table, "row", number)))
    return paragraphs
