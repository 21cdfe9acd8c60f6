"""What is never the article on a news page, and removing it before the text is read.

Rules are constants: tags, ARIA roles, words in class and id names, the labels that open
"read also" boxes, and paragraphs that are only chrome. :func:`clean_page` applies them to
a copy of the page; :func:`is_chrome_text` catches what survives extraction.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import lxml.html

from narrate.readers.assemble import clean

# --- what is never the article ----------------------------------------------------------

#: Elements removed with everything in them.
DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "aside", "footer", "form",
        "button", "iframe", "svg", "figure", "figcaption", "picture", "img", "video",
        "audio", "canvas", "select", "input", "textarea", "label", "table", "object",
        "embed", "dialog", "menu", "link", "meta",
    }
)  # fmt: skip
#: ARIA roles of page chrome.
DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alert"})
#: Words in a class or id that mark chrome (matched as whole words of the attribute, so
#: "ad" matches ``ad-slot`` but not ``header`` or ``read``).
JUNK_WORDS = re.compile(
    r"(?<![a-z0-9])(?:ads?|advert\w*|adslot|gpt|dfp|banner|cookies?|consent|gdpr|share\w*"
    r"|sharing|social|related|read-?also|also-?read|read-?more|recommend\w*|promo\w*"
    r"|newsletter|subscri\w*|breadcrumbs?|tags?|byline|author-?\w*|dateline|timestamp"
    r"|published|updated|post-?meta|article-?meta|entry-?meta|caption\w*|comments?"
    r"|sidebar|popup|modal|outbrain|taboola|sponsor\w*|trending|most-?read|widget"
    r"|toolbar|skip-?link|sr-only|visually-?hidden|print-?only|footer|navbar|nav|menu"
    r"|masthead|site-?header|twitter-tweet|tweet|instagram-media|embed\w*)(?![a-z0-9])",
    re.IGNORECASE,
)
#: How a "read also" box or line starts. Compared after NFC and case folding.
READ_ALSO = tuple(
    unicodedata.normalize("NFC", marker).casefold()
    for marker in (
        "यह भी पढ़ें", "ये भी पढ़ें", "इसे भी पढ़ें", "इन्हें भी पढ़ें", "यह भी पढ़िए",
        "ये भी पढ़िए", "यह भी देखें", "ये भी देखें", "और पढ़ें", "ज़रूर पढ़ें", "जरूर पढ़ें",
        "संबंधित खबरें", "संबंधित ख़बरें", "संबंधित लेख", "also read", "read also",
        "read more", "related news", "related stories",
    )
)  # fmt: skip
#: Leading characters ignored before a "read also" marker ("– यह भी पढ़ें", "» Also read").
MARKER_LEAD = " \t-–—•*:|>»›#"
#: Whole paragraphs that are page chrome.
JUNK_PARAGRAPHS = frozenset(
    unicodedata.normalize("NFC", text).casefold()
    for text in (
        "विज्ञापन", "advertisement", "sponsored", "स्क्रॉल करें", "scroll to continue",
        "scroll to continue with content", "शेयर करें", "share", "फॉलो करें",
    )
)  # fmt: skip
#: A removed box must not hold more than this share of the page's text: a wrapper
#: ``<div class="content with-share-bar">`` around the whole story is not chrome.
MAX_DROP_SHARE = 0.5
#: Elements never removed, and elements whose presence inside protects their ancestors.
PROTECTED_TAGS = frozenset({"html", "body", "article", "main", "h1"})
PROTECTED_INSIDE = ".//h1 or .//article or .//main or .//*[@itemprop='articleBody']"
#: A "read also" box is removed whole only if it has at most this many words of its own
#: (not inside links).
READ_ALSO_MAX_OWN_WORDS = 25

#: Elements that start and end a paragraph in HTML.
HTML_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
        "blockquote", "header", "pre", "address", "center", "details", "summary", "hr",
        "tr", "td", "th", "body", "html", "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip


#: Elements whose text a browser never shows: code and hidden markup, never spoken, even
#: inside an element that is (a ``<script>`` in the title's ``<h1>``).
UNSHOWN_TAGS = frozenset({"script", "style", "noscript", "template"})


def text_of(element: Any) -> str:
    """The cleaned text of an element (or of a string XPath result): what a browser shows
    of it, without the text of :data:`UNSHOWN_TAGS` inside it."""
    if isinstance(element, str):
        return clean(element)
    return clean("".join(_shown_text(element)))


def _shown_text(element: Any) -> Iterable[str]:
    if not isinstance(element.tag, str) or element.tag in UNSHOWN_TAGS:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _shown_text(child)
        if child.tail:
            yield child.tail


def letters(text: str) -> int:
    """How much text there is, in letters (spaces and markup do not count)."""
    return sum(1 for ch in text if ch.isalpha())


def _is_read_also(text: str) -> bool:
    """True if text opens a "read also" box or line: a marker as whole words
    ("और पढ़ें:" is one, "और पढ़ेंगे" is not)."""
    start = unicodedata.normalize("NFC", text).strip().lstrip(MARKER_LEAD).casefold()
    for marker in READ_ALSO:
        if start.startswith(marker):
            rest = start[len(marker) : len(marker) + 1]
            return not rest or unicodedata.category(rest)[0] not in "LMN"
    return False


def _is_chrome_element(element: lxml.html.HtmlElement) -> bool:
    """Chrome by what the page says it is: tag, ARIA role, hidden state."""
    if not isinstance(element.tag, str):
        return False
    tag = element.tag.lower()
    if tag in DROP_TAGS:
        return True
    if tag == "header" and not element.xpath("ancestor::article or ancestor::main"):
        return True
    if element.get("role", "").lower() in DROP_ROLES or element.get("hidden") is not None:
        return True
    if element.get("aria-hidden", "").lower() == "true":
        return True
    return "display:none" in element.get("style", "").replace(" ", "").lower()


def _is_junk_named(element: lxml.html.HtmlElement) -> bool:
    """Chrome by the words of its class or id: ``ad-slot``, ``share-bar``, ``read-also``."""
    if not isinstance(element.tag, str):
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return JUNK_WORDS.search(names) is not None


def _protected(element: lxml.html.HtmlElement, page_letters: int) -> bool:
    """Never removed: the page, the article's container or title, or most of the text."""
    if not isinstance(element.tag, str):
        return False
    if element.tag.lower() in PROTECTED_TAGS or element.get("itemprop") == "articleBody":
        return True
    if element.xpath(PROTECTED_INSIDE):
        return True
    return letters(text_of(element)) > MAX_DROP_SHARE * page_letters


def _link_letters(element: lxml.html.HtmlElement) -> int:
    """Letters inside links: related-story boxes are mostly links."""
    return sum(letters(text_of(a)) for a in element.iter("a"))


def _block_ancestor(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element itself if it is a block, else its nearest block ancestor."""
    node = element
    while isinstance(node.tag, str) and node.tag.lower() not in HTML_BLOCKS:
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def _read_also_boxes(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Boxes that start with "यह भी पढ़ें", with the list of links after a bare label.

    The box is the nearest block around the marker. If the box holds more than the marker
    and links (too many words of its own) it is left alone: it may be a paragraph of the
    story that happens to start with these words.
    """
    boxes = []
    for element in root.iter():
        if not isinstance(element.tag, str) or not _is_read_also(element.text or ""):
            continue
        box = _block_ancestor(element)
        own = text_of(box)
        own_words = len(own.split()) - len(text_of(element).split())
        link_words = sum(len(text_of(a).split()) for a in box.iter("a"))
        if own_words - link_words > READ_ALSO_MAX_OWN_WORDS:
            continue
        boxes.append(box)
        nxt = box.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and nxt.tag.lower() in {"ul", "ol"}:
            boxes.append(nxt)
    return boxes


def _link_only(element: lxml.html.HtmlElement) -> bool:
    """A list item or paragraph that is nothing but a link: a headline of another story."""
    total = letters(text_of(element))
    return total > 0 and _link_letters(element) >= total


def _drop(page: lxml.html.HtmlElement, doomed: Iterable[lxml.html.HtmlElement]) -> None:
    """Remove elements unless :func:`_protected`; the tail text stays with the parent."""
    page_letters = letters(text_of(page))
    for element in list(doomed):
        if element.getparent() is not None and not _protected(element, page_letters):
            element.drop_tree()


def clean_page(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page without anything that is never the article.

    Two passes: first what the markup says is chrome (tags, roles, hidden), then what
    class names and box labels suggest, measured against the text that is left, so that
    a long menu cannot make the story look small enough to remove.
    """
    page = copy.deepcopy(root)
    _drop(page, [e for e in page.iter() if _is_chrome_element(e)])
    doomed = [e for e in page.iter() if _is_junk_named(e)]
    doomed += _read_also_boxes(page)
    doomed += [e for e in page.iter("li", "p") if _link_only(e)]
    _drop(page, doomed)
    return page


def is_chrome_text(text: str) -> bool:
    """A paragraph or heading that is still page chrome after extraction."""
    folded = text.strip(MARKER_LEAD + ".:।").casefold()
    return _is_read_also(text) or folded in JUNK_PARAGRAPHS


#: What is never an article whatever the page holds: navigation, scripts, forms.
NAVIGATION_TAGS = frozenset(
    {"nav", "script", "style", "noscript", "template", "footer", "form", "button", "select",
     "menu", "head", "title", "meta", "link"}
)
NAVIGATION_ROLES = frozenset({"navigation", "menu", "menubar", "banner", "contentinfo"})


def text_outside_navigation(root: lxml.html.HtmlElement) -> str:
    """The page's text outside navigation, scripts and forms. A page with none is no
    article, however the cleaning rules would protect "most of the page's text" (a page
    whose only text is a menu: ``<nav><a href='/'>होम</a></nav>``)."""
    page = copy.deepcopy(root)
    for element in list(page.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if (
            element.tag.lower() in NAVIGATION_TAGS
            or element.get("role", "").lower() in NAVIGATION_ROLES
        ):
            element.drop_tree()
    return text_of(page)
