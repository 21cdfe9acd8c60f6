"""Every bad input is one ArticleError that names the source and the reason; never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from narrate.errors import ArticleError, NarrateError
from narrate.readers import parse_article, read_article
from narrate.readers import source as source_module

HINDI = "यह एक छोटा सा हिंदी लेख है।".encode()

BAD_BYTES = [
    pytest.param(b"", "empty file", id="empty"),
    pytest.param(b" \n\t\r\n ", "empty file (only white space)", id="only-whitespace"),
    pytest.param("\ufeff  \n".encode(), "empty file (only white space)", id="bom-and-space"),
    pytest.param(b"\xef\xbb\xbf", "empty file", id="only-utf8-bom"),
    pytest.param(b"abc\x00\x01\x02\xff\xfe\x00\x00binary", "binary file (NUL bytes)", id="nul"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (a PDF document)", id="pdf"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)", id="png"),
    pytest.param(b"PK\x03\x04\x14\x00", "a ZIP archive", id="docx"),
    pytest.param(b"ID3\x04\x00\x00\x00\x00\x00\x00", "an MP3 file", id="mp3"),
    pytest.param(
        "समाचार".encode() + b" caf\xe9 " + HINDI,
        "not UTF-8 or UTF-16 text (invalid byte 0xe9 at offset 22)",
        id="latin-1-byte",
    ),
    pytest.param(
        "नमस्ते दुनिया".encode("utf-16-le"),
        "UTF-16 text without a byte-order mark",
        id="utf16-le-no-bom-hindi",
    ),
    pytest.param(
        "Hello world".encode("utf-16-be"), "UTF-16 text without a byte-order mark", id="utf16-be"
    ),
    pytest.param(
        b"\xff\xfe" + "नमस्ते".encode("utf-16-le") + b"\x00",
        "not valid UTF-16 after its byte-order mark",
        id="utf16-odd-length",
    ),
    pytest.param(
        b"\xff\xfe" + b"\x00\xd8" + "अ".encode("utf-16-le"),
        "not valid UTF-16 after its byte-order mark",
        id="utf16-lone-surrogate",
    ),
    pytest.param(
        bytes(range(1, 32)) * 8 + HINDI, "binary file (control characters)", id="controls"
    ),
    pytest.param(b"Only English words here.", "no Hindi text to narrate", id="english"),
    pytest.param("१२३ ४५६ ।।".encode(), "no Hindi text to narrate", id="digits-and-danda"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_BYTES)
def test_bad_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as e:
        parse_article(data, source="article.txt")
    assert e.value.source == "article.txt"
    assert reason in e.value.reason
    assert str(e.value).startswith("article.txt: ")
    assert "\n" not in str(e.value)
    assert isinstance(e.value, NarrateError) and isinstance(e.value, ValueError)
    assert e.value.exit_code == 1


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "json"])
def test_no_hindi_in_every_format(fmt: str) -> None:
    data = {
        "txt": b"Just English.",
        "md": b"# Title\n\nJust English.",
        "html": b"<html><body><p>Just English.</p></body></html>",
        "json": b'{"sections": [{"text": "Just English."}]}',
    }[fmt]
    with pytest.raises(ArticleError, match="no Hindi text"):
        parse_article(data, source=f"a.{fmt}")


def test_unknown_format_name() -> None:
    with pytest.raises(ArticleError, match="unknown format 'pdf'"):
        parse_article(HINDI, source="a.txt", fmt="pdf")


def test_missing_file() -> None:
    with pytest.raises(ArticleError) as e:
        read_article("/nonexistent/लेख.txt")
    assert str(e.value) == "/nonexistent/लेख.txt: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as e:
        read_article(str(tmp_path))
    assert e.value.reason.startswith("is a directory")


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (OSError(5, "Input/output error"), "cannot read: Input/output error"),
    ],
)
def test_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, reason: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(HINDI)

    def fail(path: Path, limit: int) -> bytes:
        raise error

    monkeypatch.setattr(source_module, "read_bounded", fail)
    with pytest.raises(ArticleError) as e:
        read_article(str(path))
    assert str(e.value) == f"{path}: {reason}"


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(ArticleError) as e:
        read_article(str(path))
    assert str(e.value) == f"{path}: empty file"


def test_file_over_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(HINDI)
    with pytest.raises(ArticleError, match="too large"):
        read_article(str(path))


def test_empty_stdin() -> None:
    with pytest.raises(ArticleError) as e:
        read_article("-", stdin=io.BytesIO(b""))
    assert e.value.source == "<stdin>"
    assert "empty" in e.value.reason


def test_stdin_over_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "MAX_BYTES", 10)
    with pytest.raises(ArticleError, match="too large"):
        read_article("-", stdin=io.BytesIO(HINDI))


@pytest.mark.parametrize("source", ["ftp://example.com/a.txt", "file:///tmp/a.txt"])
def test_other_url_schemes(source: str) -> None:
    with pytest.raises(ArticleError) as e:
        read_article(source)
    assert e.value.reason == "only http:// and https:// addresses can be fetched"


def test_file_name_with_a_nul_character() -> None:
    with pytest.raises(ArticleError, match="not a usable file name"):
        read_article("a\x00b.txt")
