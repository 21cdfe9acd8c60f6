"""The episode index: identity by source, stable GUIDs, newest first, atomic and readable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from narrate.errors import PublishError
from narrate.publish.index import (
    INDEX_NAME,
    IST,
    IndexEntry,
    add_episode,
    load_index,
    order,
    source_key,
    upsert,
)

T0 = dt.datetime(2025, 9, 28, 4, 0, tzinfo=dt.UTC)


Upserted = tuple[list[IndexEntry], IndexEntry, list[str]]


def _add(entries: list[IndexEntry], key: str, slug: str, *, now: dt.datetime = T0,
         date: str | None = None, title: str | None = None) -> Upserted:
    return upsert(entries, key=key, slug=slug, title=title or slug, description="d",
                  duration_ms=1000, date=date, source=key, now=now)


def test_rebuild_keeps_guid_and_first_build_time() -> None:
    entries, first, _ = _add([], "file:///a.md", "a")
    later = T0 + dt.timedelta(days=2)
    entries, again, stale = _add(entries, "file:///a.md", "a", now=later)
    assert again.guid == first.guid
    assert again.first_built == first.first_built
    assert again.updated == later.isoformat()
    assert len(entries) == 1 and stale == []


def test_a_new_title_keeps_the_guid_and_drops_the_old_files() -> None:
    entries, first, _ = _add([], "file:///a.md", "old-title")
    entries, renamed, stale = _add(entries, "file:///a.md", "new-title", title="नया शीर्षक")
    assert renamed.guid == first.guid
    assert [e.slug for e in entries] == ["new-title"]
    assert stale == ["old-title"]


def test_same_slug_from_a_new_source_takes_over_the_entry() -> None:
    entries, first, _ = _add([], "file:///old/place/a.md", "a")
    entries, moved, stale = _add(entries, "file:///new/place/a.md", "a")
    assert moved.guid == first.guid and len(entries) == 1 and stale == []


def test_two_articles_two_entries_distinct_guids() -> None:
    entries, a, _ = _add([], "file:///a.md", "a")
    entries, b, _ = _add(entries, "https://example.com/b", "b")
    assert len(entries) == 2 and a.guid != b.guid


def test_newest_first_by_article_date_else_first_build() -> None:
    entries: list[IndexEntry] = []
    entries, _, _ = _add(entries, "k1", "old-news", date="2025-01-01")
    entries, _, _ = _add(entries, "k2", "undated", now=T0 - dt.timedelta(days=1))
    entries, _, _ = _add(entries, "k3", "today", date="2025-09-28")
    assert [e.slug for e in entries] == ["today", "undated", "old-news"]
    today = next(e for e in entries if e.slug == "today")
    assert today.published == T0  # built on the article's own day: the build's time
    old = next(e for e in entries if e.slug == "old-news")
    assert old.published == dt.datetime(2025, 1, 1, tzinfo=IST)
    assert order(reversed(entries)) == entries


def test_source_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert source_key("a.md", "x") == (tmp_path / "a.md").resolve().as_uri()
    assert source_key("https://e.com/n?id=1#top", "x") == "https://e.com/n?id=1"
    assert source_key("-", "slug") == "slug:slug"


def test_add_episode_writes_a_sorted_json_index_atomically(tmp_path: Path) -> None:
    entry = add_episode(tmp_path, slug="मानसून", title="मानसून <&>", source="-",
                        duration_ms=5000, now=T0, date="2025-09-27", description="d")
    raw = (tmp_path / INDEX_NAME).read_text(encoding="utf-8")
    assert "मानसून <&>" in raw  # readable UTF-8
    data = json.loads(raw)
    assert data["version"] == 1 and data["episodes"][0]["guid"] == entry.guid
    assert load_index(tmp_path) == [entry]
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_NAME]  # no temporary file left


def test_add_episode_removes_the_files_of_a_renamed_episode(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    for name in ("old.mp3", "old.vtt", "old.chapters.json", "old.chapters.vtt", "keep.mp3"):
        (tmp_path / name).write_bytes(b"x")
    add_episode(tmp_path, slug="old", title="old", source=str(article), duration_ms=1, now=T0)
    add_episode(tmp_path, slug="new", title="new", source=str(article), duration_ms=1, now=T0)
    assert sorted(p.name for p in tmp_path.iterdir()) == [INDEX_NAME, "keep.mp3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "cannot be read"),
        ('{"episodes": 3}', "expected an object with an episodes list"),
        ('{"episodes": [1]}', "not an object"),
        ('{"episodes": [{"slug": "x"}]}', "episode 'x' is malformed"),
    ],
)
def test_a_broken_index_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / INDEX_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(PublishError, match=message):
        load_index(tmp_path)


def test_naive_clock_is_refused() -> None:
    with pytest.raises(PublishError, match="time zone"):
        _add([], "k", "s", now=dt.datetime(2025, 1, 1))
