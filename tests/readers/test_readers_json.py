"""JSON articles: the shape, its types, and one clear error for each way it can be wrong."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from narrate.errors import ArticleError
from narrate.model import Article, Section
from narrate.readers import parse_article

TEXT = "सरकार ने नई शिक्षा नीति लागू की है। इसके तहत पांचवीं तक पढ़ाई मातृभाषा में होगी।"


def read_json(value: object) -> Article:
    return parse_article(json.dumps(value, ensure_ascii=False).encode(), source="a.json")


def test_full_article() -> None:
    article = read_json(
        {
            "title": "नई शिक्षा नीति",
            "date": "2025-04-01",
            "author": "डेस्क",
            "sections": [
                {"title": "", "text": TEXT},
                {"title": "क्या बदलेगा", "text": "पहला पैराग्राफ।\n\nदूसरा पैराग्राफ।"},
            ],
        }
    )
    assert (article.title, article.date, article.author) == (
        "नई शिक्षा नीति",
        dt.date(2025, 4, 1),
        "डेस्क",
    )
    assert article.sections == (
        Section("नई शिक्षा नीति", (TEXT,), heading=False),
        Section("क्या बदलेगा", ("पहला पैराग्राफ।", "दूसरा पैराग्राफ।"), heading=True),
    )


def test_missing_title_and_bad_date_are_not_errors() -> None:
    article = read_json({"date": "जल्द", "sections": [{"text": TEXT}]})
    assert article.title == "सरकार ने नई शिक्षा नीति लागू की है"
    assert article.date is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([], "JSON must be an object with a 'sections' list, not a list"),
        ("पाठ", "JSON must be an object with a 'sections' list, not a string"),
        ({"title": "x"}, "JSON has no 'sections' list"),
        ({"sections": {"text": TEXT}}, "JSON has no 'sections' list"),
        ({"sections": []}, "JSON 'sections' list is empty"),
        ({"sections": ["पाठ"]}, "JSON sections[0] must be an object, not a string"),
        ({"sections": [{"title": "x"}]}, "JSON sections[0] has no 'text'"),
        ({"sections": [{"text": 5}]}, "JSON sections[0] 'text' must be a string, not a number"),
        ({"sections": [{"text": TEXT, "title": ["x"]}]}, "'title' must be a string, not a list"),
        ({"title": 7, "sections": [{"text": TEXT}]}, "JSON 'title' must be a string, not a number"),
        ({"author": True, "sections": [{"text": TEXT}]}, "'author' must be a string"),
        ({"sections": [{"text": ""}]}, "nothing to narrate"),
        ({"sections": [{"text": "only English here."}]}, "no Hindi text to narrate"),
    ],
)
def test_wrong_shapes(value: object, reason: str) -> None:
    with pytest.raises(ArticleError) as e:
        read_json(value)
    assert e.value.source == "a.json"
    assert reason in e.value.reason
    assert "\n" not in str(e.value)


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(ArticleError) as e:
        parse_article(b'{\n  "title": "x",\n  "sections": [,]\n}', source="a.json")
    assert e.value.reason.startswith("invalid JSON at line 3, column 16:")


def test_deeply_nested_json_is_an_error() -> None:
    with pytest.raises(ArticleError, match="nested too deeply"):
        parse_article(b'{"sections": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", source="a.json")


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 4301, "1e999999"])
def test_a_number_of_thousands_of_digits_is_just_a_number(number: str) -> None:
    """Python refuses to convert more than 4,300 digits; a number anywhere in the article
    is no reason to fail, and in a text field it is the usual one-line type error."""
    text = json.dumps(TEXT)
    body = f'{{"title": "शिक्षा", "views": {number}, "sections": [{{"text": {text}}}]}}'
    assert parse_article(body.encode(), source="a.json").title == "शिक्षा"
    wrong = f'{{"title": {number}, "sections": [{{"text": {text}}}]}}'
    with pytest.raises(ArticleError, match="'title' must be a string, not a number"):
        parse_article(wrong.encode(), source="a.json")


NEWS_ARTICLE = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "सुप्रीम कोर्ट का फ़ैसला",
    "datePublished": "2026-11-20T10:30:00+05:30",
    "author": [{"@type": "Person", "name": "विधि संवाददाता"}, {"name": "डेस्क"}],
    "articleBody": f"{TEXT}\nदूसरा पैराग्राफ़ यहां है।\n\nतीसरा पैराग्राफ़।",
}


@pytest.mark.parametrize(
    "value",
    [NEWS_ARTICLE, [{"@type": "WebPage"}, NEWS_ARTICLE],
     {"@context": "https://schema.org", "@graph": [{"@type": "Organization"}, NEWS_ARTICLE]}],
    ids=["alone", "in a list", "in an @graph"],
)
def test_a_schema_org_news_article_as_cms_export_it(value: object) -> None:
    article = read_json(value)
    assert (article.title, article.date, article.author) == (
        "सुप्रीम कोर्ट का फ़ैसला", dt.date(2026, 11, 20), "विधि संवाददाता, डेस्क")
    assert article.sections[0].paragraphs == (TEXT, "दूसरा पैराग्राफ़ यहां है।", "तीसरा पैराग्राफ़।")


def test_a_json_of_neither_shape_says_what_it_looked_for() -> None:
    with pytest.raises(ArticleError, match=r"nor a schema\.org 'articleBody'"):
        read_json({"headline": "शीर्षक", "body": TEXT})
