"""Bytes to text: UTF-8 with or without a BOM, UTF-16 (and UTF-32) with a BOM, nothing else.

Guessing legacy encodings would turn a wrongly saved file into confident gibberish read
aloud; a one-line error that names the byte and the fix is kinder.
"""

from __future__ import annotations

from narrate.errors import ArticleError

#: Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: Signatures of files people pass by mistake, so the error can say what the file is.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, ODF or EPUB document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"ID3\x02", "an MP3 file"),
    (b"ID3\x03", "an MP3 file"),
    (b"ID3\x04", "an MP3 file"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)

#: Bytes looked at when guessing whether NULs mean BOM-less UTF-16.
SNIFF_BYTES = 4096
#: Share of Devanagari or ASCII characters that makes NUL-laden bytes UTF-16 text.
UTF16_READABLE_SHARE = 0.9
#: Share of C0 control characters (other than tab and line breaks) that makes text binary.
MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def decode(data: bytes, source: str) -> str:
    """Decode an article's bytes, or raise ArticleError saying why they are not text."""
    if not data:
        raise ArticleError(source, "empty file")
    _refuse_known_binary(data, source)
    for bom, codec in BOMS:
        if data.startswith(bom):
            text = _decode_as(data, codec, source, skip=len(bom))
            break
    else:
        _refuse_nul_bytes(data, source)
        text = _decode_as(data, "utf-8", source, skip=0)
    _refuse_control_characters(text, source)
    if not text.strip():
        raise ArticleError(source, "empty file (only white space)")
    return text


def _refuse_known_binary(data: bytes, source: str) -> None:
    """Name the file type when a known signature shows the file is not text."""
    for signature, what in MAGIC:
        if data.startswith(signature):
            raise ArticleError(source, f"binary file ({what}), not an article")


def _refuse_nul_bytes(data: bytes, source: str) -> None:
    """NUL never occurs in UTF-8 text; say whether it looks like UTF-16 that lost its BOM."""
    if b"\x00" not in data:
        return
    if _looks_like_bomless_utf16(data[:SNIFF_BYTES]):
        raise ArticleError(
            source,
            "UTF-16 text without a byte-order mark. Probable cause: saved as 'UTF-16 (no BOM)';"
            " save it as UTF-8",
        )
    raise ArticleError(source, "binary file (NUL bytes), not an article")


def _looks_like_bomless_utf16(head: bytes) -> bool:
    """NUL bytes, and the bytes read as UTF-16 are almost all Devanagari or plain ASCII.

    Random binary data read as UTF-16 gives characters from all over Unicode; a Hindi or
    English text saved as UTF-16 without its BOM gives back readable text.
    """
    head = head[: len(head) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        readable = sum(1 for ch in text if ch.isascii() or "\u0900" <= ch <= "\u097f")
        if text and readable >= UTF16_READABLE_SHARE * len(text):
            return True
    return False


def _decode_as(data: bytes, codec: str, source: str, *, skip: int) -> str:
    """Decode strictly after ``skip`` BOM bytes, naming the first bad byte and its offset."""
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as e:
        offset = skip + e.start
        bad = data[offset : offset + 1].hex()
        if codec == "utf-8" and not skip:
            reason = (
                f"not UTF-8 or UTF-16 text (invalid byte 0x{bad} at offset {offset})."
                " Probable cause: a legacy encoding; save the file as UTF-8"
            )
        else:
            name = codec.upper().removesuffix("-LE").removesuffix("-BE")
            reason = f"not valid {name} after its byte-order mark ({e.reason} at offset {offset})"
        raise ArticleError(source, reason) from e


def _refuse_control_characters(text: str, source: str) -> None:
    """Valid UTF-8 can still be binary: many control characters give it away."""
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch < " " and ch not in _TEXT_CONTROLS)
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise ArticleError(source, "binary file (control characters), not an article")
