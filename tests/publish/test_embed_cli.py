"""``narrate embed SLUG``: the snippet, and one line when there is no page."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import narrate.cli.embed
import narrate.cli.podcast  # noqa: F401  narrate init
from narrate.cli import cli
from narrate.model import Timeline
from narrate.publish.embed import SNIPPET_SCRIPT, write_embed_page
from tests.publish.test_embed import make_episode


def test_prints_the_snippet(tmp_path: Path, timeline: Timeline) -> None:
    write_embed_page(tmp_path, make_episode(tmp_path, timeline, slug="barish", title="बारिश"))
    (tmp_path / "barish.chapters.json").write_text('{"title": "बारिश <आज>"}', "utf-8")
    result = CliRunner().invoke(
        cli, ["embed", "barish", "--out", str(tmp_path), "--base-url", "https://ex.in/a"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        '<iframe src="https://ex.in/a/barish.html?theme=light" title="ऑडियो: बारिश &lt;आज&gt;" '
        'lang="hi" '
        'loading="lazy" width="100%" height="160" style="border:0;max-width:46rem;'
        'display:block"></iframe>\n'
        f"<script>{SNIPPET_SCRIPT}</script>\n"
        '<p lang="hi"><a href="https://ex.in/a/barish.html?theme=light">यह लेख सुनें: '
        'बारिश &lt;आज&gt;</a>'
        "</p>\n"
    )


def test_base_url_comes_from_narrate_toml(
    tmp_path: Path, timeline: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "audio"
    out.mkdir()
    write_embed_page(out, make_episode(out, timeline, slug="barish", title="बारिश"))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    config = tmp_path / "narrate.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            '# base_url = "https://example.com/podcast/"', 'base_url = "https://ex.in/pod"'
        ),
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["embed", "barish", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert 'src="https://ex.in/pod/barish.html?theme=light"' in result.output
    # The option still wins over the file.
    result = CliRunner().invoke(
        cli, ["embed", "barish", "--out", str(out), "--base-url", "https://other.in/a"]
    )
    assert 'src="https://other.in/a/barish.html?theme=light"' in result.output


def test_missing_page_is_one_line(tmp_path: Path) -> None:
    from narrate.cli import main

    runner = CliRunner()
    result = runner.invoke(cli, ["embed", "nothing", "--out", str(tmp_path)])
    assert result.exit_code != 0
    try:
        main(["embed", "nothing", "--out", str(tmp_path)])
    except SystemExit as e:
        assert e.code == 1


def test_bad_base_url_is_a_usage_error(tmp_path: Path, timeline: Timeline) -> None:
    from narrate.cli import main

    write_embed_page(tmp_path, make_episode(tmp_path, timeline, slug="x"))
    try:
        main(["embed", "x", "--out", str(tmp_path), "--base-url", "javascript:alert(1)"])
    except SystemExit as e:
        assert e.code == 2
    else:
        raise AssertionError("no exit")


def test_theme_option(tmp_path: Path, timeline: Timeline) -> None:
    write_embed_page(tmp_path, make_episode(tmp_path, timeline, slug="x"))
    result = CliRunner().invoke(cli, ["embed", "x", "--out", str(tmp_path), "--theme", "auto"])
    assert result.exit_code == 0, result.output
    assert result.output.count("x.html?theme=auto") == 2
    result = CliRunner().invoke(cli, ["embed", "x", "--out", str(tmp_path), "--theme", "blue"])
    assert result.exit_code == 2 and "--theme" in result.output
