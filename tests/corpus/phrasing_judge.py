"""A listener's judge of where narration chunks are cut, independent of the chunker.

The phrasing corpus (``tests/corpus/phrasing/*.txt``) is long-sentence news prose (wire copy,
court, sports, weather, economy, politics, health: sentences of 150 to 420 characters) with
every place where a Hindi newsreader may pause marked by hand with ``¦`` after the word. A
cut anywhere else is a bad cut. Every article of ``tests/corpus/articles`` is judged too,
without marks, by rules a listener hears at once (each with its own small word list here,
written apart from the chunker's tables so that the two can disagree):

* ``abbreviation``: a chunk ends after an initial or an abbreviation (``वी.``, ``डॉ.``,
  ``प्रा.``), as if it ended a sentence;
* ``crumb``: a chunk of fewer than four words that is not a whole sentence;
* ``postposition``: the next chunk starts with a postposition, particle or auxiliary (the
  word is torn from the one it belongs to: ``विवाद को`` | ``लेकर``);
* ``number``: a cut right after a number (``115.6 से`` | ``204.4 मिमी``, ``48.3`` | ``ओवर``);
* ``joined``: the next chunk starts with और/या/तथा/एवं that joins two words or phrases (the
  word before it is no verb and has no punctuation);
* ``unmarked``: (phrasing corpus only) a cut where the hand marks no pause.

Run it to print the counts for the Google chunking (100 characters) and the Kokoro one::

    .venv/bin/python -m tests.corpus.phrasing_judge
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from narrate.errors import ArticleError
from narrate.model import Script

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
PHRASING = HERE / "phrasing"
MARK = "¦"

#: A word that ends a sentence: a danda, ? or !, with closing quotes after it.
_SENTENCE_END = re.compile(r"[।॥?!][\"'”’)\]»]*$")
_DOT_END = re.compile(r"\.[\"'”’)\]»]*$")
_CLAUSE_PUNCT = re.compile(r"(?:[,;:—–]|\.\.\.|…)[\"'”’)\]»]*$")

#: What the judge knows of initials and abbreviations: a dotted word of a few letters.
_JUDGE_ABBREVIATIONS = {
    "डॉ", "डा", "प्रो", "श्री", "श्रीमती", "कु", "स्व", "प्रा", "लि", "रु", "सं", "पृ", "नं",
    "क्र", "Dr", "Mr", "Mrs", "Prof", "St",
}
_LETTER_NAMES = {
    "ए", "बी", "सी", "डी", "ई", "एफ", "जी", "एच", "आई", "जे", "के", "एल", "एम", "एन", "ओ", "पी",
    "क्यू", "आर", "एस", "टी", "यू", "वी", "डब्ल्यू", "एक्स", "वाई", "जेड", "ज़ेड",
}
#: Words that never start a chunk: they lean on the word before them.
_LEANING = {
    "ने", "को", "से", "में", "पर", "तक", "का", "की", "के", "वाला", "वाली", "वाले", "भी", "ही",
    "है", "हैं", "था", "थी", "थे", "गया", "गई", "गए", "रहा", "रही", "रहे", "सकता", "सकती",
    "सकते", "सकें", "सके", "हुए", "हुई", "हुआ", "दिया", "दी", "दिए", "किया", "किए", "लिया",
    "लिए", "लेकर", "बाद", "दौरान", "मुताबिक", "अनुसार", "तहत", "साथ", "ओर", "जाएगा", "जाएगी",
    "जाए", "होगा", "होगी", "होंगी", "होंगे", "पड़ा", "पड़ी", "पड़े", "चुका", "चुकी", "चुके",
}
_NUMBER_WORDS = {
    "एक", "दो", "तीन", "चार", "पांच", "पाँच", "छह", "सात", "आठ", "नौ", "दस", "बारह", "बीस",
    "सौ", "हजार", "हज़ार", "लाख", "करोड़",
}
_JOINERS = {"और", "या", "तथा", "एवं", "व"}
#: Verb forms after which और/या joins two clauses, not two nouns.
_CLAUSE_FINAL = {
    "है", "हैं", "था", "थी", "थे", "गया", "गई", "गए", "रहा", "रही", "रहे", "दिया", "दी", "दिए",
    "किया", "किए", "लिया", "हुए", "हुई", "होगा", "होगी", "होंगे", "करेगी", "करेगा", "करेंगे",
    "हुईं", "कहा", "दें", "करें", "खाएं", "जाए", "दीं", "जाएगा", "जाएगी", "जाएंगे", "सकता",
    "सकती", "सकते", "हुआ",
}

KINDS = ("abbreviation", "crumb", "postposition", "number", "joined", "unmarked")


def _bare(word: str) -> str:
    return word.strip("\"'“”‘’()[]«»,;:।॥?!—–-")


def is_abbreviation(word: str) -> bool:
    """``वी.``, ``के.एल.``, ``डॉ.``, ``प्रा.``: a dot that ends no sentence."""
    if not _DOT_END.search(word) or word.endswith(".."):
        return False
    stem = _bare(word).rstrip(".")
    if not stem:
        return False
    parts = stem.split(".")
    return len(parts) > 1 or stem in _JUDGE_ABBREVIATIONS or stem in _LETTER_NAMES or (
        len(stem) == 1 and stem.isascii() and stem.isalpha()
    )


def ends_sentence(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) or (
        bool(_DOT_END.search(word)) and not is_abbreviation(word) and not word.endswith("...")
    )


def is_number(word: str) -> bool:
    bare = _bare(word)
    return bool(re.fullmatch(r"[0-9०-९][0-9०-९.,/-]*", bare)) or bare in _NUMBER_WORDS


@dataclass(frozen=True)
class Cut:
    """A boundary between two chunks inside a sentence, and what is wrong with it."""

    before: str  # the chunk before the cut, as written
    after: str  # the chunk after it
    faults: tuple[str, ...]


#: A conjunctive participle ("चढ़कर", "जीतकर"): the phrase it ends a clause of its own.
_PARTICIPLE = re.compile(r"^[\u0900-\u097f]{2,}कर$")


def _heads_a_clause(words: list[str]) -> bool:
    """Whether the chunk's words since its last punctuation hold a conjunctive participle
    before its last word:
    then और after it joins two clauses that share a verb ("सेंसेक्स 300 अंक चढ़कर 78,000 पर
    | और निफ्टी 98 अंक बढ़कर 23,600 पर बंद हुआ"), where a newsreader pauses."""
    tail: list[str] = []
    for word in reversed(words):
        if _CLAUSE_PUNCT.search(word) and tail:
            break
        tail.append(_bare(word))
    return any(_PARTICIPLE.match(word) for word in tail[1:])  # "शंकर | और" is a name


def cuts_of(displays: list[str], marks: set[int] | None = None) -> Iterator[Cut]:
    """Every boundary between consecutive chunks of one paragraph that is not a sentence
    end, with its faults; and every crumb (a cut or not). ``marks``: the indices of the
    paragraph's words after which the hand allows a pause."""
    words_before = 0
    for k, display in enumerate(displays):
        words = display.split()
        starts_sentence = k == 0 or ends_sentence(displays[k - 1].split()[-1])
        whole = starts_sentence and ends_sentence(words[-1])
        last_chunk = k == len(displays) - 1
        words_before += len(words)
        faults: list[str] = []
        if len(words) < 4 and not (whole or (starts_sentence and last_chunk)):
            faults.append("crumb")
        if not last_chunk and not ends_sentence(words[-1]):
            nxt = displays[k + 1].split()[0]
            if is_abbreviation(words[-1]):
                faults.append("abbreviation")
            if _bare(nxt) in _LEANING and not _CLAUSE_PUNCT.search(words[-1]):
                faults.append("postposition")  # after a comma "पर" is "but", not "on"
            if is_number(words[-1]) and not _CLAUSE_PUNCT.search(words[-1]):
                faults.append("number")
            if (_bare(nxt) in _JOINERS and not _CLAUSE_PUNCT.search(words[-1])
                    and _bare(words[-1]) not in _CLAUSE_FINAL
                    and not _heads_a_clause(words)):
                faults.append("joined")
            if marks is not None and words_before - 1 not in marks:
                faults.append("unmarked")
        if faults or (not last_chunk and not ends_sentence(words[-1])):
            after = displays[k + 1] if not last_chunk else ""
            yield Cut(display, after, tuple(faults))


def marked_article(path: Path) -> tuple[str, list[set[int]]]:
    """The article's text without marks, and per body paragraph the indices of its words
    after which a pause is allowed."""
    text = path.read_text("utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    marks = []
    for paragraph in paragraphs[1:]:  # the first is the title line
        words = paragraph.split()
        marks.append({i for i, w in enumerate(words) if w.endswith(MARK)})
    return text.replace(MARK, ""), marks


def paragraphs_of(script: Script) -> list[list[str]]:
    """The body chunks' display texts, grouped by paragraph."""
    groups: list[list[str]] = [[]]
    for chunk in script.chunks:
        if chunk.kind != "body":
            continue
        groups[-1].append(chunk.display)
        if chunk.ends == "paragraph":
            groups.append([])
    return [g for g in groups if g]


def corpus_scripts(engine: str) -> Iterator[tuple[str, Script, list[set[int]] | None]]:
    """Each article of both corpora as ``narrate script --engine ENGINE`` makes it (a page
    with no article is left out), with its marks when it has them."""
    from narrate.pipeline import BuildSettings, load_script

    settings = BuildSettings()
    with tempfile.TemporaryDirectory() as tmp:
        sources: list[tuple[Path, list[set[int]] | None]] = []
        for path in sorted(PHRASING.glob("*.txt")):
            text, marks = marked_article(path)
            plain = Path(tmp) / path.name
            plain.write_text(text, "utf-8")
            sources.append((plain, marks))
        sources += [(p, None) for p in sorted(ARTICLES.iterdir()) if p.is_file()]
        for path, marks in sources:
            try:
                script = load_script(str(path), engine, settings)
            except ArticleError:
                continue
            yield path.name, script, marks


def judge(engine: str) -> dict[str, object]:
    """Chunks, cuts and faults over both corpora for ``engine``'s chunking."""
    counts: Counter[str] = Counter()
    bad: list[Cut] = []
    chunks = cuts = 0
    for name, script, marks in corpus_scripts(engine):
        chunks += len(script.chunks)
        paragraphs = paragraphs_of(script)
        if marks is not None and len(marks) != len(paragraphs):
            raise AssertionError(f"{name}: {len(paragraphs)} paragraphs, {len(marks)} marked")
        for n, displays in enumerate(paragraphs):
            for cut in cuts_of(displays, marks[n] if marks is not None else None):
                cuts += cut.after != ""
                counts.update(cut.faults)
                if cut.faults:
                    bad.append(cut)
    return {"chunks": chunks, "cuts": cuts, "bad": len(bad), "faults": dict(counts),
            "examples": bad}


def main() -> None:
    for engine in sys.argv[1:] or ["gtts", "kokoro"]:
        result = judge(engine)
        faults = result["faults"]
        assert isinstance(faults, dict)
        print(f"{engine}: {result['chunks']} chunks, {result['cuts']} cuts inside sentences, "
              f"{result['bad']} bad: " + ", ".join(f"{k} {faults.get(k, 0)}" for k in KINDS))
        examples = result["examples"]
        assert isinstance(examples, list)
        for cut in examples:
            print(f"   {'/'.join(cut.faults):<22} …{cut.before[-40:]} | {cut.after[:30]}…")


if __name__ == "__main__":
    main()
