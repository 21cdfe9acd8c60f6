"""feed.xml: real episodes built offline, read back by feedparser, lxml, mutagen and ffprobe."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from feedparser.mixin import _FeedParserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from narrate.cli import podcast as _podcast  # noqa: F401  registers init/feed/serve
from narrate.config import ConfigError, PodcastConfig, parse_config
from narrate.engines.registry import create_engine
from narrate.ffmpeg import ffmpeg_exe
from narrate.model import Episode
from narrate.pipeline import BuildSettings, stage_episode
from narrate.publish.feed import (
    ITUNES,
    PODCAST,
    FeedItem,
    feed_xml,
    podcast_guid,
)
from narrate.publish.folder import OutputFolder
from narrate.publish.index import INDEX_NAME, IndexEntry, load_index
from narrate.publish.store import Store
from tests.cli.conftest import run_cli  # noqa: F401  the fixture
from tests.publish.test_artwork import png_bytes

looks_like_html = _FeedParserMixin.looks_like_html
GOLDEN = Path(__file__).parent / "golden"
BASE = "https://news.example.com/पॉडकास्ट/"
BASE_URL = "https://news.example.com/%E0%A4%AA%E0%A5%89%E0%A4%A1%E0%A4%95%E0%A4%BE%E0%A4%B8%E0%A5%8D%E0%A4%9F/"
NOW = dt.datetime(2025, 9, 28, 4, 30, tzinfo=dt.UTC)
NS = {"itunes": ITUNES, "podcast": PODCAST}

DATED = """---
title: "नगर निगम चुनाव: <62%> मतदान & \\"नतीजे\\" ]]> शुक्रवार को"
date: 2025-09-27
---

शहर के नगर निगम चुनाव में इस बार 62 प्रतिशत मतदान हुआ।

## कहां कितना मतदान

सबसे ज़्यादा मतदान वार्ड 14 में हुआ।
"""

UNDATED = """# भारतीय महिला हॉकी टीम ने एशिया कप जीता

टीम ने फाइनल में चीन को 3-1 से हराया।

## आगे क्या

अगला मुकाबला अक्टूबर में होगा।
"""


def podcast_config(folder: Path, base_url: str | None = BASE) -> PodcastConfig:
    (folder / "art.png").write_bytes(png_bytes(1400, 1400))
    table: dict[str, object] = {
        "title": "हमारी ख़बरें <रोज़> & \"सुबह\"",
        "description": "दिन की प्रमुख ख़बरें",
        "author": "समाचार डेस्क",
        "owner_name": "डेस्क",
        "owner_email": "podcast@example.com",
        "artwork": "art.png",
    }
    if base_url:
        table["base_url"] = base_url
    return parse_config({"podcast": table}, folder=folder)


def build(article: Path, out: Path, cache: Path) -> Episode:
    """The episode of ``article`` staged beside ``out`` (not yet published: see
    publish_episode)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return stage_episode(
        str(article), create_engine("espeak"), BuildSettings(cache_dir=cache),
        stage_dir=Path(tempfile.mkdtemp(prefix="stage-", dir=out.parent)),
    )


def publish_episode(out: Path, episode: Episode, config: PodcastConfig | None, *,
                    now: dt.datetime) -> Episode:
    """Publish the staged ``episode`` into the folder ``out``, as a build does."""
    with OutputFolder(out) as folder:
        return folder.publish(episode, config=config, now=now)


def regenerate_feed(out: Path, config: PodcastConfig, *, now: dt.datetime) -> Path:
    """``narrate feed``: the folder's feed written from the folder alone."""
    with OutputFolder(out) as folder:
        return folder.regenerate_feed(config, now=now)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, PodcastConfig]:
    """Two articles built and published once for the module: (work folder, out, config)."""
    work = tmp_path_factory.mktemp("site")
    (work / "dated.md").write_text(DATED, encoding="utf-8")
    (work / "undated.md").write_text(UNDATED, encoding="utf-8")
    config = podcast_config(work)
    out = work / "audio"
    for name in ("dated.md", "undated.md"):
        publish_episode(out, build(work / name, out, work / "cache"), config, now=NOW)
    return work, out, config


def parsed(out: Path) -> feedparser.FeedParserDict:
    return feedparser.parse((out / "feed.xml").read_bytes())


def ffprobe_seconds(mp3: Path) -> float:
    probe = shutil.which("ffprobe")
    if probe:
        proc = subprocess.run(
            [probe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
             str(mp3)], capture_output=True, text=True, check=True,
        )
        return float(proc.stdout.strip())
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(mp3), "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    h, m, s = re.findall(r"time=(\d+):(\d+):([\d.]+)", proc.stderr)[-1]
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_feedparser_reads_the_feed_without_complaint(
    site: tuple[Path, Path, PodcastConfig],
) -> None:
    _, out, config = site
    feed = parsed(out)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == config.title
    assert feed.feed.language == "hi"
    assert feed.feed.image.href == BASE_URL + "artwork.png"
    assert feed.feed.publisher_detail.email == "podcast@example.com"
    assert [t.term for t in feed.feed.tags] == ["News"]
    assert len(feed.entries) == 2  # two articles, two items
    assert (out / "artwork.png").read_bytes() == (site[0] / "art.png").read_bytes()


def test_channel_elements(site: tuple[Path, Path, PodcastConfig]) -> None:
    _, out, config = site
    channel = etree.parse(str(out / "feed.xml")).getroot().find("channel")
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:author", namespaces=NS) == "समाचार डेस्क"
    assert channel.find("itunes:category", namespaces=NS).get("text") == "News"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "podcast@example.com"
    assert channel.findtext("itunes:owner/itunes:name", namespaces=NS) == "डेस्क"
    guid = channel.findtext("podcast:guid", namespaces=NS)
    assert guid == podcast_guid(config.base_url + "feed.xml")  # type: ignore[operator]
    locked = channel.find("podcast:locked", namespaces=NS)
    assert locked.text == "yes" and locked.get("owner") == "podcast@example.com"
    assert channel.findtext("link") == BASE_URL


def test_podcast_guid_follows_the_namespace_spec() -> None:
    # The scheme and trailing slashes are dropped before hashing.
    assert podcast_guid("https://bigal.github.io/breakfast-wrap-feed/breakfast-wrap.xml/") == (
        "f95d7b89-e1ee-554c-be7f-f126f0b92dae"
    )
    assert podcast_guid("http://a.example/feed.xml") == podcast_guid("https://a.example/feed.xml")


def test_items_enclosures_durations_chapters_transcripts(
    site: tuple[Path, Path, PodcastConfig],
) -> None:
    _, out, _ = site
    items = etree.parse(str(out / "feed.xml")).getroot().findall("channel/item")
    assert len(items) == 2
    for item in items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url")
        assert url.startswith("https://news.example.com/%E0%A4")  # percent-encoded UTF-8
        assert url.isascii()
        mp3 = out / unquote(url.rsplit("/", 1)[1])
        assert int(enclosure.get("length")) == mp3.stat().st_size
        assert enclosure.get("type") == "audio/mpeg"
        duration = item.findtext("itunes:duration", namespaces=NS)
        assert duration.isdigit()
        assert abs(int(duration) - ffprobe_seconds(mp3)) <= 1
        assert item.find("guid").get("isPermaLink") == "false"
        chapters = item.find("podcast:chapters", namespaces=NS)
        assert chapters.get("type") == "application/json+chapters"
        assert unquote(chapters.get("url")).endswith(mp3.stem + ".chapters.json")
        captions, text = item.findall("podcast:transcript", namespaces=NS)
        assert captions.get("type") == "text/vtt" and captions.get("language") == "hi"
        assert captions.get("rel") == "captions"
        assert unquote(captions.get("url")).endswith(mp3.stem + ".vtt")
        assert (out / (mp3.stem + ".vtt")).is_file()
        # the plain-text transcript: the article's words as written, no timing
        assert text.get("type") == "text/plain" and text.get("language") == "hi"
        assert text.get("rel") is None
        plain = out / unquote(text.get("url")).rsplit("/", 1)[1]
        assert plain.name == mp3.stem + ".txt"
        words = plain.read_text(encoding="utf-8")
        assert item.findtext("title") in words and "-->" not in words


def test_text_with_markup_characters_stays_text(site: tuple[Path, Path, PodcastConfig]) -> None:
    _, out, _ = site
    raw = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<![CDATA[" not in raw
    titles = [e.title for e in parsed(out).entries]
    assert 'नगर निगम चुनाव: <62%> मतदान & "नतीजे" ]]> शुक्रवार को' in titles


def test_newest_first_dated_by_the_article(site: tuple[Path, Path, PodcastConfig]) -> None:
    _, out, _ = site
    entries = parsed(out).entries
    # The undated article is dated by its first build (28 Sep), the other by its date (27 Sep).
    assert entries[0].title.startswith("भारतीय")
    assert entries[1].published == "Sat, 27 Sep 2025 00:00:00 +0530"
    assert entries[0].published == "Sun, 28 Sep 2025 04:30:00 +0000"


def test_rebuilding_keeps_every_guid(
    site: tuple[Path, Path, PodcastConfig], tmp_path: Path
) -> None:
    work, _, config = site
    out = tmp_path / "audio"
    shutil.copytree(site[1], out)
    before = {e.title: e.id for e in parsed(out).entries}
    later = NOW + dt.timedelta(days=1)
    for name in ("dated.md", "undated.md"):
        publish_episode(out, build(work / name, out, work / "cache"), config, now=later)
    after = {e.title: e.id for e in parsed(out).entries}
    assert after == before
    # An edited title is the same episode under the same names: the article keeps its
    # slug for life (its page's URL is embedded in the article's web page).
    index = {e.source: e for e in load_index(Store(out))}
    old = index[str(work / "undated.md")]
    # The article is keyed by its path: rebuild the same path with a new title.
    original = (work / "undated.md").read_text(encoding="utf-8")
    try:
        edited_text = original.replace("# भारतीय", "# नया शीर्षक: भारतीय")
        (work / "undated.md").write_text(edited_text, encoding="utf-8")
        for _ in range(2):
            episode = build(work / "undated.md", out, work / "cache")
            published = publish_episode(out, episode, config, now=later)
            assert published.slug == old.slug
    finally:
        (work / "undated.md").write_text(original, encoding="utf-8")
    entries = parsed(out).entries
    assert len(entries) == 2
    renamed = next(e for e in entries if "नया शीर्षक" in e.title)
    assert renamed.id == old.guid
    assert unquote(renamed.link).endswith(f"{old.slug}.html")
    assert not [p.name for p in out.iterdir() if p.name.startswith("नया")]


def test_without_a_base_url_the_index_is_kept_and_the_feed_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    article = tmp_path / "a.md"
    article.write_text(UNDATED, encoding="utf-8")
    out = tmp_path / "audio"
    with caplog.at_level(logging.INFO, logger="narrate.publish.feed"):
        publish_episode(out, build(article, out, tmp_path / "cache"),
                        podcast_config(tmp_path, None), now=NOW)
        publish_episode(out, build(article, out, tmp_path / "cache"), None, now=NOW)
    assert not (out / "feed.xml").exists()
    assert len(load_index(Store(out))) == 1
    assert "no base_url" in caplog.text


def test_narrate_feed_regenerates_from_the_folder_alone(  # type: ignore[no-untyped-def]
    run_cli,  # noqa: F811  the imported fixture
    site: tuple[Path, Path, PodcastConfig], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "copy"
    shutil.copytree(site[1], out)
    guids = sorted(e.id for e in parsed(out).entries)
    (out / "feed.xml").unlink()
    monkeypatch.chdir(tmp_path)
    shutil.copy(site[0] / "art.png", tmp_path / "art.png")
    (tmp_path / "narrate.toml").write_text(
        '[podcast]\ntitle = "t"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
        'owner_email = "o@example.com"\nartwork = "art.png"\n', encoding="utf-8")
    result = run_cli("feed", str(out), "--base-url", BASE)
    assert result.code == 0, result.err
    assert "2 episodes" in result.out
    assert sorted(e.id for e in parsed(out).entries) == guids
    # Without its index the folder still makes a feed, from the MP3s' tags.
    (out / INDEX_NAME).unlink()
    assert run_cli("feed", str(out), "--base-url", BASE).code == 0
    feed = parsed(out)
    assert feed.bozo == 0 and len(feed.entries) == 2
    assert {e.title for e in feed.entries} == {e.title for e in parsed(site[1]).entries}


def test_missing_artwork_names_the_key(tmp_path: Path) -> None:
    config = parse_config({"podcast": {
        "title": "t", "description": "d", "author": "a", "owner_name": "o",
        "owner_email": "o@example.com", "base_url": BASE}})
    with pytest.raises(ConfigError, match=r"podcast\.artwork is missing"):
        regenerate_feed(tmp_path, config, now=NOW)


# -- the golden feed and the XML text property ------------------------------------------------


def _entries() -> list[FeedItem]:
    one = IndexEntry(
        key="file:///news/monsoon.md", guid="0f6b3d1c-8d5e-5a3f-9c2b-1d4e5f6a7b8c",
        slug="मानसून-की-बारिश", title="मानसून की <अच्छी> बारिश & \"राहत\" ]]>",
        description="इस साल मानसून ने समय पर दस्तक दी।", duration_ms=3_725_480,
        first_built="2025-08-14T06:00:00+00:00", updated="2025-08-15T06:00:00+00:00",
        date="2025-08-14", source="/news/monsoon.md",
    )
    two = IndexEntry(
        key="slug:undated", guid="urn-free-guid", slug="undated", title="बिना तारीख़",
        description="बिना तारीख़", duration_ms=61_499, first_built="2025-08-20T10:15:00+00:00",
        updated="2025-08-20T10:15:00+00:00",
    )
    return [FeedItem(two, 123_456), FeedItem(one, 44_705_760)]


def golden_config() -> PodcastConfig:
    return PodcastConfig(
        title="हमारी ख़बरें", description="दिन की ख़बरें <सुनिए>", author="समाचार डेस्क",
        owner_name="डेस्क", owner_email="podcast@example.com", category="News",
        subcategory="Daily News", base_url="https://news.example.com/पॉडकास्ट/",
        link="https://news.example.com/", artwork="https://news.example.com/art.jpg",
    )


def test_golden_feed_for_a_fixed_clock() -> None:
    data = feed_xml(golden_config(), _entries(), artwork_url="https://news.example.com/art.jpg",
                    now=NOW)
    golden = GOLDEN / "feed.xml"
    if os.environ.get("NARRATE_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data.decode("utf-8") == golden.read_text(encoding="utf-8")
    assert feedparser.parse(data).bozo == 0


def test_invalid_xml_characters_are_dropped_not_fatal() -> None:
    item = _entries()[0]
    broken = FeedItem(IndexEntry(**{**item.entry.__dict__, "title": "a\x00b\x0bc\ud800d"}), 1)
    data = feed_xml(golden_config(), [broken], artwork_url="https://x.example/a.jpg", now=NOW)
    assert feedparser.parse(data).entries[0].title == "abcd"


_SPECIAL = st.sampled_from(["<", ">", "&", '"', "'", "]]>", "<![CDATA[", "&amp;", "<b>", "&#x41;"])
_WORD = st.text(alphabet="कखगमनसअआ इईउ abcXYZ019।,?", min_size=1, max_size=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_SPECIAL, _WORD), min_size=1, max_size=8))
def test_titles_with_xml_specials_round_trip_through_feedparser(parts: list[str]) -> None:
    title = " ".join(" ".join(parts).split())
    if not title:
        return
    item = _entries()[0]
    entry = IndexEntry(**{**item.entry.__dict__, "title": title, "description": title})
    data = feed_xml(golden_config(), [FeedItem(entry, 1)],
                    artwork_url="https://x.example/a.jpg", now=NOW)
    parsed_feed = feedparser.parse(data)
    assert parsed_feed.bozo == 0
    root = etree.fromstring(data)
    assert root.findtext("channel/item/title") == title  # the XML carries the text as text
    if looks_like_html(title):
        # feedparser guesses that RSS text holding an entity reference or a closing tag is
        # HTML and sanitizes it; the XML above still carries exactly the title.
        return
    assert parsed_feed.entries[0].title == title


def test_feedparser_guesses_html_only_for_entity_like_text() -> None:
    assert not looks_like_html('<62%> मतदान & "नतीजे" ]]> <![CDATA[')
    assert looks_like_html("A &amp; B")


def test_chapters_json_agrees_with_the_index(site: tuple[Path, Path, PodcastConfig]) -> None:
    _, out, _ = site
    for entry in load_index(Store(out)):
        chapters = json.loads(entry.files(out)["chapters_json"].read_text(encoding="utf-8"))
        assert chapters["chapters"][-1]["endTime"] * 1000 == pytest.approx(entry.duration_ms)
