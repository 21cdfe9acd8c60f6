"""A cache that checks: truncated, noisy, unreadable, read-only and full caches, end to end.

Each test builds a real episode with espeak, damages the cache the way disks and people do,
builds again, and compares the episode with the first build: same length to the
millisecond, the bad clip counted, removed and synthesized again, the build never failed.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mutagen.mp3 import MP3

import narrate.cache
from narrate.batch.run import run_batch
from narrate.cache import ClipCache
from narrate.engines.registry import create_engine
from narrate.pipeline import BuildSettings
from narrate.publish.folder import OutputFolder

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ARTICLE = "# कैश की जाँच\n\nपहला वाक्य यहाँ है। दूसरा वाक्य भी है।\n\n## आगे\n\nतीसरा वाक्य।\n"


def build(article: Path, out: Path, cache: ClipCache) -> tuple[int, int, int]:
    """(duration in ms as mutagen reads it, requests, cache hits) of a forced build."""
    with OutputFolder(out) as folder:
        report = run_batch([str(article)], create_engine("espeak"),
                           BuildSettings(cache_dir=cache.directory), folder=folder,
                           cache=cache, now=lambda: NOW, force=True)
    (result,) = report.results
    assert result.status == "built", result.error
    assert result.episode is not None
    length = round(MP3(result.episode.audio).info.length * 1000)
    return length, result.episode.requests, result.episode.cache_hits


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, Path, Path, int, int]:
    """(article, out, cache folder, first length, chunks) after one build."""
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    out, folder = tmp_path / "out", tmp_path / "cache"
    length, requests, _ = build(article, out, ClipCache(folder))
    return article, out, folder, length, requests


def same(got: tuple[int, int, int], length: int, requests: int, hits: int) -> bool:
    """The build's counts are exact; its length matches within a frame or two (espeak-ng
    does not say a chunk in exactly the same samples every time it is asked)."""
    return abs(got[0] - length) <= 60 and got[1:] == (requests, hits)


def clips(folder: Path) -> list[Path]:
    return sorted(folder.glob("??/*.wav"))


def test_a_truncated_clip_is_caught_removed_and_made_again(
    warm: tuple[Path, Path, Path, int, int], caplog: pytest.LogCaptureFixture
) -> None:
    article, out, folder, length, chunks = warm
    victim = clips(folder)[1]
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2])
    cache = ClipCache(folder)
    assert same(build(article, out, cache), length, 1, chunks - 1)
    assert cache.rejected == 1 and "failed its check" in caplog.text
    again = ClipCache(folder)  # synthesized again, and cached whole
    assert same(build(article, out, again), length, 0, chunks) and again.rejected == 0


def test_a_clip_overwritten_with_noise_is_caught(
    warm: tuple[Path, Path, Path, int, int],
) -> None:
    article, out, folder, length, chunks = warm
    victim = clips(folder)[0]
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 2000] = os.urandom(2000)
    victim.write_bytes(bytes(data))
    cache = ClipCache(folder)
    assert same(build(article, out, cache), length, 1, chunks - 1)
    assert cache.rejected == 1


def test_an_unreadable_clip_is_removed_so_the_next_run_is_well(
    warm: tuple[Path, Path, Path, int, int],
) -> None:
    article, out, folder, length, chunks = warm
    victim = clips(folder)[0]
    victim.unlink()
    victim.symlink_to(victim.name)  # a loop: every read fails with ELOOP, even for root
    with pytest.raises(OSError, match="symbolic links"):
        victim.read_bytes()
    cache = ClipCache(folder)
    assert same(build(article, out, cache), length, 1, chunks - 1)
    assert cache.rejected == 1
    assert victim.is_file() and not victim.is_symlink()
    again = ClipCache(folder)
    assert same(build(article, out, again), length, 0, chunks) and again.rejected == 0


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Any]:
    """Make folders read-only for this process: chmod, or for root (whom modes do not stop)
    the immutable attribute."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        for path in [folder, *(p for p in folder.iterdir() if p.is_dir())]:
            if os.geteuid() == 0:
                done = subprocess.run(["chattr", "+i", str(path)], capture_output=True,
                                      check=False)
                if done.returncode:
                    pytest.skip(f"cannot make a folder read-only as root: {done.stderr!r}")
            else:
                path.chmod(0o555)
            frozen.append(path)

    yield freeze
    for path in frozen:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755)


def test_a_read_only_cache_is_a_warning_and_the_build_goes_on(
    warm: tuple[Path, Path, Path, int, int], read_only: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    article, out, folder, length, chunks = warm
    if shutil.which("chattr") is None and os.geteuid() == 0:
        pytest.skip("no chattr")
    article.write_text(ARTICLE + "\nएक नया वाक्य जो कैश में नहीं है।\n", encoding="utf-8")
    before = sorted(p.name for p in folder.rglob("*"))
    read_only(folder)
    cache = ClipCache(folder)
    new_length, requests, hits = build(article, out, cache)
    assert new_length > length and requests == 1 and hits == chunks  # old clips still read
    assert not cache.writable
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "building without caching" in warnings[0]
    assert sorted(p.name for p in folder.rglob("*")) == before


class _FullDisk(ModuleType):
    """``os`` as the cache module sees it on a full disk: every fsync fails with ENOSPC
    (what a write-back file system reports when the blocks cannot be allocated)."""

    def __init__(self) -> None:
        super().__init__("os")

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_cache_is_a_warning_and_the_build_goes_on(
    warm: tuple[Path, Path, Path, int, int], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    article, out, folder, length, chunks = warm
    shutil.rmtree(folder)
    monkeypatch.setattr(narrate.cache, "os", _FullDisk())
    cache = ClipCache(folder)
    assert same(build(article, out, cache), length, chunks, 0)
    assert not cache.writable and "No space left on device" in caplog.text
    assert clips(folder) == []  # nothing half-written left in the cache
    assert not list(folder.rglob("*.tmp"))


def test_a_swapped_clip_and_check_pair_is_caught(
    warm: tuple[Path, Path, Path, int, int], caplog: pytest.LogCaptureFixture
) -> None:
    """Two clips swapped together with their checks: each check still matches its bytes,
    but not its place; the episode must not say one sentence where the other belongs."""
    article, out, folder, length, chunks = warm
    cues = (out / "कैश-की-जाँच.vtt").read_text(encoding="utf-8")
    first, second = clips(folder)[:2]
    for a, b in ((first, second), (first.with_name(first.name + ".check"),
                                   second.with_name(second.name + ".check"))):
        held = a.read_bytes()
        a.write_bytes(b.read_bytes())
        b.write_bytes(held)
    cache = ClipCache(folder)
    assert same(build(article, out, cache), length, 2, chunks - 2)
    assert cache.rejected == 2 and "belongs to another text" in caplog.text
    captions = [p for p in out.glob("*.vtt") if not p.name.endswith(".chapters.vtt")]
    rebuilt = max(captions, key=lambda p: p.stat().st_mtime_ns).read_text(encoding="utf-8")
    assert _cue_times(rebuilt) == pytest.approx(_cue_times(cues), abs=0.06)


def _cue_times(vtt: str) -> list[float]:
    """Every cue's start and end in seconds, in order."""
    times = re.findall(r"(\d+):(\d\d):(\d\d)\.(\d{3})", vtt)
    return [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in times]
