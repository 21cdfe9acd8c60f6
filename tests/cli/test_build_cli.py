"""``narrate build`` end to end with the real offline engine, read back independently."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import mutagen.id3
import pytest

from narrate.ffmpeg import ffmpeg_exe
from narrate.publish.files import EPISODE_FILES, MEDIA

ARTICLE = """---
title: "शहर में <नई> मेट्रो & बस सेवा"
date: 2026-03-02
author: नगर संवाददाता
---

शहर में आज से नई मेट्रो लाइन शुरू हो गई। पहले दिन 12,500 यात्रियों ने सफ़र किया।

## किराया कितना है

न्यूनतम किराया ₹10 और अधिकतम ₹60 रखा गया है। छात्रों को 20% की छूट मिलेगी।

## इस सेवा के बारे में यात्रियों की राय क्या है और आगे क्या बदलने वाला है

यात्रियों ने कहा कि सफ़र आरामदायक रहा, लेकिन स्टेशनों पर पार्किंग कम है।
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "metro.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _ffmpeg_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    """Chapters as the bundled ffmpeg reads them (an independent ID3 reader)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-copyts", "-i", str(mp3), "-f", "ffmetadata", "-"],
        capture_output=True, check=True,
    )
    # only stdout is text we asked for: ffmpeg's console dump on stderr cuts long tag
    # values at a byte count, sometimes inside a Devanagari character
    chapters = []
    for block in proc.stdout.decode("utf-8").split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        scale = eval(fields["TIMEBASE"].replace("/", "/"))
        chapters.append(
            (int(fields["START"]) * scale, int(fields["END"]) * scale, fields["title"])
        )
    return chapters


def left_behind(out: Path) -> list[str]:
    """Public files, and anything in the work area but the folder's state."""
    public = [p.name for p in out.iterdir() if p.name != ".narrate"]
    runs = out / ".narrate" / "runs"
    work = [str(p.relative_to(out)) for p in runs.iterdir()] if runs.is_dir() else []
    return public + work


@pytest.mark.slow
def test_build_writes_an_episode_every_reader_agrees_on(
    run_cli, article: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    result = run_cli("build", str(article), "--out", str(out), "--engine", "espeak", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["episodes"]
    (episode,) = data["episodes"]
    assert set(episode) == {  # the MP3 and every sidecar of the table, by key
        "slug", "title", *(f.key for f in MEDIA), "duration_s", "engine", "chapters"
    }
    assert {"audio", "chapters_json", "captions", "chapters_vtt"} <= set(episode)
    assert episode["engine"] == "espeak"
    assert episode["title"] == "शहर में <नई> मेट्रो & बस सेवा"
    mp3 = Path(episode["audio"])
    assert mp3.parent == out and mp3.is_file()
    assert "/" not in episode["slug"] and "<" not in episode["slug"]
    # nothing else, and no temporary file, in the output folder
    suffixes = [f.suffix for f in EPISODE_FILES]
    assert {".mp3", ".chapters.json", ".vtt", ".chapters.vtt", ".html"} <= set(suffixes)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{episode['slug']}{s}" for s in suffixes] + ["episodes.json", ".narrate"]
    )
    assert list((out / ".narrate" / "runs").iterdir()) == []  # the run's work area is gone

    chapters = episode["chapters"]
    assert [c["title"] for c in chapters] == [
        "शहर में <नई> मेट्रो & बस सेवा",  # the opening chapter carries the title
        "किराया कितना है",
        "इस सेवा के बारे में यात्रियों की राय क्या है और आगे क्या बदलने वाला है",
    ]
    assert chapters[0]["start_s"] == 0
    for a, b in itertools.pairwise(chapters):
        assert a["end_s"] == b["start_s"]
    assert chapters[-1]["end_s"] == episode["duration_s"]

    # ID3 (mutagen) and the bundled ffmpeg agree with the JSON to the millisecond
    tags = mutagen.id3.ID3(mp3)
    assert tags.version[:2] == (2, 3)
    # The embed page names the episode on the lock screen as the MP3's tags do.
    player = lxml.html.fromstring(mp3.with_suffix(".html").read_bytes()).get_element_by_id(
        "np-player"
    )
    assert player.get("data-artist") == str(tags["TPE1"]) and player.get("data-artist")
    assert player.get("data-album") == str(tags["TALB"])
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.start_time, c.end_time) for c in chaps] == [
        (round(c["start_s"] * 1000), round(c["end_s"] * 1000)) for c in chapters
    ]
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == [c["title"] for c in chapters]
    read_back = _ffmpeg_chapters(mp3)
    assert [t for _, _, t in read_back] == [c["title"] for c in chapters]
    assert [round(s, 3) for s, _, _ in read_back] == [c["start_s"] for c in chapters]

    sidecar = json.loads(Path(episode["chapters_json"]).read_text(encoding="utf-8"))
    assert [c["startTime"] for c in sidecar["chapters"]] == [c["start_s"] for c in chapters]
    captions = Path(episode["captions"]).read_text(encoding="utf-8")
    assert captions.startswith("WEBVTT")
    assert "12,500 यात्रियों" in captions  # captions show the text as written
    assert "&lt;नई&gt;" in captions  # and escape it


@pytest.mark.slow
def test_human_summary_and_rebuild_uses_the_cache(
    run_cli, article: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    first = run_cli("build", str(article), "--out", str(out), "--engine", "espeak")
    assert first.code == 0, first.err
    assert "3 chapters" in first.out and "engine espeak" in first.out
    skipped = run_cli("build", str(article), "--out", str(out), "--engine", "espeak")
    assert skipped.code == 0, skipped.err
    assert "unchanged since the last build; skipped" in skipped.out
    second = run_cli("build", str(article), "--out", str(out), "--engine", "espeak", "--force")
    assert second.code == 0, second.err
    match = re.search(r"(\d+) chunks, (\d+) from cache, 0 synthesized", second.out)
    assert match and match.group(1) == match.group(2)


def test_bad_article_leaves_the_output_folder_empty(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    result = run_cli("build", str(empty), "--out", str(out), "--engine", "espeak")
    assert result.code == 1
    assert "empty.txt" in result.err and "Traceback" not in result.err
    assert not out.exists() or left_behind(out) == []


def test_bad_pause_is_a_usage_error(run_cli, article: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", str(article), "--pause", "breath=100", "--engine", "espeak")
    assert result.code == 2
    assert "--pause" in result.err


def test_failure_while_rendering_leaves_nothing_half_written(  # type: ignore[no-untyped-def]
    run_cli, article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import narrate.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(narrate.pipeline, "write_tags", broken)
    out = tmp_path / "out"
    result = run_cli("build", str(article), "--out", str(out), "--engine", "espeak")
    assert result.code == 130
    assert left_behind(out) == []


@pytest.mark.slow
def test_sigterm_during_a_build_leaves_no_partial_file(article: Path, tmp_path: Path) -> None:
    # a long article so the build is still running when the signal arrives
    long_article = tmp_path / "long.md"
    body = "\n\n".join(
        f"## खंड {n}\n\n" + "यह एक लंबा अनुच्छेद है जिसे बार बार पढ़ा जाएगा। " * 40
        for n in range(1, 40)
    )
    long_article.write_text("# लंबी खबर\n\n" + body, encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "NARRATE_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "narrate", "build", str(long_article), "--out", str(out),
         "--engine", "espeak", "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    # wait until the render has started writing into the output folder
    while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert b"Traceback" not in err
    assert left_behind(out) == []
