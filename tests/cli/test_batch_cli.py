"""``narrate build`` over many articles: folders, failures named, --fail-fast, --json, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import narrate.cli.build
from narrate.synth import EngineChoice
from tests.test_batch import POISON, Recording, article


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Recording:
    recording = Recording()

    def resolve(name: str, **kwargs: object) -> EngineChoice:
        return EngineChoice(recording, name)

    monkeypatch.setattr(narrate.cli.build, "resolve_engine", resolve)
    return recording


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "README.md").write_text("# not an article\n\nकुछ नहीं।\n", encoding="utf-8")
    (folder / "a-metro.md").write_text(article("मेट्रो खुली"), encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-poison.md").write_text(article("खराब खबर", f"यह {POISON} है।"),
                                        encoding="utf-8")
    (folder / "d-rain.md").write_text(article("बारिश आई", "आज बारिश हुई।"), encoding="utf-8")
    return folder


def test_a_folder_builds_the_rest_and_names_both_failures(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli("build", str(news), "--out", str(out), "--engine", "espeak",
                     "--workers", "2")
    assert result.code == 1
    assert "2 of 4 articles failed" in result.err
    assert "b-empty.txt" in result.err and "c-poison.md" in result.err
    assert "Traceback" not in result.err
    assert result.out.count("engine espeak") == 2  # one line per built episode
    titles = {e["title"] for e in json.loads((out / "episodes.json").read_text())["episodes"]}
    assert titles == {"मेट्रो खुली", "बारिश आई"}


def test_json_gives_every_article_s_result(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    result = run_cli("build", str(news / "*.md"), str(news / "b-empty.txt"),
                     "--out", str(tmp_path / "out"), "--engine", "espeak", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert list(data) == ["episodes"]  # the single-build contract, one entry per episode
    # an explicit glob takes the README too: it is narrated like any article
    assert {e["title"] for e in data["episodes"]} >= {"मेट्रो खुली", "बारिश आई"}
    assert len(data["episodes"]) == 3
    assert "c-poison.md" in result.err and "b-empty.txt" in result.err
    assert "Traceback" not in result.err


def test_fail_fast_stops_at_the_first_failure(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    result = run_cli("build", str(news), "--out", str(tmp_path / "out"), "--engine", "espeak",
                     "--workers", "1", "--fail-fast", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert len(data["episodes"]) == 1
    assert "not started" in result.err or "not_started" in result.err


def test_a_rerun_of_an_unchanged_batch_sends_no_request(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    (news / "b-empty.txt").unlink()
    (news / "c-poison.md").unlink()
    out = tmp_path / "out"
    first = run_cli("build", str(news), "--out", str(out), "--engine", "espeak")
    assert first.code == 0, first.err
    stats = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    engine.calls.clear()
    again = run_cli("build", str(news), "--out", str(out), "--engine", "espeak")
    assert again.code == 0, again.err
    assert again.out.count("unchanged since the last build; skipped") == 2
    assert engine.calls == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stats


def test_one_failing_article_keeps_its_own_error(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    result = run_cli("build", str(news / "b-empty.txt"), "--out", str(tmp_path / "out"),
                     "--engine", "espeak")
    assert result.code == 1
    assert result.err.startswith("narrate: error: ") and "b-empty.txt" in result.err
    assert "articles failed" not in result.err
