"""An article keeps its slug for life: retitled, its episode keeps its page URL (the one an
article's web page embeds) and its file names' stem; the new title is in the tags, the
index and the feed. Slugs an article never published are released for others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.id3 import ID3

pytestmark = pytest.mark.slow

BODY = "\n\nमंडी में आज गेहूं के दाम बढ़े। किसानों ने राहत की सांस ली।\n"


def index(out: Path) -> list[dict[str, object]]:
    episodes: list[dict[str, object]] = json.loads(
        (out / "episodes.json").read_text(encoding="utf-8"))["episodes"]
    return episodes


def test_a_retitled_article_keeps_its_page_url_and_others_take_free_slugs(
    run_cli, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    article, out = tmp_path / "a.md", tmp_path / "out"
    build = ("build", "--out", str(out), "--engine", "espeak")
    article.write_text("# पुराना शीर्षक" + BODY, encoding="utf-8")
    assert run_cli(*build, str(article)).code == 0
    (first,) = index(out)
    assert first["slug"] == "पुराना-शीर्षक"
    for n in range(3):  # retitled, and rebuilt: the page stays where articles embed it
        article.write_text(f"# नया शीर्षक {n}" + BODY, encoding="utf-8")
        result = run_cli(*build, str(article))
        assert result.code == 0, result.err
        (entry,) = index(out)
        assert entry["slug"] == "पुराना-शीर्षक" and entry["guid"] == first["guid"]
        assert entry["title"] == f"नया शीर्षक {n}"
        assert (out / "पुराना-शीर्षक.html").is_file()
        mp3 = out / str(entry["files"]["audio"])  # type: ignore[index]
        assert str(ID3(mp3)["TIT2"]) == f"नया शीर्षक {n}"
        assert not list(out.glob("नया-शीर्षक*"))
    # Another article with the first one's new title takes that title's slug: the
    # retitled article never claimed it.
    other = tmp_path / "b.md"
    other.write_text("# नया शीर्षक 2" + BODY.replace("गेहूं", "चावल"), encoding="utf-8")
    assert run_cli(*build, str(other)).code == 0
    assert {e["slug"] for e in index(out)} == {"पुराना-शीर्षक", "नया-शीर्षक-2"}


def test_claims_an_article_no_longer_needs_are_released(tmp_path: Path) -> None:
    """Before its first publication an article's slug follows its title; the claims it
    leaves are free for others, so numbers do not creep up (नया-शीर्षक-0-10)."""
    from narrate.batch.slugs import SlugBook
    from narrate.model import Article, Section
    from narrate.publish.index import source_key
    from narrate.publish.store import Store
    from narrate.script import build_script

    def script(title: str) -> object:
        return build_script(Article(title=title, sections=(Section("", ("एक वाक्य।",)),)))

    a, b = (str((tmp_path / f"{n}.md").resolve()) for n in "ab")
    book = SlugBook(Store(tmp_path))
    assert book.claim(script("पहला शीर्षक"), a) == "पहला-शीर्षक"  # type: ignore[arg-type]
    for n in range(10):  # retitled again and again, never published
        assert book.claim(script(f"शीर्षक {n}"), a) == f"शीर्षक-{n}"  # type: ignore[arg-type]
    assert book.claim(script("पहला शीर्षक"), b) == "पहला-शीर्षक"  # type: ignore[arg-type]
    assert book.claim(script("शीर्षक 3"), b) == "शीर्षक-3"  # type: ignore[arg-type]
    with Store(tmp_path).reading() as conn:
        claims = dict(conn.execute("SELECT slug, key FROM claims").fetchall())
    assert claims == {"शीर्षक-9": source_key(a, ""), "शीर्षक-3": source_key(b, "")}
