"""The embed page: ``<slug>.html``, a Hindi audio player for the article's own page.

The page starts from a native ``<audio controls preload="metadata">`` so that it works
without JavaScript: the transcript (one sentence per timeline cue, as the article wrote it)
is on the page and chapters are links to media fragments (``<slug>.mp3#t=12.3``). The
player script and style (``narrate/publish/assets``, beside the page template
``page.html``) are inlined, so the page is one file
that makes no outside request; a Content-Security-Policy allows only those two by hash.
Its icons are inline SVG (never a font's glyph); its theme is the host's choice
(``<slug>.html?theme=light|dark|auto``, light when none is given).

Every piece of article text goes through :func:`render`, which HTML-escapes whatever it
interpolates unless it is :class:`Markup` built by this module, so a title or sentence
containing ``<script>`` shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from narrate.errors import PublishError, UsageError
from narrate.fsutil import atomic_write_text, inside
from narrate.model import Chapter, Cue, Episode, Link, Table, TablePart, Timeline, clock
from narrate.publish.transcript import figure_columns

log = logging.getLogger(__name__)

#: Playback speeds offered, as ``<option>`` values (1 is selected).
SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")
#: Iframe height of the snippet in pixels: the compact player bar. The snippet's script
#: then follows the height the page reports (the bar, or the bar and the open transcript).
SNIPPET_HEIGHT = 160
#: The snippet's script: resize the iframe just before it to the height its page posts,
#: up to 85 % of the window (taller content scrolls inside, under the bar), and answer
#: ``narrate:host`` so the player knows its frame grows (without that answer, as in a host
#: that strips scripts, the player opens chapters and transcript in a new tab instead).
#: Only messages from that iframe's window count, and only a number is read from them.
SNIPPET_SCRIPT = (
    "(function(f){addEventListener(\"message\",function(e){var d=e.data;"
    "if(!f||e.source!==f.contentWindow||!d||d.type!==\"narrate:height\")return;"
    "var h=Math.ceil(+d.height);if(!(h>0&&h<1e5))return;"
    "f.style.height=Math.min(h,Math.max(320,Math.round(innerHeight*.85)))+\"px\";"
    "e.source.postMessage({type:\"narrate:host\"},\"*\")})})"
    "(document.currentScript&&document.currentScript.previousElementSibling)"
)
#: The player's themes: the host's page is light or dark, or (``auto``) follows the
#: reader's system setting. Light when the host says nothing.
THEMES = ("light", "dark", "auto")
DEFAULT_THEME = "light"

#: Runs of Latin-script words (with the dots, slashes and dashes of names and addresses):
#: marked ``lang="en"`` so that a screen reader switches voice instead of spelling them in
#: Hindi.
_LATIN_RUN = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[.'’/:@_+\-]+[A-Za-z0-9]+)*"
    r"(?:\s+[A-Za-z][A-Za-z0-9]*(?:[.'’/:@_+\-]+[A-Za-z0-9]+)*)*"
)


#: What may end a title before what follows it in the same cue (the date): punctuation
#: and spaces.
_TITLE_END = re.compile(r"[\s।॥.!?:,;\-–—]*")


class Markup(str):
    """HTML that :func:`render` inserts as is. Only this module makes it, from escaped text."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """``value`` as HTML text or attribute value (``& < > " '`` escaped); Markup as is."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def render(template: str, /, **values: object) -> Markup:
    """Fill ``{name}`` fields of a constant template, escaping every value by default."""
    return Markup(template.format_map({key: escape(v) for key, v in values.items()}))


def join(parts: Iterable[Markup], sep: str = "\n") -> Markup:
    return Markup(sep.join(parts))


def mark_english(text: str) -> Markup:
    """Escaped ``text`` with runs of Latin-script words wrapped in ``<span lang="en">``."""
    out: list[str] = []
    last = 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(render('<span lang="en">{word}</span>', word=match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))


def fragment_seconds(ms: int) -> str:
    """Seconds for a media fragment ``#t=``: at most three decimals, no trailing zeros."""
    text = f"{max(ms, 0) / 1000:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def iso_duration(ms: int) -> str:
    """A ``<time datetime>`` duration such as ``PT12.3S``."""
    return f"PT{fragment_seconds(ms)}S"


def file_url(name: str) -> str:
    """A file name in the same folder as a relative URL (Hindi slugs percent-encoded)."""
    return urllib.parse.quote(name)


@cache
def asset(name: str) -> str:
    """The text of ``narrate/publish/assets/<name>`` (shipped as package data)."""
    try:
        return resources.files("narrate.publish").joinpath("assets", name).read_text("utf-8")
    except OSError as e:  # pragma: no cover - a broken installation
        raise PublishError(
            f"the embed player file {name} is missing. Probable cause: narrate was installed "
            "without its package data (publish/assets/*)."
        ) from e


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(script: str, style: str) -> str:
    """Allow only the inline player script and style (by hash), same-folder media, and
    images from the same folder or drawn by the page (the lock screen's artwork)."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(script)}",
            f"style-src {_csp_hash(style)}",
            "media-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _chapter_of(cue: Cue, chapters: tuple[Chapter, ...]) -> int:
    """The chapter a cue belongs to: its section when chapters are one per section, else by
    time (the last chapter starting at or before the cue)."""
    if 0 <= cue.section < len(chapters):
        return cue.section
    index = 0
    for i, chapter in enumerate(chapters):
        if chapter.start_ms <= cue.start_ms:
            index = i
    return index


#: Link targets the transcript makes into links; any other scheme (``javascript:``,
#: ``data:``, relative paths that would resolve inside the player's folder) stays text.
LINK_SCHEMES = ("http", "https", "mailto")


def safe_href(href: str) -> str | None:
    """``href`` when it is an absolute http(s) or mailto URL, else None."""
    href = href.strip()
    try:
        parts = urllib.parse.urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    if any(ch in href for ch in "\x00\t\r\n"):
        return None
    return href


def linked_text(text: str, links: Iterable[Link]) -> Markup:
    """Escaped ``text`` (Latin runs marked) with each link's text, found in order, made an
    ``<a>`` that opens in a new tab (the player's frame stays). Links with another scheme,
    or whose text is not in ``text``, stay plain text."""
    out: list[Markup] = []
    pos = 0
    for link in links:
        href = safe_href(link.href)
        at = text.find(link.text, pos) if link.text else -1
        if href is None or at < 0:
            continue
        out.append(mark_english(text[pos:at]))
        out.append(
            render(
                '<a href="{href}" target="_blank" rel="noopener noreferrer">{text}</a>',
                href=href,
                text=mark_english(link.text),
            )
        )
        pos = at + len(link.text)
    out.append(mark_english(text[pos:]))
    return Markup("".join(out))


def _cue(cue: Cue, number: int, inner: Markup | None = None) -> Markup:
    return _span([(number, cue)], inner if inner is not None else linked_text(cue.text, cue.links))


def _span(cues: list[tuple[int, Cue]], inner: Markup) -> Markup:
    """One cue element for one cue, or for several heard one after the other (a table row
    said in two chunks): it starts with the first and ends with the last."""
    (number, first), last = cues[0], cues[-1][1]
    return render(
        '<span class="cue" id="cue-{n}" data-start="{start}" data-end="{end}">{text}</span>',
        n=number,
        start=first.start_ms,
        end=last.end_ms,
        text=inner,
    )


def _title_cue(
    cue: Cue, number: int, rest_of_title: str, title_done: bool = False
) -> tuple[Markup, str]:
    """A title cue: the part of the title it says, and after it, on its own line, what
    follows the title in the same cue or in a cue of its own (the spoken date; ``title_done``
    once a cue finished the title). Returns the markup and what of the title is still to
    come in later title cues."""
    text = cue.text
    wanted = rest_of_title.strip()
    if wanted and text.strip() == wanted:  # the title's last cue: the date follows apart
        inner = render('<span class="title-text">{t}</span>', t=linked_text(text, ()))
        return _cue(cue, number, inner), ""
    if not wanted and title_done:  # a cue of its own after the title: the date
        inner = render('<span class="title-date">{t}</span>', t=linked_text(text, ()))
        return _cue(cue, number, inner), ""
    if wanted and wanted.startswith(text.strip()):  # the title goes on in the next cue
        return _cue(cue, number), wanted[len(text.strip()) :]
    if wanted and text.startswith(wanted) and text[len(wanted) :].strip():
        split = _TITLE_END.match(text, len(wanted)).end()  # type: ignore[union-attr]
        head = text[:split].rstrip()
        space, tail = text[len(head) : split], text[split:]
        inner = render(
            '<span class="title-text">{head}</span>{space}<span class="title-date">{tail}</span>',
            head=linked_text(head, ()),
            space=space,
            tail=linked_text(tail, ()),
        )
        return _cue(cue, number, inner), ""
    return _cue(cue, number), ""


def _num(figures: bool) -> Markup:
    """The class of a cell in a column of figures (aligned to the right, as in the text)."""
    return Markup(' class="num"' if figures else "")


def _table(table: Table, cues: list[tuple[int, Cue]], number: int) -> Markup:
    """A table as the article wrote it: ``<caption>``, header cells ``<th scope="col">``,
    each row's first cell ``<th scope="row">`` (when there are more columns), in a box of
    its own that scrolls sideways when the table is wider than the page (a focusable,
    labelled region, so that a keyboard can scroll it). The cues that read its caption
    and each row become one cue element there (clicking a row plays it); the notice said
    instead of a table too large to read aloud is a paragraph before it."""
    caption = [(n, c) for n, c in cues if c.table and c.table.kind == "caption"]
    rows: dict[int, list[tuple[int, Cue]]] = {}
    for n, c in cues:
        if c.table and c.table.kind == "row":
            rows.setdefault(c.table.row, []).append((n, c))
    notice = [_cue(c, n) for n, c in cues if c.table and c.table.kind == "notice"]
    label = f"np-table-{number}"
    parts: list[Markup] = []
    if table.caption:
        text = linked_text(table.caption, ())
        parts.append(render(
            '<caption id="{id}">{text}</caption>',
            id=f"{label}-caption",
            text=_span(caption, text) if caption else text,
        ))
    right = figure_columns(table)
    if table.header:
        parts.append(render(
            "<thead><tr>{cells}</tr></thead>",
            cells=join(
                (render('<th scope="col"{num}>{h}</th>', h=mark_english(h), num=_num(k in right))
                 if h else Markup("<td></td>") for k, h in enumerate(table.header)), "",
            ),
        ))
    width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    body: list[Markup] = []
    for i, row in enumerate(table.rows):
        said = rows.get(i, [])
        links = [link for _, c in said for link in c.links]
        first = next((k for k, cell in enumerate(row) if cell), 0)  # where the cue goes
        cells: list[Markup] = []
        for k, cell in enumerate(row):
            text = linked_text(cell, links)
            if said and k == first:
                text = _span(said, text)
            tag = "th" if k == 0 and width > 1 and cell else "td"
            cells.append(render(
                '<{tag}{scope}{num}>{text}</{tag}>',
                tag=Markup(tag),
                scope=Markup(' scope="row"' if tag == "th" else ""),
                num=_num(k in right),
                text=text,
            ))
        body.append(render("<tr>{cells}</tr>", cells=join(cells, "")))
    if body:
        parts.append(render("<tbody>\n{rows}\n</tbody>", rows=join(body)))
    named = (
        render('aria-labelledby="{id}"', id=f"{label}-caption")
        if table.caption
        else render('aria-label="तालिका {n}"', n=number)
    )
    box = render(
        '<div class="table-scroll" id="{id}" role="region" {named} tabindex="0">'
        "<table>\n{parts}\n</table></div>",
        id=label,
        named=named,
        parts=join(parts),
    )
    if notice:
        return join([render('<p class="para">{cues}</p>', cues=join(notice, " ")), box])
    return box


def _transcript(timeline: Timeline, title: str = "") -> Markup:
    """The transcript as the article reads: the spoken title line (and the date, on its own
    line) first; each section's heading as ``<h3>``; body sentences as paragraphs, a new
    one where the article started one (a cue that ``ends`` a paragraph closes it) and at
    every section; links as links; a table as a table (:func:`_table`)."""
    blocks: list[Markup] = []
    para: list[Markup] = []
    titles: list[Markup] = []
    heading: list[Markup] = []
    table: list[tuple[int, Cue]] = []  # the cues of one table
    tables = 0
    rest_of_title = " ".join(title.split())
    section: int | None = None

    def flush() -> None:
        nonlocal tables
        if heading:  # a long heading said in several cues is still one heading
            blocks.append(
                render('<h3 id="chapter-{i}-text">{cues}</h3>', i=section, cues=join(heading, " "))
            )
            heading.clear()
        if titles:
            blocks.append(render('<p class="cue-title">{cues}</p>', cues=join(titles, " ")))
            titles.clear()
        if para:
            blocks.append(render('<p class="para">{cues}</p>', cues=join(para, " ")))
            para.clear()
        if table:
            part = table[0][1].table
            tables += 1
            if part is not None:
                blocks.append(_table(part.table, table, tables))
            table.clear()

    for number, cue in enumerate(timeline.cues, 1):
        chapter = _chapter_of(cue, timeline.chapters)
        last: TablePart | None = table[-1][1].table if table else None
        if (section is not None and chapter != section) or (
            table and not (cue.table is not None and cue.table.follows(last))
        ):
            flush()
        section = chapter
        if cue.table is not None:
            if titles or para or heading:
                flush()
            table.append((number, cue))
        elif cue.kind == "title":
            if para or heading:
                flush()
            markup, rest_of_title = _title_cue(cue, number, rest_of_title, bool(titles))
            titles.append(markup)
        elif cue.kind == "heading":
            if titles or para:
                flush()
            heading.append(_cue(cue, number))
        else:
            if titles or heading:
                flush()
            para.append(_cue(cue, number))
            if cue.ends == "paragraph":
                flush()
    flush()
    return join(blocks)


def _chapters(timeline: Timeline, audio_url: str) -> Markup:
    items = [
        render(
            '<li><a href="{href}" data-start="{start}">'
            '<time class="time" datetime="{iso}">{clock}</time> '
            '<span class="chapter-title">{title}</span></a></li>',
            href=f"{audio_url}#t={fragment_seconds(ch.start_ms)}",
            start=ch.start_ms,
            iso=iso_duration(ch.start_ms),
            clock=clock(ch.start_ms),
            title=mark_english(ch.title),
        )
        for ch in timeline.chapters
    ]
    return join(items)




def render_embed_page(
    *,
    slug: str,
    title: str,
    timeline: Timeline,
    description: str | None = None,
    audio_name: str | None = None,
    captions_name: str | None = None,
    chapters_vtt_name: str | None = None,
    artist: str | None = None,
    album: str | None = None,
    artwork_name: str | None = None,
) -> str:
    """The page for one episode. File names default to those of
    :func:`narrate.publish.files.episode_paths` (``<slug>.mp3``, ``<slug>.vtt``, …).

    ``artist`` and ``album`` name the episode on the lock screen (Media Session; the
    artist defaults to the site's host name); ``artwork_name`` is an image in the same
    folder for it (without one the page draws the title on its accent colour)."""
    audio_name = audio_name or f"{slug}.mp3"
    audio_url = file_url(audio_name)
    script = asset("player.js")
    style = asset("player.css")
    speed_options = join(
        render(
            '<option value="{v}"{sel}>{v}×</option>',
            v=v,
            sel=Markup(" selected") if v == "1" else Markup(""),
        )
        for v in SPEEDS
    )
    description_meta = (
        render('<meta name="description" content="{d}">', d=description)
        if description
        else Markup("")
    )
    description_html = (
        render('<p class="description">{d}</p>', d=mark_english(description))
        if description
        else Markup("")
    )
    return render(
        asset("page.html"),
        csp=content_security_policy(script, style),
        title=title,
        title_html=mark_english(title),
        description_meta=description_meta,
        description_html=description_html,
        style=Markup(style),
        script=Markup(script),
        duration=clock(timeline.duration_ms),
        duration_iso=iso_duration(timeline.duration_ms),
        duration_s=fragment_seconds(timeline.duration_ms),
        chapter_count=len(timeline.chapters),
        audio_url=audio_url,
        audio_download=f"{slug}.mp3",
        text_download=f"{slug}.txt",
        captions_download=f"{slug}.vtt",
        page_url=file_url(f"{slug}.html"),
        artist=artist or "",
        album=album or "",
        artwork_url=file_url(artwork_name) if artwork_name else "",
        captions_url=file_url(captions_name or f"{slug}.vtt"),
        chapters_vtt_url=file_url(chapters_vtt_name or f"{slug}.chapters.vtt"),
        speed_options=speed_options,
        chapters=_chapters(timeline, audio_url),
        transcript=_transcript(timeline, title),
    )


def embed_path(out_dir: Path, slug: str) -> Path:
    """Where the page of episode ``slug`` lives (checked to stay inside ``out_dir``)."""
    return inside(out_dir, f"{slug}.html")


def write_embed_page(
    out_dir: Path,
    episode: Episode,
    *,
    description: str | None = None,
    artist: str | None = None,
    album: str | None = None,
) -> Path:
    """Write ``<slug>.html`` for ``episode`` into ``out_dir`` (atomically) and return its path."""
    page = render_embed_page(
        slug=episode.slug,
        title=episode.title,
        timeline=episode.timeline,
        description=description,
        audio_name=episode.audio.name,
        captions_name=episode.files["captions"].name,
        chapters_vtt_name=episode.files["chapters_vtt"].name,
        artist=artist,
        album=album,
    )
    path = embed_path(out_dir, episode.slug)
    try:
        atomic_write_text(path, page)
    except OSError as e:
        raise PublishError(f"cannot write the embed page {path}: {e.strerror or e}") from e
    return path


def embed_snippet(
    slug: str, base_url: str | None, title: str, *, theme: str = DEFAULT_THEME
) -> str:
    """HTML to paste into the article: a titled, lazily loaded iframe of the episode's page
    (the compact bar's height), the few lines of script that let the iframe grow when the
    reader opens chapters and transcript, and a plain link to the same page for readers
    without frames.

    ``base_url`` is where the output folder is published (``https://example.com/audio``);
    without it the URL is relative to the article (the page sits beside it). ``theme`` is
    the host page's: ``light``, ``dark``, or ``auto`` (the reader's system setting).
    """
    if theme not in THEMES:
        raise UsageError(f"--theme must be one of {', '.join(THEMES)}; not {theme!r}")
    page = file_url(f"{slug}.html") + f"?theme={theme}"
    if base_url:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(
                f"--base-url must be an http(s) URL such as https://example.com/audio; "
                f"not {base_url!r}"
            )
        url = base_url.rstrip("/") + "/" + page
    else:
        url = page
    return render(
        '<iframe src="{url}" title="ऑडियो: {title}" lang="hi" loading="lazy" '
        'width="100%" height="{height}" style="border:0;max-width:46rem;display:block">'
        "</iframe>\n<script>{script}</script>\n"
        '<p lang="hi"><a href="{url}">यह लेख सुनें: {title}</a></p>\n',
        url=url,
        title=title,
        height=SNIPPET_HEIGHT,
        script=Markup(SNIPPET_SCRIPT),
    )


@dataclass(frozen=True)
class EmbedPage:
    """An episode's page found in an output folder, and the title its snippet names."""

    slug: str
    path: Path
    title: str


def find_embed(out_dir: Path, slug: str) -> EmbedPage:
    """The page of episode ``slug`` in ``out_dir`` and its title (from the chapters JSON,
    else the slug). ``slug`` may be given as a file name (``<slug>.html`` or ``.mp3``)."""
    for suffix in (".html", ".mp3"):
        if slug.endswith(suffix):
            slug = slug[: -len(suffix)]
    path = embed_path(out_dir, slug)
    if not path.is_file():
        raise PublishError(
            f"there is no player page {path.name} in {out_dir}. Probable cause: a mistyped "
            f"slug, another --out folder, or an episode built before embed pages existed "
            "(build it again)."
        )
    title = slug
    chapters = inside(out_dir, f"{slug}.chapters.json")
    try:
        doc = json.loads(chapters.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.debug("no readable %s; the snippet is titled with the slug", chapters)
    else:
        if isinstance(doc, dict) and isinstance(doc.get("title"), str) and doc["title"].strip():
            title = doc["title"].strip()
    return EmbedPage(slug=slug, path=path, title=title)
