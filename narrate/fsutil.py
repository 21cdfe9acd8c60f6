"""Files written safely: atomic replacement, safe slugs, paths that cannot leave a folder.

Everything narrate publishes (the MP3, its sidecars, the feed) is first written to a temporary
file in the destination folder and then renamed over the final name with :func:`os.replace`,
so a reader never sees half a file and an interrupted run (an exception, Ctrl-C, or SIGTERM
turned into an exception by the command line) leaves nothing behind.

Slugs are Unicode: a Hindi title gives a Hindi file name (``मानसून-की-अच्छी-बारिश``). Dropping
Devanagari for ASCII would leave nothing of most titles and transliteration is a guess; file
systems take UTF-8 names and feed URLs percent-encode them, which every podcast client reads.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from narrate.errors import PublishError

#: The longest slug in UTF-8 bytes: far below the 255-byte name limit of common file systems,
#: leaving room for suffixes such as ``.chapters.json`` and for temporary-file decorations.
SLUG_MAX_BYTES = 80

#: Names Windows reserves whatever the extension; a slug equal to one gets a suffix.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)

_VIRAMA = frozenset("\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d")


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: fsync the folder where the platform allows it."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on directories; the rename still happened
        pass
    finally:
        os.close(fd)


def _create_temp(folder: Path, prefix: str, suffix: str) -> Path:
    """Create an empty file with a fresh name; mode 0666 less the umask (``mkstemp`` would
    make it 0600, and the published MP3 must stay readable by a web server)."""
    for _ in range(100):
        candidate = folder / f"{prefix}{secrets.token_hex(4)}{suffix}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"no free temporary name in {folder}")


@contextlib.contextmanager
def atomic_path(
    path: Path, *, suffix: str = ".tmp", tmp_dir: Path | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (or in ``tmp_dir``, a folder on the same file
    system, such as a run's work area); on success it replaces ``path``.

    The temporary name starts with a dot and ends with ``suffix`` (pass the real extension
    when a tool guesses the format from the name). On any exception, KeyboardInterrupt
    included, the temporary file is removed and ``path`` is left as it was. A kill leaves
    the temporary file where it was made: in ``tmp_dir``, a later run sweeps it.
    """
    folder = path.parent
    tmp = _create_temp(tmp_dir or folder, f".{path.name}.", suffix)
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def remove_temps(path: Path) -> None:
    """Remove temporary files :func:`atomic_path` may have left beside ``path``.

    A signal turned into an exception can land between creating a temporary file and the
    ``try`` that would remove it; a caller that saw an exception sweeps with this.
    """
    name = glob.escape(path.name)
    # ``.name.XXXX`` and, for a temporary written through another one, ``..name.XXXX.YYYY``
    for pattern in (f".{name}.*", f"..{name}.*"):
        for tmp in path.parent.glob(pattern):
            tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes, *, tmp_dir: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file (see :func:`atomic_path`) and a
    rename."""
    with atomic_path(path, tmp_dir=tmp_dir) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: Path, text: str, *, tmp_dir: Path | None = None) -> None:
    """Write ``text`` as UTF-8 (``\\n`` line ends on every platform) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), tmp_dir=tmp_dir)


def _keep(char: str) -> bool:
    """Letters, combining marks and digits of any script make a slug; the rest separates words.

    Marks must stay: a Devanagari word without its vowel signs and viramas is another word.
    Format characters (ZWJ/ZWNJ) are dropped: invisible in a file name and easy to mistype.
    """
    return unicodedata.category(char)[0] in "LMN"


def _can_cut_before(text: str, i: int) -> bool:
    """True when cutting ``text`` before index ``i`` does not split a grapheme cluster
    (a base letter and its marks) or a conjunct (a consonant, virama, consonant)."""
    if i <= 0 or i >= len(text):
        return True
    if unicodedata.category(text[i])[0] == "M":
        return False
    return text[i - 1] not in _VIRAMA


#: Words a slug cut short must not end on: the cut would leave the name hanging on a
#: word that only points at the next one ("…-बारिश-से", rain from …). Each with its reason;
#: only a slug that was cut is trimmed (a whole title keeps its own last word).
DANGLING: dict[str, str] = {
    "का": "postposition (of), needs its noun after",
    "की": "postposition (of), needs its noun after",
    "के": "postposition (of), needs its noun after",
    "को": "postposition (to), needs its noun after",
    "से": "postposition (from, with), needs its noun after",
    "में": "postposition (in), needs its noun after",
    "पर": "postposition (on), needs its noun after",
    "ने": "ergative marker, needs its verb after",
    "तक": "postposition (until), needs its noun after",
    "लिए": "second half of के लिए (for), needs its noun after",
    "द्वारा": "postposition (by), needs its noun after",
    "और": "conjunction (and), joins to what follows",
    "एवं": "conjunction (and), joins to what follows",
    "व": "conjunction (and), joins to what follows",
    "या": "conjunction (or), joins to what follows",
    "कि": "conjunction (that), opens what follows",
    "of": "preposition, needs its noun after",
    "the": "article, needs its noun after",
    "and": "conjunction, joins to what follows",
    "to": "preposition, needs its noun after",
    "in": "preposition, needs its noun after",
    "for": "preposition, needs its noun after",
}


def _truncate(slug: str, max_bytes: int) -> str:
    """Cut ``slug`` to ``max_bytes`` of UTF-8, preferably at a word, never inside a cluster,
    and never ending on a word that needs the next one (:data:`DANGLING`)."""
    if len(slug.encode("utf-8")) <= max_bytes:
        return slug
    end = 0
    size = 0
    for i, char in enumerate(slug):
        size += len(char.encode("utf-8"))
        if size > max_bytes:
            break
        if _can_cut_before(slug, i + 1):
            end = i + 1
    cut = slug[:end]
    word_end = cut.rfind("-")
    if word_end > len(cut) // 2:  # a whole word is dropped only if that does not halve the slug
        cut = cut[:word_end]
    words = cut.strip("-").split("-")
    while len(words) > 1 and words[-1] in DANGLING:
        words.pop()
    return "-".join(words)


def _slugify(text: str, max_bytes: int) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char) == "Cf":  # ZWJ, ZWNJ, BOM, bidi marks: invisible
            continue
        if _keep(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    slug = "-".join(words)
    # A slug must not start with a lone vowel sign or virama left over from broken text.
    while slug and unicodedata.category(slug[0])[0] == "M":
        slug = slug[1:].lstrip("-")
    slug = _truncate(slug, max_bytes)
    if slug in _RESERVED:
        slug += "-1"
    return slug


def safe_slug(title: str, fallback: str, *, max_bytes: int = SLUG_MAX_BYTES) -> str:
    """A file-name-safe slug for ``title``: words of letters, marks and digits of any script
    joined by ``-``, lower-cased, NFC, at most ``max_bytes`` of UTF-8 cut between graphemes.

    The result never contains ``/``, ``\\``, ``.``, spaces, control characters or a leading
    dot, and is never a reserved Windows device name. ``fallback`` (slugified the same way)
    is used when nothing of the title is left; when that is empty too, ``"episode"``.
    """
    slug = _slugify(title, max_bytes)
    if not slug:
        slug = _slugify(fallback, max_bytes)
    return slug or "episode"


def inside(base: Path, name: str) -> Path:
    """``base / name``, resolved, or PublishError if it would not be strictly inside ``base``.

    Guards every path built from article data (a slug, a title) against ``..``, absolute
    names and symbolic links that lead out of the output folder.
    """
    if not name or "\x00" in name:
        raise PublishError(f"{name!r} is not a usable file name. Probable cause: an empty slug.")
    root = base.resolve()
    target = (root / name).resolve()
    if target == root or not target.is_relative_to(root):
        raise PublishError(
            f"{name!r} would be written outside {base}. Probable cause: an unsafe file name; "
            "narrate only writes inside the output folder."
        )
    return target


def human_bytes(size: int) -> str:
    """``1.2 MB``: a size in decimal units, as file managers show them."""
    if size < 1000:
        return f"{size} B"
    value = size / 1000
    for unit in ("kB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
