"""A content-addressed cache of synthesized clips, safe with several processes.

A clip's key is the SHA-256 of a canonical JSON of the engine's identity (engine, version,
voice, language, speed...) and the exact chunk text, so a clip is reused only for the same
words said the same way, and editing one paragraph misses only that paragraph's chunks.
Files live at ``<dir>/<ab>/<abcdef...>.<mp3|wav>``; each is written to a temporary file in
the same folder and renamed into place (``os.replace``), so readers in any process see a
whole clip or none.

The folder is, first of all, the one given (``--cache-dir``), then ``$NARRATE_CACHE_DIR``,
then ``clips`` in the user's cache directory. :meth:`ClipCache.clear` removes only files
this cache wrote, so pointing it at the wrong folder cannot wipe anything else.

A cache is trusted only as far as it checks: beside every clip, ``<clip>.check`` records the
SHA-256 of its bytes, its decoded length in milliseconds and its key, written when the clip
is. A read verifies all three; a clip that is truncated, overwritten, unreadable, of another
length or in another clip's place (a clip swapped with its check) is counted
(:attr:`ClipCache.rejected`), removed and reported as a miss, so it is synthesized again.
Clips and checks are read only when they are regular files of a sane size (a FIFO or a link
to ``/dev/zero`` is a bad clip, not a hang). A clip from before checks existed is adopted
when it decodes to some audio, and a check from before keys were recorded gains its key
when its clip passes it. A cache that cannot be written (read-only, full) is one warning:
the clips of the run go to a spill folder (the build's work area) and the build goes on
without caching.

Temporary files (a clip on its way in, clips being decoded) live in ``<dir>/tmp/``, in a
folder of the writing process held by its lock (:class:`~narrate.fsutil.ProcessFolder`):
the first use of the cache by any later process removes what a killed one left there.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import wave
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from narrate.errors import NarrateError
from narrate.fsutil import ProcessFolder, read_bounded, sweep_process_folders

log = logging.getLogger(__name__)

ENV_VAR = "NARRATE_CACHE_DIR"
#: Bumped if the key recipe ever changes, so old clips are not mistaken for new ones.
KEY_VERSION = 1
AUDIO_FORMATS = ("mp3", "wav")

_SHARD = re.compile(r"[0-9a-f]{2}")
_CLIP = re.compile(r"[0-9a-f]{64}\.(?:mp3|wav)")
_CHECK = re.compile(r"[0-9a-f]{64}\.(?:mp3|wav)\.check")
_TEMP = re.compile(r"\.[0-9a-f]{64}\.[^/]*\.tmp")
#: The lock file of a shard folder.
LOCK_NAME = ".lock"
#: The length recorded for bytes that do not parse as audio (only their checksum is checked).
UNKNOWN_LENGTH = "-"
#: A temporary file older than this is left over from a crash, not being written.
_STALE_TEMP_S = 3600.0
#: The folder of the cache where writing processes keep their temporary files.
TEMP_DIR = "tmp"
#: The largest clip read: minutes of 48 kHz WAV, far more than one chunk of speech.
MAX_CLIP_BYTES = 64 * 1024 * 1024
#: The largest check read: a digest, a length and a key are under 200 bytes.
MAX_CHECK_BYTES = 4096


class CacheError(NarrateError, OSError):
    """The clip cache cannot be read or written."""


@dataclass(frozen=True)
class CacheSize:
    files: int
    bytes: int


def default_cache_dir() -> Path:
    """``$NARRATE_CACHE_DIR``, else ``clips`` in the user's cache directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("narrate")) / "clips"


def clip_key(identity: Mapping[str, str], text: str) -> str:
    """SHA-256 (hex) of the engine identity and the exact text, as canonical JSON."""
    canonical = json.dumps(
        {"key": KEY_VERSION, "engine": dict(identity), "text": text},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audio_ms(data: bytes, audio_format: str) -> int:
    """The decoded length of a clip in milliseconds (WAV: its frames; MP3: its frames as
    mutagen counts them); ValueError when the bytes are not such audio."""
    if audio_format == "wav":
        try:
            with wave.open(io.BytesIO(data)) as w:
                rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
                frames = w.getnframes()
        except (wave.Error, EOFError) as e:
            raise ValueError(f"not a WAV clip ({e})") from e
        # A header may promise more frames than the bytes hold (a truncated file).
        payload = data.find(b"data")
        available = (len(data) - payload - 8) // max(1, width * channels) if payload >= 0 else 0
        return round(min(frames, max(0, available)) * 1000 / rate) if rate else 0
    import mutagen.mp3

    mp3: Any = mutagen.mp3
    try:
        info = mp3.MP3(io.BytesIO(data)).info
    except mutagen.MutagenError as e:
        raise ValueError(f"not an MP3 clip ({e})") from e
    return round(float(info.length) * 1000)


@contextlib.contextmanager
def _locked(folder: Path, *, shared: bool) -> Iterator[None]:
    """Hold the shard's lock: writers write a clip and its check as one (exclusive), readers
    read both as one (shared), so a reader never pairs one writer's clip with another's
    check. Where no lock can be had (a read-only cache, no ``fcntl``), go on without one."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        yield
        return
    lock = folder / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDONLY if shared else os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if not shared:
            raise
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(data: bytes, length: str, key: str) -> bytes:
    """The text of a clip's check: its bytes' digest, its length and its key."""
    return f"{_digest(data)} {length} {key}\n".encode()


class ClipCache:
    """Clips by (engine identity, text). Thread- and process-safe."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()
        self._lock = threading.Lock()
        self._rejected = 0
        self._writable = True
        self._spill: Path | None = None
        self._own: ProcessFolder | None = None  # this process's temporary files
        self._swept = False

    def __getstate__(self) -> dict[str, object]:  # no lock or temporary folder travels
        return {"directory": self.directory, "spill": self._spill}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["directory"])  # type: ignore[misc]
        self._spill = state["spill"]  # type: ignore[assignment]

    @property
    def rejected(self) -> int:
        """Clips that failed their check in this process (removed and made again)."""
        return self._rejected

    @property
    def writable(self) -> bool:
        """False once a write failed: the rest of the run builds without caching."""
        return self._writable

    def spill_to(self, folder: Path) -> None:
        """Where clips go when the cache cannot take them (a build's work area)."""
        with self._lock:
            self._spill = folder

    def __repr__(self) -> str:
        return f"ClipCache({str(self.directory)!r})"

    def path(self, key: str, audio_format: str) -> Path:
        """Where the clip with ``key`` lives (whether or not it exists)."""
        if not re.fullmatch(r"[0-9a-f]{64}", key) or audio_format not in AUDIO_FORMATS:
            raise ValueError(f"not a clip key and format: {key!r}, {audio_format!r}")
        return self.directory / key[:2] / f"{key}.{audio_format}"

    def get(self, identity: Mapping[str, str], text: str, audio_format: str) -> Path | None:
        """The cached clip for ``text`` said by ``identity`` when it passes its check, else
        None (a clip that fails is removed: see the module docstring)."""
        self._sweep()
        key = clip_key(identity, text)
        path = self.path(key, audio_format)
        if not path.parent.is_dir():
            return None
        check = path.with_name(path.name + ".check")
        try:
            with _locked(path.parent, shared=True):
                data = read_bounded(path, MAX_CLIP_BYTES)
                try:
                    stamp = read_bounded(check, MAX_CHECK_BYTES).decode("ascii")
                except FileNotFoundError:
                    stamp = None
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            return self._reject(path, f"it cannot be read ({getattr(e, 'strerror', None) or e})")
        if stamp is None:
            return self._adopt(path, key, data, audio_format)
        fields = stamp.split()
        if len(fields) not in (2, 3):
            return self._reject(path, "its check is malformed")
        digest, recorded = fields[:2]
        if len(fields) == 3 and fields[2] != key:
            return self._reject(path, "it belongs to another text: a clip and its check "
                                "were moved together")
        if _digest(data) != digest:
            return self._reject(path, "its bytes changed since it was written")
        if recorded != UNKNOWN_LENGTH:  # else the engine's bytes were not audio we measure
            try:
                length = audio_ms(data, audio_format)
            except ValueError as e:
                return self._reject(path, str(e))
            if not recorded.isdigit() or abs(length - int(recorded)) > 1:
                return self._reject(path, f"it decodes to {length} ms, not {recorded} ms")
        if len(fields) == 2:  # a check from before keys were recorded: give it its key
            self._restamp(path, data, _stamp(data, recorded, key))
        return path

    def _adopt(self, path: Path, key: str, data: bytes, audio_format: str) -> Path | None:
        """A clip without a check (written before checks existed, or by a writer that has
        not written the check yet): kept when it decodes to some audio."""
        try:
            length = audio_ms(data, audio_format)
        except ValueError as e:
            return self._reject(path, str(e))
        if length <= 0:
            return self._reject(path, "it decodes to no audio")
        self._restamp(path, data, _stamp(data, str(length), key))
        return path

    def _restamp(self, path: Path, data: bytes, stamp: bytes) -> None:
        """Write ``stamp`` as the check of the clip at ``path`` if its bytes are still
        ``data`` (not replaced meanwhile); a cache that cannot be written keeps its old."""
        with contextlib.suppress(OSError), _locked(path.parent, shared=False):
            if read_bounded(path, MAX_CLIP_BYTES) == data:
                self._write(path.with_name(path.name + ".check"), stamp)

    def _reject(self, path: Path, reason: str) -> Path | None:
        with self._lock:
            self._rejected += 1
        log.warning("clip cache: %s failed its check (%s); removed, it will be synthesized "
                    "again", path.name, reason)
        for victim in (path, path.with_name(path.name + ".check")):
            try:
                with _locked(path.parent, shared=False):
                    victim.unlink()
            except FileNotFoundError:
                pass
            except IsADirectoryError:
                shutil.rmtree(victim, ignore_errors=True)
            except OSError as e:
                log.warning("clip cache: cannot remove %s (%s)", victim, e.strerror or e)
        return None

    def _sweep(self) -> None:
        """Remove what killed processes left in the cache's temporary folder (once)."""
        if self._swept:
            return
        self._swept = True
        with contextlib.suppress(OSError):
            removed = sweep_process_folders(self.directory / TEMP_DIR)
            if removed:
                log.debug("clip cache: removed the temporary files of %d ended processes",
                          len(removed))

    def _temp_folder(self) -> Path:
        """This process's folder for temporary files in the cache (made on first use)."""
        with self._lock:
            if self._own is None:
                self._own = ProcessFolder(self.directory / TEMP_DIR)
            return self._own.path

    def _write(self, path: Path, data: bytes) -> None:
        """``data`` to ``path`` through a temporary file and a rename."""
        fd, temp = tempfile.mkstemp(dir=self._temp_folder(), prefix=f"{path.name}.",
                                    suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            Path(temp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
            raise

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A new empty folder, removed afterwards, for files on their way into the cache
        (clips being decoded): in this process's temporary folder of the cache, where a
        later run finds it if this one is killed; when the cache cannot be written, in the
        spill folder (a build's work area, swept by the next build)."""
        self._sweep()
        parent: Path | None = None
        if self._writable:
            with contextlib.suppress(OSError):
                parent = self._temp_folder()
        if parent is None:
            parent = self._spill_folder()
        with tempfile.TemporaryDirectory(dir=parent, prefix="scratch-") as folder:
            yield Path(folder)

    def put(
        self, identity: Mapping[str, str], text: str, audio_format: str, data: bytes
    ) -> Path:
        """Store ``data`` as the clip for ``text`` with its check; atomic, last writer wins
        (same bytes). When the cache cannot be written, the clip goes to the spill folder
        (one warning for the run) and its path there is returned."""
        self._sweep()
        key = clip_key(identity, text)
        path = self.path(key, audio_format)
        try:
            length = str(audio_ms(data, audio_format))
        except ValueError:  # the mixer says what is wrong with such bytes; the sum still checks
            length = UNKNOWN_LENGTH
        if self._writable:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with _locked(path.parent, shared=False):
                    self._write(path, data)
                    self._write(path.with_name(path.name + ".check"), _stamp(data, length, key))
            except OSError as e:
                with self._lock:
                    warn, self._writable = self._writable, False
                if warn:
                    log.warning(
                        "clip cache at %s cannot be written (%s); building without caching. "
                        "Probable cause: the disk is full or the folder is read-only; use "
                        "--cache-dir", self.directory, e.strerror or e,
                    )
            else:
                return path
        return self._spill_clip(path.name, data)

    def _spill_folder(self) -> Path:
        """The spill folder (see :meth:`spill_to`); a temporary one when none was given."""
        with self._lock:
            if self._spill is None:
                self._spill = Path(tempfile.mkdtemp(prefix="narrate-clips-"))
                atexit.register(shutil.rmtree, self._spill, True)
            folder = self._spill
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _spill_clip(self, name: str, data: bytes) -> Path:
        try:
            folder = self._spill_folder()
            target = folder / name
            target.write_bytes(data)  # scratch for this run: no rename or fsync needed
        except OSError as e:
            raise CacheError(
                f"cannot keep a clip in {self._spill} either: {e.strerror or e}. Probable "
                "cause: the disk is full"
            ) from e
        return target

    def _files(self) -> Iterator[Path]:
        """Clips and temporary files in shard folders; nothing else is ours."""
        if not self.directory.is_dir():
            return
        for shard in sorted(self.directory.iterdir()):
            if not (_SHARD.fullmatch(shard.name) and shard.is_dir()):
                continue
            for file in sorted(shard.iterdir()):
                if _CLIP.fullmatch(file.name) or _TEMP.fullmatch(file.name) or (
                    _CHECK.fullmatch(file.name) or file.name == LOCK_NAME
                ):
                    yield file

    def size(self) -> CacheSize:
        """How many clips the cache holds, and their bytes."""
        files = total = 0
        try:
            for file in self._files():
                if _CLIP.fullmatch(file.name):
                    with contextlib.suppress(FileNotFoundError):
                        total += file.stat().st_size
                        files += 1
        except OSError as e:
            raise CacheError(
                f"cannot read the clip cache at {self.directory}: {e.strerror or e}."
                " Probable cause: no permission"
            ) from e
        return CacheSize(files, total)

    def clear(self) -> CacheSize:
        """Remove every clip (and leftovers of interrupted writes); returns what was removed.

        Files another process is writing right now are left alone.
        """
        files = total = 0
        now = time.time()
        with self._lock:
            own, self._own = self._own, None
        if own is not None:
            own.close()
        try:
            sweep_process_folders(self.directory / TEMP_DIR)
            with contextlib.suppress(OSError):
                (self.directory / TEMP_DIR).rmdir()  # only when empty
            for file in list(self._files()):
                with contextlib.suppress(FileNotFoundError):
                    stat = file.stat()
                    if _TEMP.fullmatch(file.name):
                        if now - stat.st_mtime > _STALE_TEMP_S:
                            file.unlink()
                        continue
                    file.unlink()
                    if not _CLIP.fullmatch(file.name):
                        continue
                    files += 1
                    total += stat.st_size
            for shard in self.directory.iterdir() if self.directory.is_dir() else ():
                if _SHARD.fullmatch(shard.name) and shard.is_dir():
                    with contextlib.suppress(OSError):
                        shard.rmdir()  # only when empty
        except OSError as e:
            raise CacheError(
                f"cannot clear the clip cache at {self.directory}: {e.strerror or e}."
                " Probable cause: no permission"
            ) from e
        log.debug("cleared %d clips (%d bytes) from %s", files, total, self.directory)
        return CacheSize(files, total)
