"""Plain text, including the shape news sites give when an article is copied from the page.

Paragraphs are separated by blank lines (or, in a text with no blank line at all, each line
that ends a sentence is a paragraph; hard-wrapped lines are joined). Three kinds of titles
are recognised:

* a first short line with no sentence end is the article's title;
* a later short line standing apart (its own block, or followed by a longer line) is a
  section heading;
* a *fused* heading: sites render a kicker label and the heading above each section, and
  copying the page runs them into the first sentence with no punctuation::

      काइली मेक्सिको में करवाया यह उपचार काइली बताती हैं कि …
      └label┘└────────heading─────────┘ └body…

  :func:`split_fused_heading` finds them; see its docstring for the rules.

A leading `` date YYYY-MM-DD`` (fused with the first paragraph or on its own line) is the
article's date and is not read aloud. A text with no heading of any kind is one untitled
section: a listener gains nothing from chapters named after paragraphs' first words.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from narrate.model import Article
from narrate.readers.assemble import (
    Draft,
    build_article,
    dateline_date,
    ends_sentence,
    parse_date,
)

log = logging.getLogger(__name__)

#: `` date 2025-12-08`` (or दिनांक/तारीख) at the very start, fused with what follows.
DATE_PREFIX = re.compile(
    r"\A[ \t\u00a0]*(?:date|दिनांक|तारीख़|तारीख)[ \t\u00a0]*[:：]?[ \t\u00a0]*"
    r"(\d{4}-\d{1,2}-\d{1,2})(?![\d-])[ \t\u00a0]*",
    re.IGNORECASE,
)
#: A blank line: only (Unicode) spaces between two line breaks.
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")

#: The first line is the title only if it is at most this long (a headline, not a sentence).
TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 160
#: A heading line is at most this long.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100
#: A title or heading sharing a block with text must be this much shorter than the next
#: line; the first line of a hard-wrapped paragraph is about as long as the next one.
SHORT_LINE_RATIO = 0.7
#: Characters a title or heading line never contains: a danda means it is a sentence.
LINE_SENTENCE_MARKS = "।॥"
#: Endings that make a line a lead-in or a sentence, not a title.
LINE_BAD_ENDINGS = ".,;:-–—"
#: Openings that mark a note, a list item or a credit rather than a heading.
LINE_BAD_STARTS = "([-–—*•"
#: Quotation marks: a line that is one quotation is no heading, but a headline may open
#: with a quoted phrase ("'डिजिटल अरेस्ट' कर बुजुर्ग से ₹1.2 करोड़ ठगे").
_OPENING_QUOTES = "\"'“‘"
_QUOTED_PHRASE_FIRST = re.compile(r"^([\"'“‘])[^\"'“”‘’]+[\"'”’](?=\s*[:—–-]?\s*[^\s\W])")


def _word_set(words: str) -> frozenset[str]:
    """A constant set of Hindi words, NFC like the text they are compared with."""
    return frozenset(unicodedata.normalize("NFC", words).split())


# --- fused headings -------------------------------------------------------------------

#: Label lengths tried, longest first: "स्टेम सेल" must win over "स्टेम".
LABEL_LENGTHS = (2, 1)
#: The label's repetition must start within the first this many words.
LABEL_REPEAT_WITHIN = 14
#: A question-mark heading must end within the first this many words.
QUESTION_WITHIN = 12
#: A heading has between these many words.
HEADING_MIN_WORDS = 2
#: ...and at least this many on the weakest evidence: two words cut from a phrase
#: ("कितना होगा") are never a heading.
HEADING_MIN_WEAK_WORDS = 3
HEADING_MAX_FUSED_WORDS = 12
#: ...and at most this many when only the label's repetition marks its end (no "?", no
#: double repetition): the weakest evidence, and a long clause there is a sentence
#: ("बस सेवा का उद्घाटन मुख्यमंत्री ने किया और पहली बस को …").
HEADING_MAX_WEAK_WORDS = 7
#: Only a paragraph with at least this many words after the heading has a heading at all.
BODY_MIN_WORDS = 5
#: Characters that never occur before the body starts: a heading is one phrase, so a danda,
#: a comma, a quote or a bracket means the "prefix" is already body text.
PREFIX_BREAKERS = frozenset("।॥,;!\"“”‘’'()[]{}«»—–")
#: Stripped from a word before comparing it with the label ("थेरेपी?" repeats "थेरेपी").
WORD_PUNCT = "?!।॥,;:.\"'“”‘’()[]{}«»-–—"
#: Postpositions, auxiliaries and conjunctions. A heading never starts with one (the word
#: before it was a sentence's subject, not a label: "सरकार ने कहा कि सरकार …"), never ends
#: with a connective, and the body never starts with a postposition.
POSTPOSITIONS = _word_set("ने को से में पर का की के तक है हैं था थी थे हो")
#: Particles that stick to the word before them ("डॉक्टर भी", "वह ही").
PARTICLES = _word_set("भी ही तो")
#: Auxiliaries: the word before one is a verb ("बताती हैं"), which a subject precedes.
AUXILIARIES = _word_set("है हैं था थी थे")
#: The ergative: the words before it are a sentence's subject ("सलीमा टेटे ने").
SUBJECT_MARKERS = _word_set("ने")
#: Verb forms that end a clause: a heading never starts with one (the word before it,
#: taken for a label, was the heading's own first word: "किराया कितना | होगा …").
VERB_FORMS = _word_set("होगा होगी होंगे हुआ हुई हुए गया गई गए रहा रही रहे")
#: Words that close an adverbial phrase opening a sentence ("… बारिश के बाद", "पुलिस के
#: मुताबिक", "दिल्ली में आज"): a heading without a label never ends with one.
ADVERBIAL_ENDS = _word_set(
    "बाद पहले दौरान बावजूद मुताबिक अनुसार लिए साथ तहत ओर तरफ तरफ़ आज कल अब फिर यहां वहां"
)
#: Question words: a heading that asks ("किन जिलों के लिए जारी हुआ ऑरेंज अलर्ट") may be
#: longer on weak evidence, since a sentence of the body rarely opens with one.
QUESTION_WORDS = _word_set("क्या कैसे क्यों कौन कब कहां कहाँ किन किस किसे किसको कितना कितनी कितने")
HEADING_MAX_WEAK_QUESTION_WORDS = 10
CONNECTIVES = _word_set("और कि या व एवं तथा लेकिन परंतु किंतु मगर भी तो ही जो")
#: Words that are never a kicker label: pronouns and determiners repeat in ordinary prose.
NOT_LABELS = _word_set(
    "यह वह ये वे इस उस इन उन इसे उसे इन्हें उन्हें इसका उसका इसकी उसकी इसके उसके"
    " उन्होंने इन्होंने हम मैं आप तुम कोई कुछ सभी सब एक जब तब अब यहां वहां यहाँ वहाँ"
    " फिर साथ लिए बाद पहले क्या कैसे क्यों कौन कब कहां कहाँ"
)


@dataclass(frozen=True)
class FusedHeading:
    """A paragraph split into the site's label, the section heading and the body."""

    label: str
    heading: str
    body: str


@dataclass(frozen=True)
class _Item:
    """A heading line or a paragraph, in reading order. ``candidate``: may hide a fused heading."""

    text: str
    is_heading: bool = False
    candidate: bool = False


def parse(text: str, source: str) -> Article:
    """Read a plain-text article (see the module docstring for the shapes it knows)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    date_text, text = take_date(text)
    blocks = split_blocks(text)
    title, blocks = take_title(blocks)
    if date_text is None and blocks:
        date_text, first = take_date(blocks[0][0])
        blocks[0] = [first, *blocks[0][1:]] if first else blocks[0][1:]
        blocks = [b for b in blocks if b]
    date = parse_date(date_text)
    return build_article(
        source=source,
        title=title,
        drafts=sections_from(items_from(blocks)),
        date=date,
    )


def take_date(text: str) -> tuple[str | None, str]:
    """Split a leading `` date YYYY-MM-DD`` from the text: it is metadata, never read aloud."""
    match = DATE_PREFIX.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end() :]


def split_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty, stripped lines."""
    blocks = []
    for chunk in BLANK_LINE.split(text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def _stands_apart(line: str, next_line: str) -> bool:
    """A title or heading sharing a block with text is clearly shorter than the next line."""
    return len(line) <= SHORT_LINE_RATIO * len(next_line)


def _line_is_title_like(line: str, max_words: int, max_chars: int) -> bool:
    """Short, no danda, no lead-in ending, not a note or a quote: the look of a headline."""
    return (
        len(line.split()) <= max_words
        and len(line) <= max_chars
        and not any(mark in line for mark in LINE_SENTENCE_MARKS)
        and not line.endswith(tuple(LINE_BAD_ENDINGS))
        and not line.startswith(tuple(LINE_BAD_STARTS))
        and not (line.startswith(tuple(_OPENING_QUOTES)) and not _opens_with_quoted_phrase(line))
        and any(ch.isalpha() for ch in line)
    )


def _opens_with_quoted_phrase(line: str) -> bool:
    """Whether ``line`` opens with a quoted phrase that closes before more words (a headline),
    rather than being a quotation from end to end."""
    return bool(_QUOTED_PHRASE_FIRST.match(line))


def is_title_line(line: str) -> bool:
    """The article's title: a short first line with no sentence end."""
    return _line_is_title_like(line, TITLE_MAX_WORDS, TITLE_MAX_CHARS)


def is_heading_line(line: str) -> bool:
    """A section heading on a line of its own: shorter than a title, and not a dateline
    ("मुंबई, 4 दिसंबर 2026" says where and when, it names no section)."""
    return (_line_is_title_like(line, HEADING_MAX_WORDS, HEADING_MAX_CHARS)
            and dateline_date(line) is None)


def take_title(blocks: list[list[str]]) -> tuple[str | None, list[list[str]]]:
    """The first line is the title if it is short, has no sentence end and stands apart.

    "Stands apart": it is its own block with more text after it, or it is clearly shorter
    than the line under it. A one-line text is never only a title.
    """
    if not blocks:
        return None, blocks
    first = blocks[0]
    line = first[0]
    if not is_title_line(line):
        return None, blocks
    if len(first) == 1 and len(blocks) > 1:
        return line, blocks[1:]
    if len(first) > 1 and _stands_apart(line, first[1]):
        return line, [first[1:], *blocks[1:]]
    return None, blocks


def lines_to_paragraphs(lines: list[str]) -> list[str]:
    """Lines of one block: each a paragraph if every line but the last ends a sentence,
    else one hard-wrapped paragraph whose lines are joined."""
    if all(ends_sentence(line) for line in lines[:-1]):
        return list(lines)
    return [" ".join(lines)]


def _block_items(lines: list[str], *, last_block: bool) -> list[_Item]:
    """Headings and paragraphs of one block, in order.

    A line is a heading when it looks like one, the text before it (if any) ended a
    sentence, and it stands apart: it is alone in a block that is not the last, or it is
    clearly shorter than the line after it.
    """
    if len(lines) == 1:
        if is_heading_line(lines[0]) and not last_block:
            return [_Item(lines[0], is_heading=True)]
        return [_Item(lines[0])]
    items: list[_Item] = []
    pending: list[str] = []
    for i, line in enumerate(lines):
        after_sentence = not pending or ends_sentence(pending[-1])
        has_next = i + 1 < len(lines)
        if (
            has_next
            and after_sentence
            and is_heading_line(line)
            and _stands_apart(line, lines[i + 1])
        ):
            items.extend(_Item(p) for p in lines_to_paragraphs(pending) if pending)
            items.append(_Item(line, is_heading=True))
            pending = []
        else:
            pending.append(line)
    if pending:
        items.extend(_Item(p) for p in lines_to_paragraphs(pending))
    return items


def items_from(blocks: list[list[str]]) -> list[_Item]:
    """All headings and paragraphs, marking paragraphs that may start with a fused heading.

    A candidate is a paragraph that is not the first one (the introduction) and does not
    follow a heading line (it already has its heading).
    """
    items: list[_Item] = []
    for n, block in enumerate(blocks):
        items.extend(_block_items(block, last_block=n == len(blocks) - 1))
    marked: list[_Item] = []
    seen_paragraph = False
    for i, item in enumerate(items):
        after_heading = i > 0 and items[i - 1].is_heading
        candidate = not item.is_heading and seen_paragraph and not after_heading
        marked.append(_Item(item.text, item.is_heading, candidate))
        seen_paragraph = seen_paragraph or not item.is_heading
    return marked


def sections_from(items: list[_Item]) -> list[Draft]:
    """Group items into sections; decide once, for the whole text, if it has fused headings.

    The fused shape is trusted only when at least half of the candidate paragraphs show a
    fused heading: one stray match in ordinary prose must not invent a chapter. In that
    shape every paragraph is a section (the site gave each its heading), and a paragraph
    whose heading cannot be found gets a made-up title that is not announced.
    """
    found = {i: split_fused_heading(item.text) for i, item in enumerate(items) if item.candidate}
    hits = sum(1 for f in found.values() if f)
    fused_shape = hits > 0 and 2 * hits >= len(found)
    log.debug("fused headings in %d of %d candidate paragraphs", hits, len(found))
    drafts = [Draft(None)]
    for i, item in enumerate(items):
        fused = found.get(i) if fused_shape else None
        if item.is_heading:
            drafts.append(Draft(item.text))
        elif fused is not None:
            log.debug("fused heading %r (label %r dropped)", fused.heading, fused.label)
            drafts.append(Draft(fused.heading, [fused.body]))
        elif fused_shape and item.candidate:
            drafts.append(Draft(None, [item.text]))
        else:
            drafts[-1].paragraphs.append(item.text)
    return drafts


# --- fused headings -------------------------------------------------------------------


def _bare(word: str) -> str:
    """A word without surrounding punctuation, for comparing with the label."""
    return word.strip(WORD_PUNCT).casefold()


def _repeats_at(words: list[str], label: list[str], at: int) -> bool:
    """True if the label's words occur again starting at ``at``."""
    found = words[at : at + len(label)]
    return len(found) == len(label) and [_bare(w) for w in found] == [_bare(w) for w in label]


def _label_candidates(words: list[str]) -> list[tuple[int, int, bool]]:
    """Splits found by a repeated label: (label length, index where the body starts, weak).

    The label (the paragraph's first one or two words) repeats soon after, and where it
    repeats tells where the heading ends:

    * the repetition carries a "?": it is the heading's last word ("… के फायदे? काइली ने");
    * the label repeats twice in a row: the first ends the heading, the second starts the
      body ("… हैं स्टेम सेल स्टेम सेल शरीर में");
    * the word after the label is a postposition and the repetition opens the body: there
      is no label, the heading starts with that word ("किसानों की चिंता बढ़ी किसानों का
      कहना है": heading "किसानों की चिंता बढ़ी"), unless the words before it close an
      adverbial phrase, as a sentence's opening does ("मुंबई में बारिश के बाद मुंबई की …");
    * otherwise the repetition either opens the body ("… यह उपचार काइली बताती हैं") or
      ends the heading ("… होगा नया रूट मेट्रो की यह लाइन"). Where what follows needs it
      as a clause's start (:func:`_label_opens_body`) both readings are offered, that one
      first, and :func:`_acceptable` rules out the one that leaves a heading ending in
      "की"; otherwise only the longer heading, so that a repetition bound to the word
      before it ("ऑरेंज अलर्ट") is never moved into the body. This is the weakest
      evidence, so the heading must be short (``weak`` is True), unless it asks a question.

    A "?" before the repetition is left to :func:`_question_candidates`.
    """
    splits = []
    for k in LABEL_LENGTHS:
        label = words[:k]
        last = min(LABEL_REPEAT_WITHIN, len(words) - k)
        at = next((j for j in range(k + 1, last + 1) if _repeats_at(words, label, j)), None)
        if at is None or any(w.endswith("?") for w in words[k:at]):
            continue
        if words[at + k - 1].endswith("?") or _repeats_at(words, label, at + k):
            splits.append((k, at + k, False))
        elif (_bare(words[k]) in POSTPOSITIONS and _bare(words[at - 1]) not in ADVERBIAL_ENDS
              and _label_opens_body(words, at + k)):
            # No label: the first word is bound to the next ("किसानों की चिंता बढ़ी"), so it
            # is the heading's own, and its repetition opens the body ("किसानों का कहना").
            splits.append((0, at, True))
        elif _label_opens_body(words, at + k):  # both readings, the likelier first
            splits += [(k, at, True), (k, at + k, True)]
        else:  # the repetition ends the heading, or there is no split: a word of the
            # heading never moves into the body ("… जारी हुआ ऑरेंज अलर्ट मौसम विभाग ने")
            splits.append((k, at + k, True))
    return splits


def _label_opens_body(words: list[str], after: int) -> bool:
    """Does the label's one repetition open the body, rather than end the heading?

    Only when what follows needs it as the start of a clause: a postposition or particle
    ("काइली ने", "डॉक्टर भी मानते"), a verb with its auxiliary ("काइली बताती हैं"), or
    a second name with the subject's "ने" ("रोहित शर्मा ने").
    Otherwise the repetition ends the heading ("… होगा नया रूट", "… वाहनों की पार्किंग"):
    when in doubt the longer heading is kept, so no word of it is moved into the body.
    """
    following = [_bare(w) for w in words[after : after + 2]]
    if not following:
        return False
    return following[0] in POSTPOSITIONS | PARTICLES or (
        len(following) == 2 and following[1] in AUXILIARIES | SUBJECT_MARKERS
    )


def _question_candidates(words: list[str]) -> list[tuple[int, int, bool]]:
    """A split after the first word ending in "?" within the first words.

    The first one or two words are a label (and dropped) only if they occur again in the
    heading or open the body; otherwise nothing tells a label from the heading's first word,
    and the whole prefix is kept as the heading.
    """
    q = next((i for i, w in enumerate(words[:QUESTION_WITHIN]) if w.endswith("?")), None)
    if q is None:
        return []
    end = q + 1
    labelled = [
        (k, end, False)
        for k in LABEL_LENGTHS
        if any(_repeats_at(words, words[:k], j) for j in range(k + 1, end + 1))
    ]
    return [*labelled, (0, end, False)]


def _acceptable(words: list[str], k: int, end: int, weak: bool) -> bool:
    """Checks that keep ordinary sentences from being read as label + heading."""
    label, heading, body = words[:k], words[k:end], words[end:]
    longest = HEADING_MAX_WEAK_WORDS if weak else HEADING_MAX_FUSED_WORDS
    if weak and any(_bare(w) in QUESTION_WORDS for w in words[k:end]):
        longest = HEADING_MAX_WEAK_QUESTION_WORDS
    shortest = HEADING_MIN_WEAK_WORDS if weak else HEADING_MIN_WORDS
    if not shortest <= len(heading) <= longest:
        return False
    if len(body) < BODY_MIN_WORDS:
        return False
    prefix = " ".join(words[:end])
    if any(ch in PREFIX_BREAKERS for ch in prefix) or "?" in prefix[:-1]:
        return False
    if any(_bare(w) in NOT_LABELS | POSTPOSITIONS | CONNECTIVES or not _bare(w) for w in label):
        return False
    first, last = _bare(heading[0]), _bare(heading[-1])
    if first in POSTPOSITIONS | CONNECTIVES | VERB_FORMS or last in CONNECTIVES | (
        POSTPOSITIONS - {"है", "हैं"}
    ):
        return False
    return _bare(body[0]) not in POSTPOSITIONS


def split_fused_heading(paragraph: str) -> FusedHeading | None:
    """Find a heading run into a paragraph's first sentence, or None.

    The shape: a short label (the site's kicker, one or two words), the heading, then the
    body, with no punctuation between them. A split is found either from the label
    repeating (:func:`_label_candidates`) or from a "?" ending a short first phrase
    (:func:`_question_candidates`), and kept only if :func:`_acceptable`: the heading is
    2-12 words (2-7 on the weakest evidence) with no danda, comma or quote before the body;
    the body has at least five
    words; the label is not a pronoun or particle; the heading does not start with a
    postposition or connective and does not end with one.

    The section is titled with the heading *without* the label ("क्या होते हैं स्टेम सेल",
    not "स्टेम सेल क्या होते हैं स्टेम सेल"): the label is page chrome that mostly repeats a
    word of the heading, and announcing it would say that word twice. It is not lost
    silently: it is logged at debug level. Every body word is kept, in order.
    """
    words = paragraph.split()
    labelled = _label_candidates(words)
    strong = [c for c in labelled if not c[2]]
    weak = [c for c in labelled if c[2]]
    # a short question opening the paragraph is better evidence than one repeated word
    for k, end, weak_evidence in strong + _question_candidates(words) + weak:
        if _acceptable(words, k, end, weak_evidence):
            return FusedHeading(
                label=" ".join(words[:k]),
                heading=" ".join(words[k:end]),
                body=" ".join(words[end:]),
            )
    return None
