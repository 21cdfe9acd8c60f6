"""``narrate watch`` and ``narrate build FEED`` as a user runs them (in-process), and the
command lines the docs give."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from pathlib import Path

import feedparser
import pytest

from narrate.cli.watch import parse_duration, parse_since, watch_command
from narrate.errors import UsageError
from narrate.follow.feeds import feed_name, read_feeds_table
from tests.follow.site import Served
from tests.publish.test_store import write_config

DOCS = Path(__file__).parents[2] / "docs" / "newsroom"


@pytest.mark.parametrize(("text", "seconds"), [
    ("10m", 600.0), ("90s", 90.0), ("1h30m", 5400.0), ("600", 600.0), ("0.5", 0.5),
    ("2h", 7200.0),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "0m", "10 minutes", "-5", "m", "1d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError, match="--every"):
        parse_duration(text)


def test_since() -> None:
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert parse_since("2025-08-01") == dt.datetime(2025, 8, 1, tzinfo=ist)
    assert parse_since("2025-08-01T10:00:00Z") == dt.datetime(2025, 8, 1, 10, tzinfo=dt.UTC)
    assert parse_since(None) is None
    with pytest.raises(UsageError, match="--since"):
        parse_since("yesterday")


def test_watch_refuses_files_and_category_feeds_without_a_base_url(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("watch", "news.xml")
    assert result.code == 2 and "http(s) feeds and sitemaps" in result.err
    result = run_cli("watch", "https://news.example.com/rss.xml", "--by", "category",
                     "--engine", "espeak")
    assert result.code == 2 and "base_url" in result.err
    assert "Traceback" not in result.err


def _command_lines() -> list[list[str]]:
    """The narrate watch command lines of the service and the container files."""
    service = (DOCS / "narrate-watch.service").read_text(encoding="utf-8")
    exec_start = re.search(r"ExecStart=(.*?)\n(?!\s)", service.replace("\\\n", " "))
    assert exec_start is not None
    lines = [shlex.split(exec_start.group(1))[1:]]
    docker = (DOCS / "Dockerfile").read_text(encoding="utf-8")
    entry = json.loads(re.search(r"ENTRYPOINT (\[.*\])", docker).group(1))  # type: ignore[union-attr]
    cmd = json.loads(re.search(r"CMD (\[.*\])", docker).group(1))  # type: ignore[union-attr]
    compose = (DOCS / "compose.yaml").read_text(encoding="utf-8")
    command = re.search(r"command: (\[.*?\])", compose, re.DOTALL)
    assert command is not None
    lines += [entry[1:] + cmd, entry[1:] + json.loads(command.group(1))]
    return lines


def test_the_docs_command_lines_are_narrate_s() -> None:
    for args in _command_lines():
        assert args[0] == "watch", args
        context = watch_command.make_context("watch", list(args[1:]))
        assert context.params["sources"], args
        assert parse_duration(context.params["every"]) == 600.0


def test_build_of_a_feed_builds_its_articles_and_the_category_feeds(  # type: ignore[no-untyped-def]
    run_cli, site: Served, tmp_path: Path,
) -> None:
    site.site.publish(1, 2, 3, 4)
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + '\n[feeds]\nby = "category"\n'
                      '[feeds."खेल"]\ntitle = "खेल की ख़बरें"\n', encoding="utf-8")
    assert read_feeds_table(config) is not None
    out = tmp_path / "out"
    result = run_cli("build", site.url("/rss.xml"), "--out", str(out), "--engine", "espeak",
                     "--config", str(config), "--workers", "2", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert sorted(a["source"] for a in report["articles"]) == sorted(
        site.url(a.path) for a in site.site.articles.values())
    assert not site.site.requests_to("/news/khel/3.html")  # carried whole by the feed
    khel = feedparser.parse((out / feed_name("खेल")).read_bytes())
    assert khel.feed.title == "खेल की ख़बरें" and len(khel.entries) == 1
    assert (out / feed_name("देश")).is_file()
    # Again: nothing changed, nothing built.
    again = run_cli("build", site.url("/rss.xml"), "--out", str(out), "--engine", "espeak",
                    "--config", str(config), "--json")
    assert {a["status"] for a in json.loads(again.out)["articles"]} == {"skipped"}


def test_build_of_an_article_url_fetches_it_once(  # type: ignore[no-untyped-def]
    run_cli, site: Served, tmp_path: Path,
) -> None:
    site.site.publish(2)
    page = site.url(site.site.articles[2].path)
    result = run_cli("build", page, "--out", str(tmp_path / "out"), "--engine", "espeak")
    assert result.code == 0, result.err
    assert [r[1] for r in site.site.requests_to()] == [site.site.articles[2].path]
    missing = run_cli("build", site.url("/nope.xml"), "--out", str(tmp_path / "out"),
                      "--engine", "espeak")
    assert missing.code == 1 and "HTTP 404" in missing.err and "Traceback" not in missing.err


def test_watch_once(run_cli, site: Served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site.site.publish(1, 2)
    site.extra["/bad.xml"] = (404, b"", "text/plain", {})
    out = tmp_path / "out"
    result = run_cli("watch", site.url("/atom.xml"), site.url("/bad.xml"), "--once",
                     "--out", str(out), "--engine", "espeak")
    assert result.code == 1  # a source failed
    assert result.out.count(" built ") == 2
    assert "FAILED: HTTP 404" in result.out and "round" in result.out
    assert "the round had failures: 0 articles, 1 sources" in result.err
    assert (out / "episodes.json").is_file()
