"""Fail early, fail alone: settings are checked before any synthesis, and one article's
failure (a bug included) is that article's own, with the --json report printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.id3 import ID3

import narrate.pipeline
from tests.cli.test_batch_cli import engine, news  # noqa: F401  the fixtures
from tests.publish.test_artwork import png_bytes
from tests.test_batch import Recording, article

CONFIG = (
    '[podcast]\ntitle = "t"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
    'owner_email = "o@example.com"\nbase_url = "https://news.example.com/pod/"\n'
)


@pytest.mark.parametrize(
    ("artwork", "message"),
    [
        ("missing.png", "cannot be read"),
        ("small.png", "outside 1400–3000 px"),
        (None, "podcast.artwork is missing"),
    ],
)
def test_bad_artwork_is_found_before_any_synthesis(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path,  # noqa: F811
    artwork: str | None, message: str,
) -> None:
    (tmp_path / "small.png").write_bytes(png_bytes(300, 300))
    config = tmp_path / "narrate.toml"
    config.write_text(CONFIG + (f'artwork = "{artwork}"\n' if artwork else ""), "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(news), "--out", str(out), "--config", str(config),
                     "--engine", "espeak", "--json")
    assert result.code == 2, result.err
    assert message in result.err and "podcast.artwork" in result.err
    assert "Traceback" not in result.err
    assert engine.calls == []  # not one chunk was synthesized
    assert not out.exists() or [p.name for p in out.iterdir() if p.name != ".narrate"] == []


def test_a_cover_that_is_no_image_is_found_before_any_synthesis(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path,  # noqa: F811
) -> None:
    cover = tmp_path / "cover.jpg"
    cover.write_text("not a picture", encoding="utf-8")
    result = run_cli("build", str(news / "a-metro.md"), "--out", str(tmp_path / "out"),
                     "--cover", str(cover), "--engine", "espeak")
    assert result.code == 2 and "not a JPEG or PNG image" in result.err
    assert engine.calls == []


@pytest.mark.slow
def test_three_hundred_sections_build_in_a_batch_with_its_report(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, tmp_path: Path,  # noqa: F811
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    sections = "\n".join(f"## खंड {n}\n\nयह खंड {n} है।\n" for n in range(1, 301))
    (folder / "a-long.md").write_text(f"# लंबी सूची\n\n{sections}", encoding="utf-8")
    (folder / "b-short.md").write_text(article("छोटी खबर"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(folder), "--out", str(out), "--engine", "espeak", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert [a["status"] for a in report["articles"]] == ["built", "built"]
    long = next(e for e in report["episodes"] if e["title"] == "लंबी सूची")
    assert len(long["chapters"]) == 300  # the title opens the first section's chapter
    tags = ID3(long["audio"])
    assert len(tags.getall("CHAP")) == 300 and len(tags.getall("CTOC")) == 3  # toc, toc0, toc1


def test_a_bug_in_one_article_is_its_own_failure_and_the_report_is_printed(  # type: ignore[no-untyped-def]
    run_cli, engine: Recording, news: Path, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = narrate.pipeline.write_tags

    def flaky(mp3: Path, **kwargs: object) -> None:
        if kwargs["script"].title == "बारिश आई":  # type: ignore[attr-defined]
            raise ValueError("a bug")
        real(mp3, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(narrate.pipeline, "write_tags", flaky)
    (news / "b-empty.txt").unlink()
    (news / "c-poison.md").unlink()
    result = run_cli("build", str(news), "--out", str(tmp_path / "out"), "--engine", "espeak",
                     "--json")
    assert result.code == 1
    report = json.loads(result.out)
    by_status = {a["status"]: a for a in report["articles"]}
    assert by_status["built"]["source"].endswith("a-metro.md")
    failed = by_status["failed"]
    assert failed["source"].endswith("d-rain.md")
    assert failed["error"].startswith("internal error: ValueError: a bug")
    assert "Traceback" not in result.err
