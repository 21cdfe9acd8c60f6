"""The script stage: title, headings and body chunks from an Article."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from narrate.errors import ArticleError
from narrate.model import Article, Chunk, Script, ScriptSection, Section
from narrate.script import build_script, date_display, describe

ARTICLE = Article(
    title="मानसून की अच्छी बारिश",
    date=dt.date(2025, 8, 14),
    sections=(
        Section(
            title="इस साल मानसून ने",
            paragraphs=(
                "इस साल मानसून ने समय पर दस्तक दी। मौसम विभाग के अनुसार 1 जून से 31 जुलाई "
                "के बीच औसत से 8% ज़्यादा पानी बरसा।",
                "खेतों में हरियाली लौट आई है।",
            ),
            heading=False,
        ),
        Section(
            title="मंडियों में क्या बदला?",
            paragraphs=(
                "इंदौर की मंडी में सोयाबीन ₹4,250 प्रति क्विंटल पर बिका, जो पिछले महीने से "
                "करीब ₹150 कम है। डॉ. वर्मा ने कहा कि दाम 5 से 7 प्रतिशत गिर सकते हैं।",
            ),
        ),
    ),
    source="test.md",
)

LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def test_opens_with_title_and_spoken_date() -> None:
    script = build_script(ARTICLE)
    first, date = script.sections[0].chunks[:2]
    assert first.kind == date.kind == "title"
    assert first.display.startswith("मानसून की अच्छी बारिश")
    assert "अगस्त" in date.text  # a chunk (and so a caption cue) of its own
    assert not re.search(r"[0-9]", date.text), "the date is spoken, not read as digits"
    assert date_display(dt.date(2025, 12, 8)) == "8 दिसंबर 2025"


def test_headings_are_announced_only_when_real() -> None:
    script = build_script(ARTICLE)
    assert [c.kind for c in script.sections[0].chunks].count("heading") == 0
    second = script.sections[1].chunks
    assert second[0].kind == "heading"
    assert second[0].display == "मंडियों में क्या बदला?"
    assert [s.title for s in script.sections] == ["इस साल मानसून ने", "मंडियों में क्या बदला?"]


def test_every_chunk_fits_and_no_digit_reaches_the_engine() -> None:
    script = build_script(ARTICLE)
    for chunk in script.chunks:
        assert 0 < len(chunk.text) <= 100
        assert not re.search(r"[0-9]", LATIN_TOKEN.sub("", chunk.text)), chunk.text
        assert "%" not in chunk.text and "₹" not in chunk.text


def test_display_keeps_every_word_of_the_body_in_order() -> None:
    script = build_script(ARTICLE)
    for section, script_section in zip(ARTICLE.sections, script.sections, strict=True):
        body = [c for c in script_section.chunks if c.kind == "body"]
        assert " ".join(c.display for c in body).split() == " ".join(section.paragraphs).split()


def test_paragraph_ends_are_marked() -> None:
    script = build_script(ARTICLE)
    body = [c for c in script.sections[0].chunks if c.kind == "body"]
    assert body[-1].ends == "paragraph"
    assert sum(c.ends == "paragraph" for c in body) == 2


def test_smaller_engine_limit_gives_smaller_chunks() -> None:
    script = build_script(ARTICLE, max_chars=40)
    assert all(len(c.text) <= 40 for c in script.chunks)
    assert len(script.chunks) > len(build_script(ARTICLE).chunks)


def test_nothing_to_narrate() -> None:
    empty = Article(title="खाली", sections=(Section("खाली", ("   ",)),), source="x.txt")
    with pytest.raises(ArticleError, match=r"x\.txt: nothing to narrate"):
        build_script(empty)


def test_sections_without_body_are_dropped_but_the_title_is_kept() -> None:
    article = Article(
        title="शीर्षक",
        sections=(Section("खाली खंड", ("",)), Section("दूसरा", ("कुछ कहना है।",))),
    )
    script = build_script(article)
    assert [s.title for s in script.sections] == ["दूसरा"]
    assert script.sections[0].chunks[0].kind == "title"


def test_json_contract_shape() -> None:
    data = build_script(ARTICLE).to_json()
    assert data["date"] == "2025-08-14"
    assert data["language"] == "hi"
    sections = data["sections"]
    assert isinstance(sections, list)
    assert set(sections[0]) == {"title", "chunks"}
    assert set(sections[0]["chunks"][0]) == {"text", "kind"}


def test_a_title_made_from_the_first_words_is_not_read_twice() -> None:
    article = Article(
        title="काइली जेनर अमेरिका की मशहूर",
        date=dt.date(2025, 12, 8),
        sections=(
            Section(
                "काइली जेनर अमेरिका की मशहूर",
                ("काइली जेनर अमेरिका की मशहूर रियलिटी स्टार हैं।",),
                heading=False,
            ),
        ),
    )
    chunks = build_script(article).sections[0].chunks
    assert chunks[0].kind == "title"
    assert chunks[0].text == "आठ दिसंबर दो हज़ार पच्चीस।"
    assert chunks[1].display.startswith("काइली जेनर")


# --- the episode description ------------------------------------------------------------------


def _body_script(*displays: str) -> Script:
    chunks = tuple(Chunk(text=d, display=d, kind="body") for d in displays)
    return Script(title="t", date=None, sections=(ScriptSection("s", chunks),))


def test_description_is_more_than_a_dateline_and_ends_at_a_sentence() -> None:
    script = _body_script("नई दिल्ली, 14/02/2026:", "भारत ने मैच जीता। " * 20, "अंत।")
    text = describe(script)
    assert text.startswith("नई दिल्ली, 14/02/2026: भारत ने मैच जीता।")
    assert 160 <= len(text) <= 300
    assert text.endswith("जीता।")
    assert "अंत" not in text


def test_description_never_stops_mid_sentence() -> None:
    """The feed once showed "…₹12.49 लाख में उतारी है,": a chunk ended at a clause."""
    first = "कंपनी ने नई इलेक्ट्रिक कार पेश की है जिसकी शुरुआती कीमत बारह लाख रुपये रखी गई है।"
    second = "इसे दो बैटरी विकल्पों के साथ ₹12.49 लाख में उतारी है, और बुकिंग आज से शुरू है।"
    third = "डिलीवरी अगले महीने से होगी और कंपनी ने पाँच साल की वारंटी दी है।"
    script = _body_script(first, second[:45], second[45:], third, third, third)
    text = describe(script)
    assert text.endswith("।")
    assert text.startswith(first)
    assert len(text) <= 300


def test_one_long_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    sentence = " ".join(["शब्द"] * 120) + "।"
    text = describe(_body_script(sentence))
    assert text.endswith("शब्द…")
    assert len(text) <= 300


def test_short_article_description_is_all_of_it() -> None:
    assert describe(_body_script("एक।", "दो।")) == "एक। दो।"
    assert describe(_body_script("बिना विराम का छोटा लेख")) == "बिना विराम का छोटा लेख"
