"""The corpus's numbers: editor-marked readings said right, tables never dropped without a
spoken notice, words spoken in order. ``python -m tests.corpus.measure`` prints them for
every article, the held-out ones (goldens written before any run, never tuned on) apart.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from narrate.model import Script
from narrate.readers import read_article
from narrate.readers.tables import LEFT_OUT
from narrate.script import build_script

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
GOLDEN = HERE / "golden"

#: A word for the comparison: letters (any script), digits and the marks inside words (the
#: Devanagari block but its dandas, which end a sentence: "23.4।" is the word "23.4").
_LETTERS = r"\w\u0900-\u0963\u0966-\u097f"
WORD = re.compile(rf"[{_LETTERS}\u200c\u200d]+(?:[-'’.:/][{_LETTERS}]+)*")


def golden(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{path.name}.json").read_text("utf-8"))
    return data


def script_of(path: Path, **options: Any) -> Script:
    return build_script(read_article(str(path)), **options)


def _said(text: str) -> str:
    """Spoken text as compared: NFC, a hyphen and brackets are not said, one space between
    words."""
    text = unicodedata.normalize("NFC", text).replace("-", " ")
    text = re.sub(r"[()\[\]]", " ", text)
    return " ".join(text.split())


def readings(script: Script, expected: list[list[Any]]) -> list[tuple[str, str, bool]]:
    """Each editor-marked reading (written, as a newsreader says it) and whether the
    script says it so. A third item is how many times it must be said, no more and no
    less (a date a dateline gives is said once, not again after the title)."""
    spoken = _said(" ".join(c.text for c in script.chunks))
    marks = []
    for written, said, *times in expected:
        found = _said(said) in spoken if not times else spoken.count(_said(said)) == times[0]
        marks.append((written, said, found))
    return marks


def tables_kept(script: Script, tables: list[list[str]]) -> list[bool]:
    """Each table of the golden file: every row's label is read, or a notice says it was
    left out."""
    shown = " ".join(c.display for c in script.chunks)
    notice = any(c.display.startswith(LEFT_OUT) for c in script.chunks)
    return [all(label in shown for label in labels) or notice for labels in tables]


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text).casefold())


def in_order(reference: list[str], spoken: list[str]) -> tuple[int, list[str]]:
    """How many reference words are spoken in order, and the ones that are not."""
    matcher = difflib.SequenceMatcher(None, reference, spoken, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    missing = [
        " ".join(reference[i1:i2])
        for op, i1, i2, _, _ in matcher.get_opcodes()
        if op in ("delete", "replace")
    ]
    return kept, missing


def main() -> int:
    from tests.corpus.test_corpus import reference_words

    totals: dict[bool, list[int]] = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for path in sorted(p for p in ARTICLES.iterdir() if p.is_file()):
        gold = golden(path)
        if "error" in gold:
            continue
        script = script_of(path)
        marks = readings(script, gold.get("readings", []))
        reference = reference_words(path)
        kept, _ = in_order(reference, [w for c in script.chunks for w in words(c.display)])
        held = bool(gold.get("heldout"))
        row = totals[held]
        row[0] += sum(ok for *_, ok in marks)
        row[1] += len(marks)
        row[2] += kept
        row[3] += len(reference)
        tables = tables_kept(script, gold.get("tables", []))
        tag = "held-out" if held else "tuning"
        right = sum(ok for *_, ok in marks)
        print(f"{path.name:38} {tag:8} readings {right:2d}/{len(marks):2d}  words in order"
              f" {kept / len(reference):6.1%}  tables kept {sum(tables)}/{len(tables)}")
        for written, said, ok in marks:
            if not ok:
                print(f"    miss: {written!r} should be {said!r}")
    for held, (right, marked, kept, total) in totals.items():
        if marked:
            tag = "held-out" if held else "tuning"
            print(f"{tag}: {right}/{marked} readings right ({right / marked:.1%}),"
                  f" {kept}/{total} words in order ({kept / total:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
