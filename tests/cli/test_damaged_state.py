"""A damaged ``state.db``: one line that says what is wrong and how to recover (remove it:
every GUID survives), never a wrong cause; and recovering as the line says works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTICLE = "# बाज़ार का हाल\n\nमंडी में आज गेहूं के दाम बढ़े। किसानों ने राहत की सांस ली।\n"


def guids(out: Path) -> dict[str, str]:
    index = json.loads((out / "episodes.json").read_text(encoding="utf-8"))
    return {e["slug"]: e["guid"] for e in index["episodes"]}


def _not_a_database(db: Path) -> None:
    db.write_bytes(os.urandom(8192))


def _malformed(db: Path) -> None:
    """Keep SQLite's header, scramble every page after the first."""
    data = bytearray(db.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    db.write_bytes(bytes(data))


def narrate(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it (its own process: no connection outlives it)."""
    command = [str(Path(sys.executable).with_name("narrate")), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("damage", [_not_a_database, _malformed])
def test_a_damaged_store_says_so_and_removing_it_keeps_every_guid(
    tmp_path: Path, damage  # type: ignore[no-untyped-def]
) -> None:
    article, out = tmp_path / "a.md", tmp_path / "out"
    article.write_text(ARTICLE, encoding="utf-8")
    build = ("build", str(article), "--out", str(out), "--engine", "espeak")
    assert narrate(*build).returncode == 0
    before = guids(out)
    db = out / ".narrate" / "state.db"
    assert db.stat().st_size > 4096 and not db.with_name("state.db-wal").exists()
    damage(db)
    failed = narrate(*build, "--force")
    assert failed.returncode == 1
    (line,) = failed.stderr.strip().splitlines()
    assert "is damaged" in line and "not writable" not in line
    assert "remove state.db" in line and "GUID" in line
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        (out / ".narrate" / name).unlink(missing_ok=True)
    assert narrate(*build).returncode == 0
    assert guids(out) == before
