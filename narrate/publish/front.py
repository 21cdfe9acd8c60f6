"""The podcast's front page for people: its title and artwork, each episode with its player
page, and the feed's address when there is a feed.

Rendered from plain values (:func:`render_page`), by ``narrate serve`` on each request
(:mod:`narrate.serve.front`, which reads the folder) and by publishing, which writes it into
the folder as ``index.html`` whenever the feed is written , so that the
feed's channel ``<link>`` finds a page on any static web server too. Every value is escaped
by :func:`narrate.publish.embed.render`; a Content-Security-Policy (a ``<meta>``, so it
holds on any server) allows its one inline style (by hash) and images only (the artwork,
also the page's icon, so that no browser asks for a ``favicon.ico`` that is not there).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from narrate.model import clock
from narrate.publish.embed import Markup, iso_duration, render

#: The folder's front page, written beside the feed.
FRONT_NAME = "index.html"
#: What marks a page narrate wrote (a folder's own ``index.html`` is never replaced).
GENERATOR = '<meta name="generator" content="narrate">'
DEFAULT_TITLE = "पॉडकास्ट"
#: Hindi month names, as the player pages write dates.
MONTHS = ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
          "अक्टूबर", "नवंबर", "दिसंबर")

STYLE = """\
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #4a4a4a;
  --accent: #0a58ca; --line: #c9ced4; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececec; --bg: #121212;
  --muted: #bdbdbd; --accent: #8ab4f8; --line: #4a4a4a; } }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 1.0625rem/1.7 system-ui, "Noto Sans Devanagari", "Nirmala UI", Mangal,
  "Lohit Devanagari", sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap;
  border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
header img { width: 8rem; height: 8rem; object-fit: cover; border-radius: .5rem; }
h1 { font-size: 1.6rem; line-height: 1.35; margin: 0; }
h2 { font-size: 1.2rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1.1rem; line-height: 1.45; margin: 0; }
a { color: var(--accent); text-underline-offset: .15em; }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.feed { margin: .25rem 0 0; color: var(--muted); }
.feed a { word-break: break-all; }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: .1rem 0 0; font-size: .95rem; }
li p { margin: .25rem 0 0; }
"""

PAGE = """\
<!doctype html>
<html lang="hi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="narrate">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<link rel="icon" href="{icon}">
{alternate}<style>{style}</style>
</head>
<body>
<main>
<header>
{artwork}<div>
<h1>{title}</h1>
{feed}</div>
</header>
<h2 id="episodes">{heading}</h2>
{episodes}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Listed:
    """One episode on the front page; ``href`` is relative to the folder."""

    title: str
    href: str
    published: dt.datetime | None = None
    duration_ms: int | None = None
    description: str = ""


def content_security_policy(artwork: str | None) -> str:
    """Nothing but the page's own style and, when there is one, the artwork's origin."""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode()
    image = "'self' data:"  # data: for the empty icon of a podcast without artwork
    if artwork and urlsplit(artwork).scheme in ("http", "https"):
        parts = urlsplit(artwork)
        image += f" {parts.scheme}://{parts.netloc}"
    return "; ".join([
        "default-src 'none'", f"style-src 'sha256-{digest}'", f"img-src {image}",
        "base-uri 'none'", "form-action 'none'",
    ])


def render_page(
    title: str, artwork: str | None, feed_url: str | None, episodes: Sequence[Listed]
) -> str:
    """The page's HTML: every value escaped, URLs given relative or absolute http(s)."""
    alternate = Markup("")
    feed = Markup("")
    if feed_url:
        alternate = render(
            '<link rel="alternate" type="application/rss+xml" title="{title}" href="{url}">\n',
            title=title, url=feed_url,
        )
        feed = render(
            '<p class="feed">फ़ीड का पता (पॉडकास्ट ऐप में जोड़ें): <a href="{url}">{url}</a></p>\n',
            url=feed_url,
        )
    image = Markup("")
    if artwork:
        image = render('<img src="{src}" alt="" width="160" height="160">\n', src=artwork)
    if episodes:
        items = Markup("\n".join(_item(e) for e in episodes))
        listing = render('<ol aria-labelledby="episodes">\n{items}\n</ol>', items=items)
    else:
        listing = Markup("<p>अभी कोई एपिसोड नहीं है।</p>")
    return render(
        PAGE, title=title, icon=artwork or "data:,", alternate=alternate, style=Markup(STYLE),
        csp=content_security_policy(artwork),
        artwork=image, feed=feed,
        heading=f"एपिसोड ({len(episodes)})", episodes=listing,
    )


def hindi_date(moment: dt.datetime) -> str:
    """``27 सितंबर 2025``: the day as its own time zone has it."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _item(episode: Listed) -> Markup:
    meta: list[Markup] = []
    if episode.published is not None:
        meta.append(render('<time datetime="{iso}">{text}</time>',
                           iso=episode.published.date().isoformat(),
                           text=hindi_date(episode.published)))
    if episode.duration_ms:
        meta.append(render('<time datetime="{iso}">{text}</time>',
                           iso=iso_duration(episode.duration_ms),
                           text=clock(episode.duration_ms)))
    details = Markup("")
    if meta:
        details = render('\n<p class="meta">{meta}</p>', meta=Markup(" · ".join(meta)))
    if episode.description and episode.description.strip() != episode.title.strip():
        details = Markup(details + render("\n<p>{text}</p>", text=episode.description))
    return render(
        '<li><article>\n<h3><a href="{href}">{title}</a></h3>{details}\n</article></li>',
        href=episode.href, title=episode.title, details=details,
    )




def ours(html: str) -> bool:
    """Whether ``html`` is a front page narrate wrote (else it is the folder's own)."""
    return GENERATOR in html[:2048]
