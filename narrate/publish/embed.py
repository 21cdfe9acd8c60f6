"""The embed page: ``<slug>.html``, a Hindi audio player for the article's own page.

The page starts from a native ``<audio controls preload="metadata">`` so that it works
without JavaScript: the transcript (one sentence per timeline cue, as the article wrote it)
is on the page and chapters are links to media fragments (``<slug>.mp3#t=12.3``). The
player script and style (``narrate/publish/assets``, beside the page template
``page.html``) are inlined, so the page is one file
that makes no outside request; a Content-Security-Policy allows only those two by hash.

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
from narrate.model import Chapter, Cue, Episode, Timeline

log = logging.getLogger(__name__)

#: Playback speeds offered, as ``<option>`` values (1 is selected).
SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")
#: Default iframe height of the snippet in pixels: the player and the first chapters.
SNIPPET_HEIGHT = 480

#: Runs of Latin-script words (with the dots, slashes and dashes of names and addresses):
#: marked ``lang="en"`` so that a screen reader switches voice instead of spelling them in
#: Hindi.
_LATIN_RUN = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[.'’/:@_+\-]+[A-Za-z0-9]+)*"
    r"(?:\s+[A-Za-z][A-Za-z0-9]*(?:[.'’/:@_+\-]+[A-Za-z0-9]+)*)*"
)


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


def clock(ms: int) -> str:
    """``m:ss`` or ``h:mm:ss`` as a player shows it."""
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


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
    """Allow only the inline player script and style (by hash) and same-folder media."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(script)}",
            f"style-src {_csp_hash(style)}",
            "media-src 'self'",
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


def _cue(cue: Cue, number: int) -> Markup:
    return render(
        '<span class="cue" id="cue-{n}" data-start="{start}" data-end="{end}">{text}</span>',
        n=number,
        start=cue.start_ms,
        end=cue.end_ms,
        text=mark_english(cue.text),
    )


def _transcript(timeline: Timeline) -> Markup:
    """Per chapter: its spoken heading as ``<h3>`` (when the section has one) and its
    sentences as one paragraph; the spoken title line first, as its own paragraph."""
    groups: dict[int, list[tuple[int, Cue]]] = {}
    for number, cue in enumerate(timeline.cues, 1):
        groups.setdefault(_chapter_of(cue, timeline.chapters), []).append((number, cue))
    blocks: list[Markup] = []
    for index in sorted(groups):
        items = groups[index]
        titles = [_cue(c, n) for n, c in items if c.kind == "title"]
        headings = [_cue(c, n) for n, c in items if c.kind == "heading"]
        body = [_cue(c, n) for n, c in items if c.kind == "body"]
        parts: list[Markup] = []
        if titles:
            parts.append(render('<p class="cue-title">{cues}</p>', cues=join(titles, " ")))
        if headings:
            parts.append(
                render('<h3 id="chapter-{i}-text">{cues}</h3>', i=index, cues=join(headings, " "))
            )
        if body:
            parts.append(render("<p>{cues}</p>", cues=join(body, " ")))
        blocks.append(join(parts))
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
) -> str:
    """The page for one episode. File names default to those of
    :func:`narrate.pipeline.episode_paths` (``<slug>.mp3``, ``<slug>.vtt``, …)."""
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
        chapter_count=len(timeline.chapters),
        audio_url=audio_url,
        audio_name=audio_name,
        captions_url=file_url(captions_name or f"{slug}.vtt"),
        chapters_vtt_url=file_url(chapters_vtt_name or f"{slug}.chapters.vtt"),
        speed_options=speed_options,
        chapters=_chapters(timeline, audio_url),
        transcript=_transcript(timeline),
    )


def embed_path(out_dir: Path, slug: str) -> Path:
    """Where the page of episode ``slug`` lives (checked to stay inside ``out_dir``)."""
    return inside(out_dir, f"{slug}.html")


def write_embed_page(out_dir: Path, episode: Episode, *, description: str | None = None) -> Path:
    """Write ``<slug>.html`` for ``episode`` into ``out_dir`` (atomically) and return its path."""
    page = render_embed_page(
        slug=episode.slug,
        title=episode.title,
        timeline=episode.timeline,
        description=description,
        audio_name=episode.audio.name,
        captions_name=episode.captions.name,
        chapters_vtt_name=episode.chapters_vtt.name,
    )
    path = embed_path(out_dir, episode.slug)
    try:
        atomic_write_text(path, page)
    except OSError as e:
        raise PublishError(f"cannot write the embed page {path}: {e.strerror or e}") from e
    return path


def embed_snippet(slug: str, base_url: str | None, title: str) -> str:
    """HTML to paste into the article: a titled, lazily loaded iframe of the episode's page
    and a plain link to the same page for readers without frames.

    ``base_url`` is where the output folder is published (``https://example.com/audio``);
    without it the URL is relative to the article (the page sits beside it).
    """
    page = file_url(f"{slug}.html")
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
        'width="100%" height="{height}" style="border:0;max-width:46rem"></iframe>\n'
        '<p lang="hi"><a href="{url}">यह लेख सुनें: {title}</a></p>\n',
        url=url,
        title=title,
        height=SNIPPET_HEIGHT,
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
