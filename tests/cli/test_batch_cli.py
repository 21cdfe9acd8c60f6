"""``narrate build`` over many articles: folders, failures named, --fail-fast, --json, resume."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import narrate.cli.build
from narrate.batch.results import ArticleResult
from narrate.cli.build import BatchBar, result_line
from narrate.publish.files import MEDIA
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
    assert list(data) == ["episodes", "articles"]
    # an explicit glob takes the README too: it is narrated like any article
    assert {e["title"] for e in data["episodes"]} >= {"मेट्रो खुली", "बारिश आई"}
    assert len(data["episodes"]) == 3
    assert set(data["episodes"][0]) == {  # each episode exactly as a single build gives it
        "slug", "title", *(f.key for f in MEDIA), "duration_s", "engine", "chapters"}
    articles = {Path(a["source"]).name: a for a in data["articles"]}
    assert list(articles) == ["README.md", "a-metro.md", "c-poison.md", "d-rain.md",
                              "b-empty.txt"]  # the order given
    assert [a["status"] for a in articles.values()] == [
        "built", "built", "failed", "built", "failed"]
    assert articles["c-poison.md"]["error_type"] == "EngineError"
    assert "refused" in articles["c-poison.md"]["error"]
    assert articles["b-empty.txt"]["error_type"] == "ArticleError"
    built = articles["a-metro.md"]
    assert Path(built["audio"]).is_file() and built["requests"] == built["chunks"] > 0
    assert "c-poison.md" in result.err and "b-empty.txt" in result.err
    assert "Traceback" not in result.err

    again = run_cli("build", str(news / "a-metro.md"), str(news / "d-rain.md"),
                    "--out", str(tmp_path / "out"), "--engine", "espeak", "--json")
    assert again.code == 0, again.err
    data = json.loads(again.out)
    assert data["episodes"] == []  # nothing was built…
    assert [(a["status"], a["slug"]) for a in data["articles"]] == [  # …both were kept
        ("skipped", articles["a-metro.md"]["slug"]), ("skipped", articles["d-rain.md"]["slug"])]


def test_fail_fast_stops_at_the_first_failure(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    result = run_cli("build", str(news), "--out", str(tmp_path / "out"), "--engine", "espeak",
                     "--workers", "1", "--fail-fast", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert len(data["episodes"]) == 1
    assert [a["status"] for a in data["articles"]] == [
        "built", "failed", "not_started", "not_started"]
    assert "2 not started because of --fail-fast" in result.err


def test_a_rerun_of_an_unchanged_batch_sends_no_request(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    (news / "b-empty.txt").unlink()
    (news / "c-poison.md").unlink()
    out = tmp_path / "out"
    first = run_cli("build", str(news), "--out", str(out), "--engine", "espeak")
    assert first.code == 0, first.err
    stats = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != ".narrate"}
    engine.calls.clear()
    again = run_cli("build", str(news), "--out", str(out), "--engine", "espeak")
    assert again.code == 0, again.err
    assert again.out.count("unchanged since the last build; skipped") == 2
    assert engine.calls == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != ".narrate"} == stats


def test_one_failing_article_keeps_its_own_error(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path
) -> None:
    result = run_cli("build", str(news / "b-empty.txt"), "--out", str(tmp_path / "out"),
                     "--engine", "espeak")
    assert result.code == 1
    assert result.err.startswith("narrate: error: ") and "b-empty.txt" in result.err
    assert "articles failed" not in result.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_batch_bar_counts_articles_on_a_terminal_only() -> None:
    screen = Terminal()
    bar = BatchBar(4, stream=screen)
    bar.add(ArticleResult("a.md", "built", "a"))
    bar.add(ArticleResult("b.md", "failed", error="empty"))
    bar.add(ArticleResult("c.md", "skipped", "c"))
    frames = screen.getvalue().split("\r\x1b[2K")[1:]  # each redraw clears the line first
    assert frames == [
        f"[{'#' * 6}{' ' * 18}] 1/4 articles · 1 built · 0 skipped · 0 failed",
        f"[{'#' * 12}{' ' * 12}] 2/4 articles · 1 built · 0 skipped · 1 failed",
        f"[{'#' * 18}{' ' * 6}] 3/4 articles · 1 built · 1 skipped · 1 failed",
    ]
    bar.clear()
    assert screen.getvalue().endswith("\r\x1b[2K")  # nothing left on the line

    for quiet, total, stream in ((True, 4, Terminal()), (False, 1, Terminal()),
                                 (False, 4, io.StringIO())):
        silent = BatchBar(total, quiet=quiet, stream=stream)
        silent.add(ArticleResult("a.md", "built", "a"))
        silent.clear()
        assert stream.getvalue() == ""  # quiet, a single article, or not a terminal
        assert silent.counts["built"] == 1


def test_a_failed_article_s_line_names_it_once() -> None:
    line = result_line(ArticleResult("news/b.txt", "failed", error="news/b.txt: empty file"))
    assert line == "news/b.txt  FAILED: empty file"
    other = result_line(ArticleResult("news/c.md", "failed", error="Google refused a chunk"))
    assert other == "news/c.md  FAILED: Google refused a chunk"
