"""Nothing left behind: processes killed (SIGKILL) while they write the clip cache or build
an episode leave no temporary file that the next run does not find and remove.

Every test here gives the processes it kills their own ``TMPDIR``, so that anything they
leave in the temporary folder is seen (and nothing of other tests is counted).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from narrate.cache import ClipCache
from tests.fakes.bench import bench_gtts, script_module

VOICE = {"engine": "test", "voice": "v"}

_WRITER = """
import sys
from narrate.cache import ClipCache
cache = ClipCache(sys.argv[1])
print("ready", flush=True)
n = 0
while True:  # until killed: clips big enough that most kills land inside a write
    cache.put({"engine": "test", "voice": "v"}, f"वाक्य {n % 50}", "mp3", bytes([n % 251]) * 400_000)
    n += 1
"""


def private_env(tmp: Path, cache: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process under test (``base``, else this one's) with its own
    TMPDIR and clip cache."""
    tmp.mkdir(parents=True, exist_ok=True)
    return {**(os.environ if base is None else base), "TMPDIR": str(tmp),
            "NARRATE_CACHE_DIR": str(cache)}


def kill_after(proc: subprocess.Popen[bytes], seconds: float) -> None:
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


def leftovers(folder: Path) -> list[str]:
    """Files in the cache that are neither clips, checks nor shard locks."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        name = path.name
        ours = name == ".lock" or name.endswith((".mp3", ".wav", ".mp3.check", ".wav.check"))
        if ours and path.parent.parent == folder and len(path.parent.name) == 2:
            continue
        found.append(str(path.relative_to(folder)))
    return found


def test_cache_writes_killed_leave_nothing_once_the_cache_is_used_again(
    tmp_path: Path,
) -> None:
    folder, tmp = tmp_path / "cache", tmp_path / "tmp"
    script = tmp_path / "writer.py"
    script.write_text(textwrap.dedent(_WRITER), encoding="utf-8")
    rng = random.Random(23)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, str(script), str(folder)],
                                stdout=subprocess.PIPE, env=private_env(tmp, folder))
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        kill_after(proc, rng.uniform(0.05, 0.4))
    cache = ClipCache(folder)  # the next run: its first use sweeps what the killed ones left
    cache.get(VOICE, "वाक्य 0", "mp3")
    assert leftovers(folder) == []
    assert list(tmp.iterdir()) == []


def article(n: int, count: int = 40) -> str:
    """An article of ``count`` sentences, different for each ``n`` (so each build asks
    Google)."""
    words = ["बारिश", "किसान", "मंडी", "फसल", "बाज़ार", "सड़क", "स्कूल", "अस्पताल"]
    sentences = [f"{words[(n + i) % 8]} के बारे में ख़बर संख्या {n * 1000 + i} आई है।"
                 for i in range(count)]
    return f"# ख़बर {n}\n\n" + "\n\n".join(" ".join(sentences[i:i + 4])
                                         for i in range(0, count, 4)) + "\n"


def folder_leftovers(out: Path) -> list[str]:
    """What a run left in the output folder's work area (nothing once runs are over)."""
    runs = out / ".narrate" / "runs"
    return sorted(str(p.relative_to(out)) for p in runs.iterdir()) if runs.is_dir() else []


@pytest.mark.slow
def test_gtts_builds_killed_leave_nothing_after_the_next_run(tmp_path: Path) -> None:
    pytest.importorskip("trustme")
    bench = bench_gtts()
    folder, tmp, out = tmp_path / "cache", tmp_path / "tmp", tmp_path / "out"
    narrate = str(Path(sys.executable).with_name("narrate"))
    rng = random.Random(5)
    with bench.stand_in(0.03) as server:
        env = private_env(tmp, folder, bench.proxy_env(server.url, server.ca))
        for n in range(8):
            source = tmp_path / f"a{n}.md"
            source.write_text(article(n), encoding="utf-8")
            proc = subprocess.Popen([narrate, "build", str(source), "--engine", "gtts",
                                     "--out", str(out), "--jobs", "8"],
                                    env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            kill_after(proc, rng.uniform(0.6, 1.6))
        last = tmp_path / "last.md"
        last.write_text(article(99), encoding="utf-8")
        done = subprocess.run([narrate, "build", str(last), "--engine", "gtts", "--out",
                               str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list(tmp.iterdir()) == []
    assert leftovers(folder) == []
    assert folder_leftovers(out) == []


def _wait_gone(session: int, timeout: float = 60) -> None:
    """Until no process of the killed build's session is left (its workers exit when
    their scheduler, in the killed driver, is gone)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.killpg(session, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > deadline:
            os.killpg(session, signal.SIGKILL)
            raise AssertionError("the killed build's processes did not end")
        time.sleep(0.2)


@pytest.mark.slow
def test_cluster_builds_killed_leave_nothing_after_the_next_run(tmp_path: Path) -> None:
    """``--cluster local``: a worker killed mid-article, the driver interrupted (SIGINT)
    and the driver killed (SIGKILL); then one plain build."""
    pytest.importorskip("distributed")
    folder, tmp, out = tmp_path / "cache", tmp_path / "tmp", tmp_path / "out"
    env = private_env(tmp, folder)
    narrate = str(Path(sys.executable).with_name("narrate"))
    for n, (when, how) in enumerate([(4.0, "worker"), (5.0, signal.SIGINT),
                                     (5.0, signal.SIGKILL)]):
        news = tmp_path / f"news{n}"
        news.mkdir()
        for k in range(3):
            # Long enough that the build is still speaking when the signal lands.
            (news / f"a{k}.md").write_text(article(10 * n + k, 200), encoding="utf-8")
        proc = subprocess.Popen([narrate, "build", str(news), "--engine", "espeak", "--out",
                                 str(out), "--cluster", "local", "--workers", "2"],
                                env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        if how == "worker":
            deadline = time.monotonic() + 60
            dask_workers = script_module("bench_soak").dask_workers
            while not (workers := dask_workers(proc.pid)) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert workers, "no Dask worker to kill"
            time.sleep(when / 2)  # mid-article
            assert proc.poll() is None, "the build ended before its worker was killed"
            os.kill(workers[0], signal.SIGKILL)
            proc.wait(300)  # the article runs again on the other worker
        else:
            time.sleep(when)
            assert proc.poll() is None, "the build ended before it was stopped"
            proc.send_signal(how)
            proc.wait(120)
        _wait_gone(proc.pid)
    last = tmp_path / "last.md"
    last.write_text(article(99), encoding="utf-8")
    done = subprocess.run([narrate, "build", str(last), "--engine", "espeak", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*")) == []
    assert leftovers(folder) == []
    assert folder_leftovers(out) == []
