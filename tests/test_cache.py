"""The clip cache: content-addressed keys, sharded atomic files, size and a safe clear."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from narrate.cache import ENV_VAR, CacheError, CacheSize, ClipCache, clip_key, default_cache_dir

VOICE = {"engine": "gtts", "version": "2.5.4", "voice": "google", "language": "hi",
         "speed": "normal", "tld": "com"}
TEXT = "खेतों में हरियाली लौट आई है।"


def test_key_is_stable_and_order_independent() -> None:
    key = clip_key(VOICE, TEXT)
    assert len(key) == 64
    assert key == clip_key(dict(reversed(list(VOICE.items()))), TEXT)
    # A fixed value: changing the recipe must be deliberate (bump KEY_VERSION).
    assert key == "8c1416bce703ea6ba876b356d186e512a08d6ec3a302ed4666525d975661ad06"


@pytest.mark.parametrize(
    "change",
    [
        {"version": "2.5.5"},
        {"voice": "other"},
        {"language": "en"},
        {"speed": "slow"},
        {"tld": "co.in"},
        {"engine": "espeak"},
    ],
)
def test_key_covers_every_part_of_the_identity(change: dict[str, str]) -> None:
    assert clip_key({**VOICE, **change}, TEXT) != clip_key(VOICE, TEXT)


@pytest.mark.parametrize("other", [TEXT + " ", TEXT[:-1], "खेतों  में हरियाली लौट आई है।"])
def test_key_covers_the_exact_text(other: str) -> None:
    assert clip_key(VOICE, other) != clip_key(VOICE, TEXT)


def test_put_then_get(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    assert cache.get(VOICE, TEXT, "mp3") is None
    path = cache.put(VOICE, TEXT, "mp3", b"ID3audio")
    key = clip_key(VOICE, TEXT)
    assert path == tmp_path / key[:2] / f"{key}.mp3"
    assert path.read_bytes() == b"ID3audio"
    assert cache.get(VOICE, TEXT, "mp3") == path
    assert cache.get(VOICE, TEXT, "wav") is None
    # the clip, its check and the shard's lock; no temporary left
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [path.name, f"{path.name}.check", ".lock"]
    )


def test_an_empty_file_is_a_miss(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    path = cache.put(VOICE, TEXT, "mp3", b"x")
    path.write_bytes(b"")
    assert cache.get(VOICE, TEXT, "mp3") is None


def test_where_it_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert ClipCache().directory == tmp_path / "env"
    assert ClipCache(tmp_path / "given").directory == tmp_path / "given"
    monkeypatch.delenv(ENV_VAR)
    assert default_cache_dir().name == "clips"
    assert "narrate" in default_cache_dir().parts


def test_size_and_clear(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    assert cache.size() == CacheSize(0, 0)
    cache.put(VOICE, "एक", "mp3", b"1234")
    cache.put(VOICE, "दो", "wav", b"123456")
    assert cache.size() == CacheSize(2, 10)
    assert cache.clear() == CacheSize(2, 10)
    assert cache.size() == CacheSize(0, 0)
    assert list((tmp_path / "clips").iterdir()) == []


def test_clear_removes_only_what_the_cache_wrote(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep")
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "thesis.mp3").write_bytes(b"keep")
    (tmp_path / "music").mkdir()
    (tmp_path / "music" / ("a" * 64 + ".mp3")).write_bytes(b"keep")
    cache = ClipCache(tmp_path)
    cache.put(VOICE, TEXT, "mp3", b"clip")
    assert cache.clear().files == 1
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "ab", "ab/thesis.mp3", "music", f"music/{'a' * 64}.mp3", "notes.txt",
    ]


def test_clear_leaves_writes_in_progress_but_removes_stale_ones(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key(VOICE, TEXT)
    (tmp_path / key[:2]).mkdir()
    fresh = tmp_path / key[:2] / f".{key}.abc123.tmp"
    stale = tmp_path / key[:2] / f".{key}.def456.tmp"
    fresh.write_bytes(b"half")
    stale.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    cache.clear()
    assert fresh.exists()
    assert not stale.exists()


def test_an_unwritable_cache_is_a_warning_and_clips_spill(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ClipCache(blocker / "clips")
    cache.spill_to(tmp_path / "spill")
    with caplog.at_level("WARNING", logger="narrate.cache"):
        first = cache.put(VOICE, TEXT, "mp3", b"x")
        second = cache.put(VOICE, "दूसरा", "mp3", b"y")
    assert first.parent == second.parent == tmp_path / "spill"
    assert first.read_bytes() == b"x" and not cache.writable
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "building without caching" in warnings[0]


def test_a_spill_folder_that_cannot_be_written_either_is_one_clear_error(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ClipCache(blocker / "clips")
    cache.spill_to(blocker / "spill")
    with pytest.raises(CacheError, match=r"cannot keep a clip in .*Probable cause"):
        cache.put(VOICE, TEXT, "mp3", b"x")


def _write_many(directory: str, seed: int) -> int:
    cache = ClipCache(directory)
    for n in range(40):
        cache.put(VOICE, f"वाक्य {n}", "mp3", bytes([seed]) * (1000 + n))
    return seed


def test_several_processes_writing_the_same_clips(tmp_path: Path) -> None:
    with multiprocessing.get_context("fork").Pool(4) as pool:
        jobs = [(str(tmp_path), seed) for seed in range(1, 5)]
        pool.starmap_async(_write_many, jobs).get(timeout=60)
    cache = ClipCache(tmp_path)
    assert cache.size().files == 40
    for n in range(40):
        data = (cache.get(VOICE, f"वाक्य {n}", "mp3") or tmp_path).read_bytes()
        assert len(data) == 1000 + n
        assert len(set(data)) == 1  # one writer's bytes, never a mix
    assert not list(tmp_path.rglob("*.tmp"))


def test_paths_refuse_anything_but_a_key(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(ValueError):
        cache.path("../../etc/passwd", "mp3")
    with pytest.raises(ValueError):
        cache.path("a" * 64, "exe")
