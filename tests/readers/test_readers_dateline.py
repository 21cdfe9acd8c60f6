"""A dateline gives the article's date once: when the first paragraph opens with one, the
script does not say the date again after the title (issue 21b)."""

from __future__ import annotations

import datetime as dt

import pytest

from narrate.model import Article, Section
from narrate.readers import parse_article
from narrate.readers.assemble import dateline_says
from narrate.script import build_script

DATE = dt.date(2025, 11, 3)

DATELINES = [
    ("मुंबई, 3 नवंबर 2025। वानखेड़े में …", True),
    ("नई दिल्ली, 3 नवम्बर 2025: संसद में …", True),
    ("पटना, 03/11/2025 — बिहार में …", True),
    ("लखनऊ, 3.11.2025: प्रदेश में …", True),
    ("चेन्नई, 2025-11-03। बारिश …", True),
    ("मुंबई, 3 नवंबर (भाषा)। शेयर बाज़ार …", True),
    ("कोलकाता, 3 नवंबर, 2025। ईडन …", True),
    ("जयपुर, 3 नवंबर। राज्य सरकार …", True),
    ("मुंबई, 3 नवंबर 2025", True),  # a line of its own under the title
    # not this date, or not a dateline: the date is said after the title
    ("मुंबई, 4 नवंबर 2025। अगले दिन …", False),
    ("मुंबई, 3 नवंबर 2024। एक साल पहले …", False),
    ("मुंबई, 3 दिसंबर। बाद में …", False),
    ("3 नवंबर 2025 को मुंबई में मैच हुआ।", False),
    ("मुंबई में 3 नवंबर 2025 को मैच हुआ।", False),
    ("राज्य सरकार ने कहा, 3 नवंबर 2025 से नियम लागू होंगे।", False),
]


@pytest.mark.parametrize(("paragraph", "says"), DATELINES)
def test_a_dateline_gives_the_date(paragraph: str, says: bool) -> None:
    assert dateline_says(paragraph, DATE) is says


def _opening(first_paragraph: str) -> str:
    article = Article(
        title="भारत ने दूसरा वनडे जीता",
        sections=(Section(title="", paragraphs=(first_paragraph, "दूसरा पैराग्राफ़ यहां है।")),),
        date=DATE,
    )
    return " ".join(c.text for c in build_script(article, max_chars=150).chunks)


def test_the_date_is_said_once_when_a_dateline_gives_it() -> None:
    spoken = _opening("मुंबई, 3 नवंबर 2025। वानखेड़े में भारत ने मैच जीता।")
    assert spoken.count("तीन नवंबर दो हज़ार पच्चीस") == 1
    assert spoken.startswith("भारत ने दूसरा वनडे जीता। मुंबई, तीन नवंबर")


def test_the_date_follows_the_title_when_the_article_gives_no_dateline() -> None:
    spoken = _opening("वानखेड़े में भारत ने 3 नवंबर को मैच जीता।")
    assert spoken.startswith("भारत ने दूसरा वनडे जीता। तीन नवंबर दो हज़ार पच्चीस।")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.md", "# शेयर बाज़ार चढ़ा\n\n*मुंबई, 3 नवंबर 2025*\n\nसेंसेक्स आज ऊपर बंद हुआ।\n"),
        ("a.txt", "शेयर बाज़ार चढ़ा\n\nमुंबई, 3 नवंबर 2025\n\nसेंसेक्स आज ऊपर बंद हुआ।\n"),
        ("a.html", "<h1>शेयर बाज़ार चढ़ा</h1><p>मुंबई, 3 नवंबर 2025: सेंसेक्स आज ऊपर बंद "
                   "हुआ।</p><p>दूसरा पैराग्राफ़ यहां है और कुछ और बातें भी हैं।</p>"),
    ],
)
def test_an_article_without_a_date_takes_its_datelines(name: str, text: str) -> None:
    """Whatever the format, a dateline is the article's date when nothing else gives one
    (the feed's pubDate, the tags), and it is still said once, where the article has it."""
    article = parse_article(text.encode(), source=name)
    assert article.date == DATE
    spoken = " ".join(c.text for c in build_script(article, max_chars=150).chunks)
    assert spoken.count("तीन नवंबर दो हज़ार पच्चीस") == 1
