"""No version is orphaned for good: a switch that cannot commit, and a run killed while it
sweeps what an earlier killed run left, both end, after the next run, with no file of the
version that never went live and no pending row for it.

The store is held with ``BEGIN EXCLUSIVE`` from another connection, as another process
holding the database would: the switch (or the sweep) waits for it and gives up, or is
killed while it waits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrate.engines.registry import create_engine
from narrate.errors import PublishError
from narrate.pipeline import BuildSettings, stage_episode
from narrate.publish import store as store_module
from narrate.publish.folder import OutputFolder
from narrate.publish.store import Store

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ARTICLE = "# मंडी का हाल\n\nमंडी में आज गेहूं के दाम बढ़े। किसानों ने राहत की सांस ली।\n"


@contextlib.contextmanager
def held(out: Path) -> Iterator[None]:
    """The folder's database locked by another connection (``BEGIN EXCLUSIVE``)."""
    conn = sqlite3.connect(out / ".narrate" / "state.db", timeout=60, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def versioned_files(out: Path) -> list[str]:
    """Files of versions other than the plain one (``<slug>.<8 hex>.<kind>``)."""
    return sorted(p.name for p in out.iterdir() if re.match(r"[^.]+\.[0-9a-f]{8}\.", p.name))


def rows(out: Path, state: str) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(out / ".narrate" / "state.db")) as conn:
        return list(conn.execute("SELECT slug, version FROM versions WHERE state = ?",
                                 (state,)))


def stage(article: Path, work: Path) -> object:
    folder = work / f"stage-{time.monotonic_ns()}"
    folder.mkdir()
    return stage_episode(str(article), create_engine("espeak"),
                         BuildSettings(cache_dir=work / "cache"), stage_dir=folder)


def test_a_switch_that_cannot_commit_leaves_no_version_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article, out = tmp_path / "a.md", tmp_path / "out"
    article.write_text(ARTICLE, encoding="utf-8")
    with OutputFolder(out) as folder:
        folder.publish(stage(article, tmp_path), now=NOW)  # the plain version is live
    before = sorted(p.name for p in out.iterdir())
    # An edit (the very same files again would publish nothing, so reach no switch).
    article.write_text(ARTICLE + "\nएक और अनुच्छेद जुड़ा।\n", encoding="utf-8")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.5)
    switch = Store.switch
    locks: list[contextlib.ExitStack] = []

    def taken_first(self: Store, *args: object, **kwargs: object) -> object:
        """The versioned files have landed: now another process holds the database."""
        stack = contextlib.ExitStack()
        stack.enter_context(held(out))
        locks.append(stack)
        return switch(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "switch", taken_first)
    with OutputFolder(out) as folder, pytest.raises(PublishError, match="locked"):
        folder.publish(stage(article, tmp_path), now=NOW)
    assert versioned_files(out) == []  # its files went with the failure
    for stack in locks:
        stack.close()
    monkeypatch.undo()
    with OutputFolder(out) as folder:  # the next run
        folder.recover()
    assert rows(out, "pending") == [] and rows(out, "doomed") == []
    assert versioned_files(out) == []
    assert sorted(p.name for p in out.iterdir()) == before


_KILLED_AT_THE_SWITCH = """
import os, signal, sys
from pathlib import Path
from narrate.engines.registry import create_engine
from narrate.pipeline import BuildSettings, stage_episode
from narrate.publish.folder import OutputFolder
from narrate.publish import store as store_module
from narrate.publish.store import Store
import datetime as dt

article, out, work = (Path(a) for a in sys.argv[1:4])
stage = work / "stage-killed"
stage.mkdir()
episode = stage_episode(str(article), create_engine("espeak"),
                        BuildSettings(cache_dir=work / "cache"), stage_dir=stage)
Store.switch = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # renamed, not switched
OutputFolder(out).publish(episode, now=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
"""


def run_narrate(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(Path(sys.executable).with_name("narrate")), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_run_killed_while_it_sweeps_leaves_the_sweep_to_the_next(tmp_path: Path) -> None:
    article, other, out = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "out"
    article.write_text(ARTICLE, encoding="utf-8")
    other.write_text(ARTICLE.replace("गेहूं", "चावल").replace("मंडी का", "बाज़ार का"),
                     encoding="utf-8")
    with OutputFolder(out) as folder:
        folder.publish(stage(article, tmp_path), now=NOW)
    article.write_text(ARTICLE + "\nएक और अनुच्छेद जुड़ा।\n", encoding="utf-8")  # an edit
    # A run killed between moving its version's files in and the switch.
    script = tmp_path / "killed.py"
    script.write_text(textwrap.dedent(_KILLED_AT_THE_SWITCH), encoding="utf-8")
    killed = subprocess.run([sys.executable, str(script), str(article), str(out), str(tmp_path)],
                            capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    orphans = versioned_files(out)
    assert orphans and rows(out, "pending")
    runs = out / ".narrate" / "runs"
    dead_locks = {p.name for p in runs.glob("*.lock")}
    # The next run sweeps while another process holds the database: killed as it waits.
    with held(out):
        sweeper = run_narrate("build", str(other), "--out", str(out), "--engine", "espeak")
        deadline = time.monotonic() + 60
        while not ({p.name for p in runs.glob("*.lock")} - dead_locks):
            assert time.monotonic() < deadline and sweeper.poll() is None
            time.sleep(0.05)
        time.sleep(1.5)  # it has the publish lock and waits for the database
        os.kill(sweeper.pid, signal.SIGKILL)
        sweeper.wait()
    # The one after that finishes the sweep.
    last = run_narrate("build", str(other), "--out", str(out), "--engine", "espeak")
    _, err = last.communicate(timeout=300)
    assert last.returncode == 0, err
    assert rows(out, "pending") == [] and rows(out, "doomed") == []
    assert versioned_files(out) == []
    assert list(runs.iterdir()) == []
