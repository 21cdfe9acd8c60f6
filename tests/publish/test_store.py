"""Builds that share a folder: many processes at once, kills at any moment, a lost store.

Every test here runs the real command (``python -m narrate build``) in real processes with
the espeak engine, and reads the folder back with independent readers (folder_check).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrate.publish.store import Store
from tests.publish.folder_check import (
    check_agreement,
    check_pointers,
    check_settled,
    store_rows,
)
from tests.publish.test_artwork import png_bytes

pytestmark = pytest.mark.slow

TOPICS = ["बारिश", "मेट्रो", "चुनाव", "क्रिकेट", "बाज़ार", "स्कूल", "अस्पताल", "सड़क",
          "बिजली", "पानी", "मौसम"]


def write_articles(folder: Path, round_: int = 0, count: int = 12) -> None:
    """``count`` short articles; the last two share a title (their slugs must differ).
    Round ``r`` edits articles r, r+4 and r+8, so each round rebuilds some and skips some."""
    folder.mkdir(exist_ok=True)
    for n in range(count):
        topic = TOPICS[min(n, len(TOPICS) - 1)]
        edit = sum(1 for r in range(1, round_ + 1) if n % 4 == r % 4)
        body = f"आज {topic} की खबर {n} है। " + "नया वाक्य। " * edit
        (folder / f"{n:02d}.md").write_text(
            f"# {topic} का हाल\n\n{body}\n\n## आगे\n\nकल फिर बात होगी।\n", encoding="utf-8"
        )


def write_config(folder: Path) -> Path:
    (folder / "art.png").write_bytes(png_bytes(1400, 1400))
    config = folder / "narrate.toml"
    config.write_text(
        '[podcast]\ntitle = "ख़बरें"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
        'owner_email = "o@example.com"\nartwork = "art.png"\n'
        'base_url = "https://news.example.com/pod/"\n', encoding="utf-8")
    return config


def narrate(*args: str, cache: Path, **popen: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NARRATE_CACHE_DIR": str(cache), "NARRATE_PIN_WORKERS": "0"}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "narrate", "build", *args, "--engine", "espeak"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
    )


def test_three_processes_build_twelve_articles_into_one_folder_five_times(
    tmp_path: Path,
) -> None:
    news, out, cache = tmp_path / "news", tmp_path / "out", tmp_path / "cache"
    config = write_config(tmp_path)
    guids: dict[str, str] | None = None
    for round_ in range(5):
        write_articles(news, round_)
        procs = [  # all three see the same edited articles and rebuild them at once
            narrate(str(news), "--out", str(out), "--config", str(config), "--json",
                    "--workers", "1", cache=cache)
            for _ in range(3)
        ]
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr.decode()
            report = json.loads(stdout)
            assert len(report["articles"]) == 12
            assert {a["status"] for a in report["articles"]} <= {"built", "skipped"}
        rows = store_rows(out)
        assert len(rows) == 12 and len({r.slug for r in rows}) == 12
        index = check_pointers(out)
        assert len(index) == 12
        if guids is None:
            guids = index
        assert index == guids  # no episode ever gets a new GUID
        assert {r.guid for r in rows} == set(guids.values())
        check_agreement(out)
        check_settled(out)
    assert guids is not None
    assert sorted(s for s in guids if s.startswith("मौसम-का-हाल")) == [
        "मौसम-का-हाल", "मौसम-का-हाल-2"]


def test_kills_at_random_moments_leave_no_mixed_episode_and_nothing_behind(
    tmp_path: Path,
) -> None:
    news, out, cache = tmp_path / "news", tmp_path / "out", tmp_path / "cache"
    config = write_config(tmp_path)
    rng = random.Random(1309)
    write_articles(news, 0, count=6)
    for kill in range(10):
        if kill % 3 == 0:  # new words now and then, so there is something to rebuild
            write_articles(news, kill // 3 + 1, count=6)
        proc = narrate(str(news), "--out", str(out), "--config", str(config), "--force",
                       "--quiet", cache=cache, start_new_session=True)
        time.sleep(rng.uniform(0.3, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        # Right after a kill, before any cleanup: every pointer names whole versions.
        if (out / "episodes.json").exists():
            check_pointers(out)
    final = narrate(str(news), "--out", str(out), "--config", str(config), "--quiet",
                    cache=cache)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr.decode()
    assert len(check_pointers(out)) == 6
    check_agreement(out)
    check_settled(out)


def test_the_work_area_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    """A second process sweeping while the first still stages keeps the first's files."""
    news, out, cache = tmp_path / "news", tmp_path / "out", tmp_path / "cache"
    write_articles(news, 0, count=1)
    sleeper = subprocess.Popen(  # holds a run open: the workspace, then sleeps
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path;"
         "from narrate.publish.folder import OutputFolder;"
         "folder = OutputFolder(Path(sys.argv[1])); (folder.stage() / 'x').write_text('x');"
         "print(folder.work.dir, flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE,
    )
    try:
        assert sleeper.stdout is not None
        live = Path(sleeper.stdout.readline().decode().strip())
        other = narrate(str(news), "--out", str(out), "--quiet", cache=cache)
        _, stderr = other.communicate(timeout=120)
        assert other.returncode == 0, stderr.decode()
        assert live.is_dir() and len(list(live.rglob("x"))) == 1
    finally:
        sleeper.kill()
        sleeper.wait()
    again = narrate(str(news), "--out", str(out), "--quiet", cache=cache)
    assert again.wait(timeout=120) == 0
    check_settled(out)  # the killed run's area is gone now


def test_a_lost_store_keeps_every_guid(tmp_path: Path) -> None:
    news, out, cache = tmp_path / "news", tmp_path / "out", tmp_path / "cache"
    write_articles(news, 0, count=2)
    assert narrate(str(news), "--out", str(out), "--quiet", cache=cache).wait(120) == 0
    before = check_pointers(out)
    for path in (out / ".narrate").iterdir():
        if path.is_file():
            path.unlink()
    rebuilt = narrate(str(news), "--out", str(out), "--quiet", "--force", cache=cache)
    assert rebuilt.wait(120) == 0
    assert check_pointers(out) == before
    assert len(Store(out).episodes()) == 2
