"""The embed page as text: escaping, structure, self-containment, the snippet."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest

from narrate.errors import PublishError, UsageError
from narrate.model import Chapter, Cue, Episode, Link, Table, TablePart, Timeline
from narrate.publish.embed import (
    SNIPPET_SCRIPT,
    Markup,
    asset,
    clock,
    embed_snippet,
    escape,
    find_embed,
    fragment_seconds,
    linked_text,
    mark_english,
    render,
    render_embed_page,
    write_embed_page,
)
from narrate.publish.files import media_paths
from tests.publish.conftest import HOSTILE_CELL

EVIL = '<script>window.__pwned=1</script> "बहस" & <b>हंगामा</b>'


class Tree(HTMLParser):
    """Start tags with their attributes, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in ("meta", "link", "input", "track", "br"):
            self._open.append(attributes.get("id"))
            if attributes.get("id"):
                self.text[str(attributes["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.text[ident] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    return tree


@pytest.fixture
def evil_timeline(timeline: Timeline) -> Timeline:
    return Timeline(
        duration_ms=timeline.duration_ms,
        chapters=(Chapter(EVIL, 0, 14_700), *timeline.chapters[1:]),
        cues=(Cue(EVIL, 300, 4_123, 0, "title"), *timeline.cues[1:]),
    )


def page_for(timeline: Timeline, title: str = EVIL, **kw: str) -> str:
    return render_embed_page(slug="मानसून-की-बारिश", title=title, timeline=timeline, **kw)


def test_render_escapes_every_value_unless_markup() -> None:
    assert render("<p>{x}</p>", x="<b>&'\"") == "<p>&lt;b&gt;&amp;&#x27;&quot;</p>"
    assert render("<p>{x}</p>", x=Markup("<b>ok</b>")) == "<p><b>ok</b></p>"
    assert escape(3) == "3"
    assert isinstance(render("{x}", x="y"), Markup)


def test_article_text_is_escaped_everywhere(evil_timeline: Timeline) -> None:
    page = page_for(evil_timeline, description=EVIL)
    assert page.count("<script") == 1  # the player's own script, nothing from the article
    assert "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    tree = parse(page)
    # What a browser shows is the text as written.
    assert tree.text["np-title"].strip() == EVIL
    assert tree.text["cue-1"] == EVIL
    assert tree.find("meta", name="description")[0]["content"] == EVIL
    assert tree.find("audio")[0]["aria-label"] == f"ऑडियो: {EVIL}"


def test_vtt_like_text_and_entities_survive(timeline: Timeline) -> None:
    tree = parse(page_for(timeline))
    for number, cue in enumerate(timeline.cues, 1):
        assert tree.text[f"cue-{number}"] == cue.text
    chapter_titles = tree.text["np-chapters"]
    assert 'मंडियों में क्या बदला? <दाम> & "भाव"' in chapter_titles


def test_page_starts_from_a_native_player_without_autoplay(timeline: Timeline) -> None:
    page = page_for(timeline)
    tree = parse(page)
    assert tree.find("html")[0]["lang"] == "hi"
    audio = tree.find("audio", id="np-audio")[0]
    assert "controls" in audio and audio["preload"] == "metadata" and "autoplay" not in audio
    src = "%E0%A4%AE%E0%A4%BE%E0%A4%A8%E0%A4%B8%E0%A5%82%E0%A4%A8-%E0%A4%95%E0%A5%80-"
    assert str(audio["src"]).startswith(src) and str(audio["src"]).endswith(".mp3")
    captions = tree.find("track", kind="captions")[0]
    assert captions["srclang"] == "hi" and str(captions["src"]).endswith(".vtt")
    assert str(tree.find("track", kind="chapters")[0]["src"]).endswith(".chapters.vtt")
    assert "hidden" in tree.find("div", id="np-controls")[0]  # the script reveals it
    assert str(tree.find("a", download="मानसून-की-बारिश.mp3")[0]["href"]).endswith(".mp3")
    assert "autoplay" not in page


def test_chapters_are_media_fragment_links(timeline: Timeline) -> None:
    tree = parse(page_for(timeline))
    links = [a for a in tree.find("a") if a.get("data-start") is not None]
    assert [str(a["href"]).rsplit("#", 1)[1] for a in links] == ["t=0", "t=14.7", "t=3600.001"]
    assert [a["data-start"] for a in links] == ["0", "14700", "3600001"]
    assert "1:00:00" in tree.text["np-chapters"]


def test_transcript_keeps_every_cue_with_its_times(timeline: Timeline) -> None:
    tree = parse(page_for(timeline))
    spans = tree.find("span", **{"class": "cue"})
    assert [(s["data-start"], s["data-end"]) for s in spans] == [
        (str(c.start_ms), str(c.end_ms)) for c in timeline.cues
    ]
    # Spoken headings are the transcript's chapter headings.
    assert len(tree.find("h3")) == 2


def test_english_words_are_marked() -> None:
    assert mark_english("Smart City Mission को पैसा") == (
        '<span lang="en">Smart City Mission</span> को पैसा'
    )
    url = "https://pmfby.gov.in"
    assert mark_english(f"{url} पर") == f'<span lang="en">{url}</span> पर'
    en = '<span lang="en">{}</span>'
    assert mark_english("<b>x</b>") == (
        f"&lt;{en.format('b')}&gt;{en.format('x')}&lt;/{en.format('b')}&gt;"
    )
    assert mark_english("₹4,250 प्रति क्विंटल") == "₹4,250 प्रति क्विंटल"


#: The player's weight budget: page template, style and script, in bytes (uncompressed).
WEIGHT_BUDGET = 50_000


def test_self_contained_small_and_pinned_by_csp(timeline: Timeline) -> None:
    page = page_for(timeline)
    script, style = asset("player.js"), asset("player.css")
    weight = sum(len(asset(name).encode()) for name in ("page.html", "player.js", "player.css"))
    assert weight < WEIGHT_BUDGET
    for url in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert "//" not in url and ":" not in url.split("#")[0], url
    assert "url(" not in style and "@import" not in style
    # Nothing in the script reaches the network; what it stores stays in the browser.
    for word in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "eval(", "http:",
                 "https:", "innerHTML", "document.write"):
        assert word not in script
    csp = str(parse(page).find("meta", **{"http-equiv": "Content-Security-Policy"})[0]["content"])
    for text in (script, style):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "img-src 'self' data:" in csp
    assert "connect-src" not in csp  # (so default-src 'none' forbids every fetch)
    assert 'data-theme="dark"' in style and "prefers-reduced-motion" in style


def test_page_markup_is_well_formed(timeline: Timeline, table_timeline: Timeline) -> None:
    """Every element the template opens is closed by its own end tag, in order."""
    assert_well_formed(page_for(paragraphs_timeline(), title="ओलंपिक", description="सार"))
    assert_well_formed(page_for(table_timeline, title="बजट"))


def assert_well_formed(page: str) -> None:
    void = {"meta", "link", "input", "track", "br", "img", "source", "path"}
    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in void:
                stack.append(tag)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            pass

        def handle_endtag(self, tag: str) -> None:
            assert stack and stack[-1] == tag, f"</{tag}> closes <{stack[-1] if stack else ''}>"
            stack.pop()

    Checker().feed(page)
    assert stack == []


def test_icons_are_inline_svg(timeline: Timeline) -> None:
    tree = parse(page_for(timeline))
    icons = [a for t, a in tree.tags if "icon" in str(a.get("class", "")).split()]
    assert len(icons) >= 8
    assert all(t == "svg" for t, a in tree.tags if "icon" in str(a.get("class", "")).split())
    assert all(a.get("aria-hidden") == "true" for a in icons)
    for glyph in "▶⏸▾▴↗🔊🔇":
        assert glyph not in page_for(timeline)


def test_lock_screen_credits_and_download_names(timeline: Timeline) -> None:
    page = render_embed_page(
        slug="मानसून", title=EVIL, timeline=timeline, audio_name="मानसून.3.mp3",
        captions_name="मानसून.3.vtt", artist=EVIL, album='"एल्बम"', artwork_name="कवर.png",
    )
    tree = parse(page)
    player = tree.find("section", id="np-player")[0]
    assert (player["data-title"], player["data-artist"]) == (EVIL, EVIL)
    assert player["data-album"] == '"एल्बम"'
    assert player["data-artwork"] == "%E0%A4%95%E0%A4%B5%E0%A4%B0.png"
    # Downloads carry the episode's name, whatever version the file is.
    assert [a["download"] for a in tree.find("a") if a.get("download")] == [
        "मानसून.mp3", "मानसून.txt", "मानसून.vtt"
    ]
    assert tree.find("a", download="मानसून.vtt")[0]["href"] == urllib.parse.quote("मानसून.3.vtt")
    assert tree.find("a", id="np-more-link")[0]["href"] == urllib.parse.quote("मानसून.html")
    # Without credits the attributes are empty (the script falls back to the site's name).
    plain = parse(page_for(timeline)).find("section", id="np-player")[0]
    assert (plain["data-artist"], plain["data-album"], plain["data-artwork"]) == ("", "", "")


def test_times() -> None:
    assert clock(0) == "0:00"
    assert clock(75_999) == "1:15"
    assert clock(3_725_480) == "1:02:05"
    assert fragment_seconds(0) == "0"
    assert fragment_seconds(20_970) == "20.97"
    assert fragment_seconds(1_000) == "1"


def make_episode(out: Path, timeline: Timeline, slug: str = "मानसून", title: str = EVIL) -> Episode:
    return Episode(
        slug=slug,
        title=title,
        source="article.txt",
        files=media_paths(out, slug),
        engine="fake",
        timeline=timeline,
        chunks=len(timeline.cues),
        requests=0,
        cache_hits=0,
        retries=0,
    )


def test_write_embed_page(tmp_path: Path, timeline: Timeline) -> None:
    path = write_embed_page(tmp_path, make_episode(tmp_path, timeline), description="सार")
    assert path == (tmp_path / "मानसून.html").resolve()
    page = path.read_text(encoding="utf-8")
    assert '<meta name="description" content="सार">' in page
    assert [p.name for p in tmp_path.iterdir()] == ["मानसून.html"]  # no temporary file left


def test_write_embed_page_stays_in_the_folder(tmp_path: Path, timeline: Timeline) -> None:
    with pytest.raises(PublishError):
        write_embed_page(tmp_path / "out", make_episode(tmp_path, timeline, slug="../escape"))


def test_snippet_relative_and_absolute() -> None:
    snippet = embed_snippet("मानसून-की-बारिश", None, EVIL)
    url = urllib.parse.quote("मानसून-की-बारिश.html") + "?theme=light"
    assert url.startswith("%E0%A4%AE")
    assert f'<iframe src="{url}" title="ऑडियो: &lt;script&gt;' in snippet
    assert f'<a href="{url}">यह लेख सुनें: &lt;script&gt;' in snippet
    assert 'loading="lazy"' in snippet and 'height="160"' in snippet
    # One script, the constant resize lines; nothing from the title is markup.
    assert snippet.count("<script") == 1 and f"<script>{SNIPPET_SCRIPT}</script>" in snippet
    assert "<b>" not in snippet
    absolute = embed_snippet("a-b", "https://example.com/audio/", "शीर्षक")
    assert 'src="https://example.com/audio/a-b.html?theme=light"' in absolute
    assert 'href="https://example.com/audio/a-b.html?theme=light"' in absolute


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
def test_snippet_carries_the_hosts_theme(theme: str) -> None:
    snippet = embed_snippet("a", "https://example.com/audio", "t", theme=theme)
    assert snippet.count(f"a.html?theme={theme}\"") == 2
    with pytest.raises(UsageError, match="--theme"):
        embed_snippet("a", None, "t", theme="Dark")


def test_snippet_script_answers_the_frame() -> None:
    """The player opens its panel in place only when the host's script answers it."""
    assert 'e.source.postMessage({type:"narrate:host"},"*")' in SNIPPET_SCRIPT
    assert SNIPPET_SCRIPT.index("e.source!==f.contentWindow") < SNIPPET_SCRIPT.index(
        "postMessage"
    )


def test_find_embed(tmp_path: Path, timeline: Timeline) -> None:
    write_embed_page(tmp_path, make_episode(tmp_path, timeline))
    assert find_embed(tmp_path, "मानसून").title == "मानसून"  # no chapters JSON: the slug
    (tmp_path / "मानसून.chapters.json").write_text('{"title": "मानसून की बारिश"}', "utf-8")
    found = find_embed(tmp_path, "मानसून.html")
    assert (found.slug, found.title) == ("मानसून", "मानसून की बारिश")
    with pytest.raises(PublishError, match="no player page"):
        find_embed(tmp_path, "missing")
    with pytest.raises(PublishError):
        find_embed(tmp_path, "../x")


def paragraphs_timeline() -> Timeline:
    """Two sections: the title cue with the date, then paragraphs as the chunker ends them
    (``ends``), a heading said in two cues, and links (good and hostile)."""
    cues = (
        Cue("ओलंपिक मेडल की होड़ 2 सितंबर 2025", 0, 2_000, 0, "title", "paragraph"),
        Cue("पहला वाक्य।", 2_000, 3_000, 0, ends="sentence"),
        Cue("पहले पैरा का दूसरा वाक्य।", 3_000, 4_000, 0, ends="paragraph"),
        Cue("दूसरा पैरा, जिसमें एक लंबा", 4_000, 5_000, 0, ends="clause"),
        Cue("वाक्य है।", 5_000, 6_000, 0, ends="paragraph"),
        Cue("खेल मंत्रालय का", 6_000, 7_000, 1, "heading", "clause"),
        Cue("बयान", 7_000, 7_500, 1, "heading", "paragraph"),
        Cue(
            "पूरा बयान यहाँ पढ़ें, <b>यह</b> नहीं और PIB पर भी।",
            7_500,
            9_000,
            1,
            ends="paragraph",
            links=(
                Link("यहाँ", "https://pib.gov.in/?id=1&x=\"2\""),
                Link("<b>यह</b>", "javascript:alert(1)"),
                Link("PIB", "mailto:press@pib.gov.in"),
            ),
        ),
    )
    chapters = (Chapter("परिचय", 0, 6_000), Chapter("खेल मंत्रालय का बयान", 6_000, 9_000))
    return Timeline(duration_ms=9_000, chapters=chapters, cues=cues)


def test_transcript_reads_like_the_article() -> None:
    page = page_for(paragraphs_timeline(), title="ओलंपिक मेडल की होड़")
    transcript = page.split('id="np-transcript">', 1)[1].split("</div>", 1)[0]
    blocks = re.findall(r"<(p|h3)\b[^>]*>(.*?)</\1>", transcript, re.S)
    text = [(tag, re.sub(r"<[^>]+>", "", inner)) for tag, inner in blocks]
    assert text == [
        ("p", "ओलंपिक मेडल की होड़ 2 सितंबर 2025"),
        ("p", "पहला वाक्य। पहले पैरा का दूसरा वाक्य।"),
        ("p", "दूसरा पैरा, जिसमें एक लंबा वाक्य है।"),
        ("h3", "खेल मंत्रालय का बयान"),
        ("p", "पूरा बयान यहाँ पढ़ें, &lt;b&gt;यह&lt;/b&gt; नहीं और PIB पर भी।"),
    ]
    # The title and the date are separate lines of the title cue.
    assert (
        '<span class="title-text">ओलंपिक मेडल की होड़</span> '
        '<span class="title-date">2 सितंबर 2025</span>'
    ) in transcript
    # Links: http(s) and mailto only, escaped, opening in a new tab; the rest stays text.
    assert re.findall(r'<a href="([^"]*)"', transcript) == [
        "https://pib.gov.in/?id=1&amp;x=&quot;2&quot;",
        "mailto:press@pib.gov.in",
    ]
    assert "javascript" not in page and "<b>" not in page
    assert transcript.count('target="_blank" rel="noopener noreferrer"') == 2


def test_linked_text_keeps_order_and_skips_missing_text() -> None:
    links = (Link("नहीं", "https://a.in"), Link("दो", "https://b.in"), Link("एक", "https://c.in"))
    html_ = linked_text("एक दो एक", links)
    assert re.sub(r"<[^>]+>", "", html_) == "एक दो एक"
    # "नहीं" is not there; "दो" is linked; "एक" is the second one, after "दो".
    assert html_ == (
        'एक <a href="https://b.in" target="_blank" rel="noopener noreferrer">दो</a> '
        '<a href="https://c.in" target="_blank" rel="noopener noreferrer">एक</a>'
    )
    for href in ("data:text/html,x", "//evil.in", "/local", "https:", "http://a.in/\nx"):
        assert "<a" not in linked_text("x", (Link("x", href),)), href


def test_compact_player_markup(timeline: Timeline) -> None:
    tree = parse(page_for(timeline))
    # Custom controls start hidden (no JS: the native player is the one set of controls).
    assert "hidden" in tree.find("button", id="np-play")[0]
    more = tree.find("button", id="np-more-button")[0]
    assert more["aria-expanded"] == "false" and more["aria-controls"] == "np-more"
    seek = tree.find("input", id="np-seek")[0]
    assert seek["type"] == "range" and seek["max"] == "3725.48"
    assert tree.find("div", id="np-more")  # chapters and transcript, open without JS


def test_a_table_is_shown_as_a_table_whose_rows_play(table_timeline: Timeline) -> None:
    """Caption, column and row headers, the cells as written; in a labelled region that a
    keyboard can scroll; the cues of the caption and of each row are one cue element each
    (a row said in two chunks plays from its first and is current until its last)."""
    page = page_for(table_timeline, title="बजट")
    doc = lxml.html.fromstring(page)
    first, second = doc.xpath("//div[@id='np-transcript']//div[@role='region']")
    assert (first.get("tabindex"), first.get("aria-labelledby")) == ("0", "np-table-1-caption")
    assert "table-scroll" in first.get("class")
    table = first.find("table")
    assert table.find("caption").get("id") == "np-table-1-caption"
    assert table.find("caption").text_content() == "आवंटन <b>&</b> | बदलाव"
    assert [(th.get("scope"), th.text_content()) for th in table.xpath("thead/tr/th")] == [
        ("col", "मंत्रालय"), ("col", "आवंटन (₹ करोड़)"), ("col", "बदलाव (%)")
    ]
    rows = table.xpath("tbody/tr")
    assert [[c.tag for c in r] for r in rows] == [["th", "td", "td"]] * 3
    assert [r[0].get("scope") for r in rows] == ["row"] * 3
    assert [[c.text_content() for c in r] for r in rows] == [
        ["रक्षा", "6,81,210", "+9.5"], [HOSTILE_CELL, "2,87,333", "-2.4"],
        ["ICICI Bank | L&T", "1,500", "0"],
    ]
    assert [r[1].get("class") for r in rows] == ["num"] * 3  # figures line up on the right
    cues = table.xpath(".//*[@class='cue']")
    assert [(c.get("id"), c.get("data-start"), c.get("data-end")) for c in cues] == [
        ("cue-3", "4500", "6000"),  # the caption
        ("cue-4", "6500", "9000"),  # the first row, said in two cues
        ("cue-6", "9500", "11000"),
        ("cue-7", "11500", "13000"),
    ]
    assert all(r[0].find("span").get("class") == "cue" for r in rows)  # in the row's header
    # A link of the row is a link in its cell; the spoken sentences are not shown.
    (link,) = rows[2].xpath(".//a")
    assert link.get("href") == "https://icici.example/?a=1&b=2"
    assert link.text_content() == "ICICI Bank" and link.getparent().get("class") == "cue"
    assert "9.5% अधिक" not in page
    # The table left out: the notice said instead (two cues, a paragraph), then the table,
    # whose rows are not cues.
    notice = second.getprevious()
    assert notice.tag == "p" and [c.get("id") for c in notice.xpath(".//*[@class='cue']")] == [
        "cue-10", "cue-11"
    ]
    assert second.get("aria-labelledby") == "np-table-2-caption"
    assert len(second.xpath(".//tbody/tr")) == 17 and not second.xpath(".//*[@class='cue']")
    # Prose before and after stays prose; every cue's time is on the page but the
    # second half of the first row's.
    starts = {int(x) for x in doc.xpath("//div[@id='np-transcript']//*[@data-start]/@data-start")}
    assert starts == {c.start_ms for c in table_timeline.cues} - {8_100}


def test_hostile_cells_stay_text(table_timeline: Timeline) -> None:
    """A cell or caption holding markup (a script, the end of the table) shows as text."""
    page = page_for(table_timeline, title="बजट")
    doc = lxml.html.fromstring(page)
    assert len(doc.xpath("//script")) == 1  # the player's own
    assert "__pwned" not in doc.xpath("//script")[0].text_content()
    assert len(doc.xpath("//table")) == 2 and not doc.xpath("//table//b")
    assert "<script>window" not in page and "&lt;/<span lang=\"en\">table</span>&gt;" in page


def test_a_table_without_a_caption_is_labelled_by_its_number() -> None:
    table = Table("", (), (("क", "12"), ("ख", "7")))
    cues = tuple(
        Cue(f"{a}: {b}।", i * 1000, i * 1000 + 900, 0, ends="paragraph",
            table=TablePart(table, "row", i))
        for i, (a, b) in enumerate(table.rows)
    )
    page = page_for(Timeline(2000, (Chapter("क", 0, 2000),), cues), title="क")
    region = lxml.html.fromstring(page).xpath("//div[@role='region']")[0]
    assert region.get("aria-label") == "तालिका 1" and region.get("aria-labelledby") is None
    assert region.find("table").find("caption") is None
    assert region.find("table").find("thead") is None
