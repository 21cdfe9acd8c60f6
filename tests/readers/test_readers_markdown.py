"""Markdown: front matter, headings as title and sections, what is read and what is skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from narrate.errors import ArticleError
from narrate.model import Article, Link, Section
from narrate.readers import parse_article

BODY = "मानसून ने इस बार समय पर दस्तक दी है। किसानों ने बुवाई शुरू कर दी है।"


def read_md(text: str) -> Article:
    return parse_article(text.encode("utf-8"), source="a.md")


def test_front_matter_gives_title_date_author() -> None:
    article = read_md(f"---\ntitle: मानसून की दस्तक\ndate: 2025-06-12\nauthor: रीना\n---\n\n{BODY}\n")
    assert (article.title, article.date, article.author) == (
        "मानसून की दस्तक",
        dt.date(2025, 6, 12),
        "रीना",
    )
    assert article.sections == (Section("मानसून की दस्तक", (BODY,), False),)  # the title names it


def test_front_matter_title_wins_and_the_h1_is_not_a_section() -> None:
    article = read_md(f"---\ntitle: सामने का शीर्षक\n---\n# पेज का शीर्षक\n\n{BODY}\n")
    assert article.title == "सामने का शीर्षक"
    assert "पेज का शीर्षक" not in str(article.sections)


def test_h1_is_the_title_without_front_matter_and_later_h1s_are_sections() -> None:
    article = read_md(f"# पहला शीर्षक\n\n{BODY}\n\n# दूसरा भाग\n\nदूसरे भाग का पाठ।\n")
    assert article.title == "पहला शीर्षक"
    assert [(s.title, s.heading) for s in article.sections] == [
        ("पहला शीर्षक", False),
        ("दूसरा भाग", True),
    ]


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("date: 2025-02-30", None),  # impossible day: dropped, not an error
        ("date: कल", None),
        ("date: '2025-06-12T08:00:00+05:30'", dt.date(2025, 6, 12)),
        ("date: 2025-06-12 08:00:00", dt.date(2025, 6, 12)),
        ("date:", None),
    ],
)
def test_front_matter_dates(date_line: str, expected: dt.date | None) -> None:
    assert read_md(f"---\n{date_line}\n---\n{BODY}\n").date == expected


def test_author_list_is_joined() -> None:
    assert read_md(f"---\nauthor: [रीना, समीर]\n---\n{BODY}\n").author == "रीना, समीर"


def test_invalid_front_matter_is_an_error_with_a_line() -> None:
    with pytest.raises(ArticleError) as e:
        read_md(f"---\ntitle: [खुला\ndate: 2025\n---\n{BODY}\n")
    assert e.value.source == "a.md"
    assert "front matter" in e.value.reason and "line" in e.value.reason


def test_front_matter_title_of_the_wrong_type_is_an_error() -> None:
    with pytest.raises(ArticleError, match="'title' must be text"):
        read_md(f"---\ntitle: {{a: b}}\n---\n{BODY}\n")


def test_a_rule_around_text_is_not_front_matter() -> None:
    article = read_md(f"---\n- एक\n- दो\n---\n\n{BODY}\n")
    assert article.sections[0].paragraphs == ("एक", "दो", BODY)


def test_inline_markup_is_removed_and_link_text_kept() -> None:
    article = read_md(
        "किसानों को **अच्छी** बारिश का _इंतज़ार_ था, [मौसम विभाग](https://mausam.imd.gov.in)"
        " ने ~~देर से~~ समय पर मानसून की घोषणा की `आज`। ![बादल](a.png) <span>यहां</span>\\*\n"
    )
    assert article.sections[0].paragraphs == (
        "किसानों को अच्छी बारिश का इंतज़ार था, मौसम विभाग ने देर से समय पर मानसून की घोषणा की आज। यहां*",
    )


def test_code_images_and_html_blocks_are_skipped_and_tables_read_by_row() -> None:
    article = read_md(
        f"{BODY}\n\n```python\nprint('कोड')\n```\n\n    इंडेंट कोड\n\n![केवल चित्र](x.png)\n\n"
        "| क | ख |\n|---|---|\n| 1 | 2 |\n\n<div>\nएचटीएमएल ब्लॉक\n</div>\n\nअंतिम पंक्ति।\n"
    )
    assert article.sections[0].paragraphs == (BODY, "क 1: ख 2।", "अंतिम पंक्ति।")


def test_list_items_are_paragraphs_and_quotes_are_kept() -> None:
    article = read_md(
        f"{BODY}\n\n- पहला बिंदु\n- दूसरा बिंदु\n  - उप बिंदु\n\n1. क्रम एक\n2. क्रम दो\n\n> उद्धरण का पाठ।\n"
    )
    assert article.sections[0].paragraphs == (
        BODY,
        "पहला बिंदु",
        "दूसरा बिंदु",
        "उप बिंदु",
        "क्रम एक",
        "क्रम दो",
        "उद्धरण का पाठ।",
    )


def test_subsections_are_chapters_and_an_empty_heading_joins_the_next() -> None:
    article = read_md(
        f"# शीर्षक\n\n{BODY}\n\n## खेल\n\n### क्रिकेट\n\nक्रिकेट का पाठ।\n\n### हॉकी\n\nहॉकी का पाठ।\n\n"
        "## अंत में\n"
    )
    assert [(s.title, s.heading, s.paragraphs) for s in article.sections][1:] == [
        ("खेल: क्रिकेट", True, ("क्रिकेट का पाठ।",)),
        ("हॉकी", True, ("हॉकी का पाठ।",)),
    ]


def test_setext_headings() -> None:
    article = read_md(f"शीर्षक\n======\n\n{BODY}\n\nभाग\n---\n\nभाग का पाठ।\n")
    assert article.title == "शीर्षक"
    assert article.sections[1].title == "भाग"


def test_no_title_anywhere_uses_the_first_words() -> None:
    article = read_md(f"## भाग एक\n\n{BODY}\n")
    assert article.title == "मानसून ने इस बार समय पर दस्तक दी है"
    assert article.sections == (Section("भाग एक", (BODY,), True),)


def test_headings_only_is_nothing_to_narrate() -> None:
    with pytest.raises(ArticleError, match="nothing to narrate"):
        read_md("# शीर्षक\n\n## भाग\n")


def test_links_keep_text_spoken_and_only_public_addresses() -> None:
    article = read_md(
        "# शीर्षक\n\n"
        "खबर [सरकार की घोषणा](https://example.gov.in/a) में है और [यहां](javascript:alert(1))"
        " नहीं, [पता](/relative) भी नहीं, पर [लिखें](mailto:desk@example.org)।\n"
    )
    (section,) = article.sections
    assert section.paragraphs == (
        "खबर सरकार की घोषणा में है और यहां नहीं, पता भी नहीं, पर लिखें।",
    )
    assert section.links == (
        Link("सरकार की घोषणा", "https://example.gov.in/a"),
        Link("लिखें", "mailto:desk@example.org"),
    )
