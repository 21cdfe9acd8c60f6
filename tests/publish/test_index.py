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
    entry_of,
    index_text,
    iso,
    load_index,
    new_guid,
    order,
    source_key,
)
from narrate.publish.store import DB_NAME, STATE_DIR, Store

T0 = dt.datetime(2025, 9, 28, 4, 0, tzinfo=dt.UTC)


def _add(out: Path, key: str, slug: str, *, now: dt.datetime = T0,
         date: str | None = None, title: str | None = None) -> IndexEntry:
    """Publish an episode row the way the pipeline does: reserve a version, switch."""
    store = Store(out)
    version = store.reserve(slug, key, "test-run")
    row = {"key": key, "guid": new_guid(key), "slug": slug, "title": title or slug,
           "description": "d", "duration_ms": 1000, "first_built": iso(now),
           "updated": iso(now), "date": date, "source": key, "version": version}
    stored, _ = store.switch(row, page="<p>", fingerprint=None, now=iso(now))
    return entry_of(stored)


def _slugs(out: Path) -> list[str]:
    return [e.slug for e in load_index(Store(out))]


def test_rebuild_keeps_guid_and_first_build_time(tmp_path: Path) -> None:
    first = _add(tmp_path, "file:///a.md", "a")
    later = T0 + dt.timedelta(days=2)
    again = _add(tmp_path, "file:///a.md", "a", now=later)
    assert again.guid == first.guid
    assert again.first_built == first.first_built
    assert again.updated == later.isoformat()
    assert _slugs(tmp_path) == ["a"]
    assert first.version == "" and again.version != ""  # the rebuild has its own names
    states = {v.version: v.state for v in Store(tmp_path).versions()}
    assert states == {"": "previous", again.version: "live"}


def test_the_version_before_previous_is_doomed(tmp_path: Path) -> None:
    for day in range(3):
        _add(tmp_path, "file:///a.md", "a", now=T0 + dt.timedelta(days=day))
    assert sorted(v.state for v in Store(tmp_path).versions()) == ["doomed", "live", "previous"]


def test_a_new_title_keeps_the_guid(tmp_path: Path) -> None:
    first = _add(tmp_path, "file:///a.md", "old-title")
    renamed = _add(tmp_path, "file:///a.md", "new-title", title="नया शीर्षक")
    assert renamed.guid == first.guid
    assert _slugs(tmp_path) == ["new-title"]
    states = {v.slug: v.state for v in Store(tmp_path).versions()}
    assert states == {"old-title": "previous", "new-title": "live"}


def test_same_slug_from_a_new_source_takes_over_the_entry(tmp_path: Path) -> None:
    first = _add(tmp_path, "file:///old/place/a.md", "a")
    moved = _add(tmp_path, "file:///new/place/a.md", "a")
    assert moved.guid == first.guid and _slugs(tmp_path) == ["a"]


def test_two_articles_two_entries_distinct_guids(tmp_path: Path) -> None:
    a = _add(tmp_path, "file:///a.md", "a")
    b = _add(tmp_path, "https://example.com/b", "b")
    assert len(load_index(Store(tmp_path))) == 2 and a.guid != b.guid


def test_newest_first_by_article_date_else_first_build(tmp_path: Path) -> None:
    _add(tmp_path, "k1", "old-news", date="2025-01-01")
    _add(tmp_path, "k2", "undated", now=T0 - dt.timedelta(days=1))
    _add(tmp_path, "k3", "today", date="2025-09-28")
    entries = load_index(Store(tmp_path))
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


def test_the_public_index_holds_no_local_path(tmp_path: Path) -> None:
    local = (tmp_path / "मेरे लेख" / "a.md").as_uri()
    _add(tmp_path, local, "मानसून", title="मानसून <&>", date="2025-09-27")
    _add(tmp_path, "https://news.example.com/b?id=1", "b")
    text = index_text(load_index(Store(tmp_path)))
    assert "मानसून <&>" in text  # readable UTF-8
    assert "file:" not in text and str(tmp_path) not in text and "मेरे लेख" not in text
    data = json.loads(text)
    assert data["version"] == 2
    by_slug = {e["slug"]: e for e in data["episodes"]}
    assert "key" not in by_slug["b"] and "source" not in by_slug["b"]
    assert by_slug["b"]["url"] == "https://news.example.com/b?id=1"
    assert "url" not in by_slug["मानसून"]
    assert by_slug["मानसून"]["files"]["audio"] == "मानसून.mp3"


def test_an_older_index_is_imported_with_every_guid(tmp_path: Path) -> None:
    old = {"version": 1, "episodes": [
        {"key": "file:///a.md", "guid": "guid-a", "slug": "a", "title": "A", "description": "d",
         "duration_ms": 5, "first_built": "2025-01-01T00:00:00+00:00",
         "updated": "2025-01-02T00:00:00+00:00", "date": None, "source": "/a.md"},
        {"key": "slug:b", "guid": "guid-b", "slug": "b", "title": "B", "description": "d",
         "duration_ms": 5, "first_built": "2025-01-03T00:00:00+00:00",
         "updated": "2025-01-03T00:00:00+00:00", "date": "2025-01-03", "source": "-"},
    ]}
    (tmp_path / INDEX_NAME).write_text(json.dumps(old), encoding="utf-8")
    assert {e.slug: e.guid for e in load_index(Store(tmp_path))} == {"a": "guid-a", "b": "guid-b"}
    assert (tmp_path / STATE_DIR / DB_NAME).is_file()
    # a rebuild of the same article keeps the imported GUID
    assert _add(tmp_path, "file:///a.md", "a").guid == "guid-a"


def test_a_derived_index_recovers_guids_when_the_store_is_lost(tmp_path: Path) -> None:
    first = _add(tmp_path, "file:///a.md", "a")
    _add(tmp_path, "file:///a.md", "a")
    (tmp_path / INDEX_NAME).write_text(index_text(load_index(Store(tmp_path))), encoding="utf-8")
    for name in (tmp_path / STATE_DIR).iterdir():
        name.unlink()
    assert [e.guid for e in load_index(Store(tmp_path))] == [first.guid]
    assert _add(tmp_path, "file:///a.md", "a").guid == first.guid  # taken over by slug


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "cannot be read"),
        ('{"episodes": 3}', "expected an object with an episodes list"),
        ('{"episodes": [1]}', "not an object"),
        ('{"version": 1, "episodes": [{"slug": "x"}]}', "episode 'x' is malformed"),
    ],
)
def test_a_broken_index_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / INDEX_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(PublishError, match=message):
        load_index(Store(tmp_path))


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="time zone"):
        _add(tmp_path, "k", "s", now=dt.datetime(2025, 1, 1))

