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
import errno
import glob
import io
import os
import secrets
import shutil
import stat
import time
import unicodedata
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narrate.errors import PublishError

try:
    import fcntl as _fcntl

    fcntl: Any = _fcntl
except ImportError:  # pragma: no cover - Windows: no process folders are swept
    fcntl = None

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


# -- reading within bounds -----------------------------------------------------------------


class NotRegularFileError(OSError):
    """A path that names a FIFO, a device, a socket or a folder where a file is read.

    Special files report a size of 0 and never end (``/dev/zero``) or never start (a FIFO
    with no writer): reading one is refused before the first byte. ``strerror`` says what
    the path is.
    """


class FileTooLargeError(OSError):
    """A file over the size its reader accepts (``strerror`` says the limit)."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


@contextlib.contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[io.BufferedReader]:
    """``path`` opened for reading, or :class:`NotRegularFileError` when it is not a
    regular file (a symbolic link is followed: one to ``/dev/zero`` is refused too).

    The file is opened without blocking (a FIFO with no writer would wait forever in
    ``open``) and checked with ``fstat`` on the opened descriptor, so what is read is what
    was checked, even if the name is replaced meanwhile.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, f"{_kind(mode)}, not a regular file",
                                      str(path))
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        yield f


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, or :class:`FileTooLargeError` when it holds
    more than ``limit`` bytes; never reads more than ``limit + 1`` (a file that grows while
    it is read is caught too). Not a regular file: :class:`NotRegularFileError`."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size > limit:
            raise FileTooLargeError(errno.EFBIG, f"larger than {_size(limit)}", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(errno.EFBIG, f"larger than {_size(limit)}", str(path))
    return data


def _size(limit: int) -> str:
    """``limit`` bytes in the unit a person would say."""
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


# -- folders that live as long as their process -------------------------------------------

#: An unlocked lock file younger than this may belong to a process between creating and
#: locking it (see :class:`ProcessFolder`).
LOCK_GRACE_S = 60.0


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class ProcessFolder:
    """A folder for one process's temporary files, ``<parent>/<pid>-<token>/``, held by an
    exclusive ``flock`` on ``<parent>/<pid>-<token>.lock`` for as long as this object lives
    in this process.

    The kernel drops the lock when the process dies, however it dies (SIGKILL included), so
    :func:`sweep_process_folders` tells a killed process's folder from a live one's and
    removes only the former: temporary files kept here are never left for good. The lock
    is taken under a dot-name and then renamed, so a sweeper never sees the final name
    unlocked while its process lives. Closing (or the object's end, or the process's normal
    exit) removes the folder and the lock; a forked child leaves its parent's alone.
    """

    def __init__(self, parent: Path) -> None:
        name = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.path = parent / name
        lock = parent / f"{name}.lock"
        parent.mkdir(parents=True, exist_ok=True)
        pending = parent / f".{name}.lock"
        fd = os.open(pending, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            pending.replace(lock)
            self.path.mkdir()
        except BaseException:
            os.close(fd)
            pending.unlink(missing_ok=True)
            lock.unlink(missing_ok=True)
            raise
        self._finalizer = weakref.finalize(self, _release, self.path, lock, fd, os.getpid())

    def close(self) -> None:
        """Remove the folder and its lock (in the process that made them)."""
        self._finalizer()

    def __repr__(self) -> str:
        return f"ProcessFolder({str(self.path)!r})"


def _release(path: Path, lock: Path, fd: int, owner: int) -> None:
    if os.getpid() != owner:  # a forked child: the folder is its parent's
        return
    shutil.rmtree(path, ignore_errors=True)
    lock.unlink(missing_ok=True)
    os.close(fd)


def sweep_process_folders(parent: Path) -> list[str]:
    """Remove the :class:`ProcessFolder` s in ``parent`` whose process is gone (their lock
    is free), and lock files a kill left behind; return the names of the folders removed.
    Live processes' folders are left alone; a missing ``parent`` is nothing to do."""
    if fcntl is None:  # pragma: no cover
        return []
    try:
        names = {entry.name for entry in os.scandir(parent)}
    except (FileNotFoundError, NotADirectoryError):
        return []
    removed = []
    for name in sorted(names):
        path = parent / name
        if name.startswith(".") and name.endswith(".lock"):  # locked-to-be, or a kill's
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > LOCK_GRACE_S and _free(path):
                    path.unlink()
        elif name.endswith(".lock"):
            folder = parent / name.removesuffix(".lock")
            if _free(path):
                shutil.rmtree(folder, ignore_errors=True)
                path.unlink(missing_ok=True)
                removed.append(folder.name)
        elif f"{name}.lock" not in names:  # left without its lock (removed by hand?)
            with contextlib.suppress(OSError):
                if time.time() - path.lstat().st_mtime > LOCK_GRACE_S:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                    removed.append(name)
    return removed


def _free(lock: Path) -> bool:
    """True when no process holds ``lock`` (its process is gone)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        return _try_lock(fd)
    finally:
        os.close(fd)


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
