"""What a reader of an output folder may rely on, checked with independent readers.

sqlite3 reads the store, json the public index, feedparser the feed, lxml the embed pages,
mutagen the MP3s and the bundled ffmpeg their chapters. Used by the concurrency, kill and
store tests.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
from mutagen.mp3 import MP3

from narrate.publish.files import MEDIA

STATE = Path(".narrate") / "state.db"
#: A version's files, by suffix (the longest first: ``.chapters.vtt`` before ``.vtt``).
MEDIA_SUFFIXES = tuple(sorted((f.suffix for f in MEDIA), key=len, reverse=True))


@dataclass(frozen=True)
class Row:
    key: str
    guid: str
    slug: str
    version: str
    duration_ms: int


def store_rows(out: Path) -> list[Row]:
    conn = sqlite3.connect(f"file:{out / STATE}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT key, guid, slug, version, duration_ms FROM episodes")
        return [Row(*r) for r in rows]
    finally:
        conn.close()


def store_versions(out: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{out / STATE}?mode=ro", uri=True)
    try:
        return list(conn.execute("SELECT slug, version, state FROM versions"))
    finally:
        conn.close()


def stem_of(name: str) -> str:
    """``slug.v`` of ``slug.v.chapters.json`` and the like."""
    for suffix in MEDIA_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    raise AssertionError(f"{name} is not an episode's media file")


def _name(url: str) -> str:
    return unquote(urlsplit(url).path).rsplit("/", 1)[-1]


def check_pointers(out: Path) -> dict[str, str]:
    """Every pointer a reader follows names one version whose files are all present:
    ``episodes.json`` entries, feed items and embed pages. Returns slug to GUID (index)."""
    index = json.loads((out / "episodes.json").read_text(encoding="utf-8"))
    guids = {}
    for entry in index["episodes"]:
        files = entry["files"]
        media = [files[f.key] for f in MEDIA]
        assert len({stem_of(n) for n in media}) == 1, f"mixed versions in the index: {media}"
        for name in [*media, files["page"]]:
            assert (out / name).is_file(), f"the index names {name}, which is missing"
        guids[entry["slug"]] = entry["guid"]
    assert len(set(guids.values())) == len(guids), "two episodes share a GUID"
    if (out / "feed.xml").exists():
        feed = feedparser.parse((out / "feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        for item in feed.entries:
            names = [_name(item.enclosures[0].href), _name(item["podcast_chapters"]["url"]),
                     _name(item["podcast_transcript"]["url"])]
            assert len({stem_of(n) for n in names}) == 1, f"mixed versions in the feed: {names}"
            for name in names:
                assert (out / name).is_file(), f"the feed names {name}, which is missing"
    front = out / "index.html"
    if front.exists():  # the front page links each episode's player page
        tree = lxml.html.fromstring(front.read_bytes())
        for href in tree.xpath("//li//a/@href"):
            assert (out / _name(href)).is_file(), f"index.html links {href}, which is missing"
    for page in out.glob("*.html"):
        if page == front:
            continue
        tree = lxml.html.fromstring(page.read_bytes())
        names = [_name(src) for src in tree.xpath("//audio/@src | //track/@src")]
        assert names, f"{page.name} names no audio"
        assert len({stem_of(n) for n in names}) == 1, f"{page.name} mixes versions: {names}"
        for name in names:
            assert (out / name).is_file(), f"{page.name} names {name}, which is missing"
    return guids


def check_agreement(out: Path) -> None:
    """Each live episode's MP3, chapters and captions describe one and the same audio."""
    for row in store_rows(out):
        stem = f"{row.slug}.{row.version}" if row.version else row.slug
        length_ms = MP3(out / f"{stem}.mp3").info.length * 1000
        assert abs(length_ms - row.duration_ms) < 60, (stem, length_ms, row.duration_ms)
        chapters = json.loads((out / f"{stem}.chapters.json").read_text(encoding="utf-8"))
        assert round(chapters["chapters"][-1]["endTime"] * 1000) == row.duration_ms
        timings = [line for line in (out / f"{stem}.vtt").read_text(encoding="utf-8").splitlines()
                   if " --> " in line]
        assert timings, f"{stem}.vtt has no cue"
        h, m, s = timings[-1].split(" --> ")[1].split()[0].split(":")
        assert (int(h) * 3600 + int(m) * 60 + float(s)) * 1000 <= row.duration_ms + 1


def check_settled(out: Path, also: frozenset[str] = frozenset()) -> None:
    """After a run that was not killed: no temporary file anywhere, no run's work area, and
    no file in the folder that no version or pointer (or ``also``) accounts for."""
    runs = out / ".narrate" / "runs"
    assert not runs.exists() or list(runs.iterdir()) == [], list(runs.iterdir())
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".narrate"]
    assert hidden == [], hidden
    versions = store_versions(out)
    assert {state for _, _, state in versions} <= {"live", "previous"}, versions
    known = {"episodes.json", "feed.xml", "index.html", "artwork.png", "artwork.jpg", ".narrate",
             *also}
    for slug, version, _ in versions:
        stem = f"{slug}.{version}" if version else slug
        known |= {f"{stem}{s}" for s in MEDIA_SUFFIXES} | {f"{slug}.html"}
    strays = sorted(p.name for p in out.iterdir() if p.name not in known)
    assert strays == [], strays
