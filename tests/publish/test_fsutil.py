"""narrate.fsutil: atomic writes, safe slugs, paths kept inside the output folder."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate.errors import PublishError
from narrate.fsutil import (
    DANGLING,
    SLUG_MAX_BYTES,
    FileTooLargeError,
    NotRegularFileError,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    inside,
    read_bounded,
    safe_slug,
)
from tests.test_bounded_reads import SPECIAL

# --- atomic writes ----------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")
    atomic_write_text(target, "नया\n")
    assert target.read_bytes() == "नया\n".encode()
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_atomic_files_are_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "episode.mp3"
    atomic_write_bytes(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit, OSError])
def test_interrupted_writes_leave_the_old_file_and_no_temp(
    tmp_path: Path, error: type[BaseException]
) -> None:
    target = tmp_path / "a.mp3"
    target.write_bytes(b"old")
    with pytest.raises(error), atomic_path(target, suffix=".mp3") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".a.mp3.")
        assert tmp.suffix == ".mp3"
        tmp.write_bytes(b"half")
        raise error
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp3"]


def test_nothing_is_created_when_interrupted(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "new.vtt"):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


# --- slugs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("मानसून की अच्छी बारिश", "मानसून-की-अच्छी-बारिश"),
        # cut to 80 bytes, and not left hanging on a postposition (…-बारिश-से)
        ("मानसून की अच्छी बारिश से किसानों को राहत", "मानसून-की-अच्छी-बारिश"),
        ("विशेषज्ञ क्या कहते हैं?", "विशेषज्ञ-क्या-कहते-हैं"),
        ("GST 2.0: दरें घटीं।", "gst-2-0-दरें-घटीं"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "episode-1"),
        ("  .hidden  ", "hidden"),
        ("a/b\\c\x00d\ne", "a-b-c-d-e"),
        ("CON", "con-1"),
        ("lpt1", "lpt1-1"),
        ("क्‍ष ज़\u200cरा", "क्ष-ज़रा"),  # ZWJ/ZWNJ dropped, nukta kept (NFC)
        ("\u093f\u093eकिताब", "किताब"),  # stray leading vowel signs
        ("२०२५ का बजट", "२०२५-का-बजट"),  # Devanagari digits kept
    ],
)
def test_slugs(title: str, slug: str) -> None:
    assert safe_slug(title, "episode-1") == slug


def test_fallbacks() -> None:
    assert safe_slug("???", "episode-7") == "episode-7"
    assert safe_slug("", "../x") == "x"
    assert safe_slug("—", "") == "episode"


def test_long_titles_are_cut_between_graphemes_and_words() -> None:
    title = "किसानों को सिंचाई पर करोड़ों रुपये ख़र्च करने पड़े हैं और आगे भी यही हाल रहने की आशंका है"
    slug = safe_slug(title, "x")
    assert len(slug.encode()) <= SLUG_MAX_BYTES
    assert title.replace(" ", "-").startswith(slug)
    assert not slug.endswith("-")
    assert title.split()[len(slug.split("-"))] not in slug  # cut at a word boundary


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        # a cut slug sheds the words that need the next one, however many
        ("सरकार के फ़ैसले के ख़िलाफ़ किसानों और मज़दूरों का प्रदर्शन", "सरकार-के-फ़ैसले"),
        ("बाढ़ से प्रभावित परिवारों के लिए राहत सामग्री रवाना", "बाढ़-से-प्रभावित-परिवारों"),
        ("Monsoon arrives in Kerala and the rest of the south", "monsoon-arrives-in-kerala"),
        # a whole title keeps its last word, whatever it is
        ("किसके लिए", "किसके-लिए"),
        ("बारिश और", "बारिश-और"),
    ],
)
def test_a_cut_slug_does_not_end_on_a_word_that_needs_the_next(title: str, slug: str) -> None:
    assert safe_slug(title, "x", max_bytes=30 if title.isascii() else 70) == slug


@given(st.lists(st.sampled_from([*DANGLING, "बारिश", "राहत", "किसान"]), min_size=1,
                max_size=30))
def test_no_cut_slug_ends_on_a_dangling_word(words: list[str]) -> None:
    title = " ".join(words)
    slug = safe_slug(title, "x", max_bytes=40)
    whole = "-".join(w.lower() for w in words)
    if slug != whole and "-" in slug:  # cut (and not down to a single word)
        assert slug.rsplit("-", 1)[-1] not in DANGLING


def test_a_single_long_word_is_cut_inside_but_not_inside_a_cluster() -> None:
    word = "क्षत्रिय" * 20
    slug = safe_slug(word, "x", max_bytes=40)
    assert len(slug.encode()) <= 40
    assert unicodedata.category(word[len(slug)])[0] != "M"
    assert not slug.endswith("\u094d")


@given(st.text(max_size=200), st.text(max_size=30))
def test_slugs_are_always_safe_file_names(title: str, fallback: str) -> None:
    slug = safe_slug(title, fallback)
    assert slug
    assert len(slug.encode("utf-8")) <= SLUG_MAX_BYTES
    assert not slug.startswith((".", "-"))
    assert slug not in {".", ".."}
    assert not any(c in slug for c in "/\\\0:*?\"<>| \t\n.")
    assert all(unicodedata.category(c)[0] in "LMN" or c == "-" for c in slug)
    assert unicodedata.normalize("NFC", slug) == slug


# --- inside ---------------------------------------------------------------------------------


def test_inside_accepts_plain_names(tmp_path: Path) -> None:
    assert inside(tmp_path, "मानसून.mp3") == tmp_path.resolve() / "मानसून.mp3"


@pytest.mark.parametrize("name", ["../x.mp3", "/etc/passwd", "", ".", "a/../../x", "a\0b"])
def test_inside_refuses_escapes(tmp_path: Path, name: str) -> None:
    with pytest.raises(PublishError):
        inside(tmp_path, name)


def test_inside_refuses_symlinks_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    base = tmp_path / "audio"
    base.mkdir()
    (base / "link").symlink_to(outside)
    with pytest.raises(PublishError, match="outside"):
        inside(base, "link/x.mp3")


def test_remove_temps_sweeps_what_an_interrupted_write_left(tmp_path: Path) -> None:
    from narrate.fsutil import remove_temps

    final = tmp_path / "खबर.chapters.json"
    leftovers = [tmp_path / ".खबर.chapters.json.1a2b3c4d.json",
                 tmp_path / "..खबर.chapters.json.1a2b3c4d.json.9f8e7d6c.json"]
    kept = [final, tmp_path / ".other.chapters.json.1a2b3c4d.json", tmp_path / "खबर.mp3"]
    for path in leftovers + kept:
        path.write_text("x", encoding="utf-8")
    remove_temps(final)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kept)


# --- bounded reads ---------------------------------------------------------------------------


def test_read_bounded_reads_a_file_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    with pytest.raises(FileTooLargeError, match="larger than 9 bytes"):
        read_bounded(path, 9)
    link = tmp_path / "link"
    link.symlink_to(path)
    assert read_bounded(link, 10) == b"x" * 10  # a link to a regular file is that file


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_read_bounded_refuses_special_files(tmp_path: Path, kind: str) -> None:
    path = SPECIAL[kind](tmp_path, "f")
    with pytest.raises(NotRegularFileError, match="not a regular file"):
        read_bounded(path, 1 << 20)


def test_read_bounded_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFileError, match="a folder, not a regular file"):
        read_bounded(tmp_path, 10)
