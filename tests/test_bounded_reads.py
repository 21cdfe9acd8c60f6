"""Bounded reads: special files (``/dev/zero``, FIFOs, links to them) wherever narrate reads a
file: the article, a folder of articles, ``--lexicon``, cached clips and their checks.

Each case runs as its own process under an address-space cap (a runaway read fails there
instead of taking the machine's memory) and is measured alone (``os.wait4``): refused with
one line, in well under a second of CPU and under 100 MB at its peak, never hanging.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.limits import Measured, measure, measure_narrate

ARTICLE = "बस सेवा\n\nशहर में आज से नई बस सेवा शुरू हो गई है। पहले दिन दस हज़ार लोगों ने सफ़र किया।\n"
#: What a refusal may cost at most.
CPU_S = 1.0
PEAK_MB = 100.0


def _zero(folder: Path, name: str) -> Path:
    return Path("/dev/zero")


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def _link_to_zero(folder: Path, name: str) -> Path:
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


def _link_to_fifo(folder: Path, name: str) -> Path:
    target = _fifo(folder, f"pipe-{name}")
    path = folder / name
    path.symlink_to(target)
    return path


SPECIAL: dict[str, Callable[[Path, str], Path]] = {
    "dev-zero": _zero, "fifo": _fifo, "link-to-zero": _link_to_zero,
    "link-to-fifo": _link_to_fifo,
}


def refused_at_once(run: Measured) -> None:
    """One line, exit code 1 or 2, bounded CPU and memory, no traceback."""
    assert run.code in (1, 2), (run.code, run.stderr[-500:])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a regular file" in lines[0], run.stderr[-500:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert run.cpu_s < CPU_S, run
    assert run.peak_mb < PEAK_MB, run


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_an_article_that_is_a_special_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = SPECIAL[kind](tmp_path, "article.txt")
    refused_at_once(measure_narrate("script", str(path)))


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_lexicon_that_is_a_special_file_is_refused(tmp_path: Path, kind: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    lexicon = SPECIAL[kind](tmp_path, "names.tsv")
    run = measure_narrate("script", str(article), "--lexicon", str(lexicon))
    refused_at_once(run)
    assert str(lexicon) in run.stderr


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_cover_that_is_a_special_file_is_refused(tmp_path: Path, kind: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    cover = SPECIAL[kind](tmp_path, "cover.jpg")
    run = measure_narrate("build", str(article), "--cover", str(cover), "--engine", "espeak",
                          "--out", str(tmp_path / "out"))
    refused_at_once(run)
    assert run.code == 2  # a setting, checked before any synthesis


@pytest.mark.slow
def test_special_files_in_a_folder_fail_alone(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "good.txt").write_text(ARTICLE, encoding="utf-8")
    _link_to_zero(news, "zero.txt")
    _fifo(news, "pipe.md")
    out = tmp_path / "out"
    run = measure_narrate("build", str(news), "--engine", "espeak", "--out", str(out),
                          "--workers", "1", timeout=120)
    assert run.code == 1, run.stderr[-800:]
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert "zero.txt: is a character device, not a regular file" in run.stderr
    assert "pipe.md: is a FIFO (named pipe), not a regular file" in run.stderr
    assert [p.name for p in out.glob("*.mp3")] == ["बस-सेवा.mp3"]
    assert run.peak_mb < 4 * PEAK_MB, run  # the whole build, ffmpeg and espeak-ng included


_CACHE_SCRIPT = """
import os, sys, time
from pathlib import Path
from narrate.cache import ClipCache
from narrate.engines.espeak_engine import pcm_to_wav
folder, kind, victim = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
voice = {"engine": "test", "voice": "v"}
cache = ClipCache(folder)
clip = cache.put(voice, "पहला वाक्य", "wav", pcm_to_wav(b"\\x01\\x00" * 22050, 22050))
target = clip if victim == "clip" else clip.with_name(clip.name + ".check")
target.unlink()
if kind == "fifo":
    os.mkfifo(target)
else:
    target.symlink_to("/dev/zero")
start = time.process_time()
found = cache.get(voice, "पहला वाक्य", "wav")
print(found, cache.rejected, not target.exists() and not target.is_symlink())
"""


@pytest.mark.parametrize("victim", ["clip", "check"])
@pytest.mark.parametrize("kind", ["fifo", "link-to-zero"])
def test_a_cached_clip_or_check_that_is_a_special_file_is_rejected(
    tmp_path: Path, kind: str, victim: str
) -> None:
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(_CACHE_SCRIPT), encoding="utf-8")
    run = measure([sys.executable, str(script), str(tmp_path / "cache"), kind, victim])
    assert run.code == 0, run.stderr[-800:]
    assert run.stdout.split() == ["None", "1", "True"]  # a miss, counted, removed
    assert "not a regular file" in run.stderr  # the one warning names why
    assert run.cpu_s < 2 * CPU_S and run.peak_mb < PEAK_MB, run  # Python and numpy start
