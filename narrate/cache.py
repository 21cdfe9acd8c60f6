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
SHA-256 of its bytes and its decoded length in milliseconds, written when the clip is. A
read verifies both; a clip that is truncated, overwritten, unreadable or of another length
is counted (:attr:`ClipCache.rejected`), removed and reported as a miss, so it is
synthesized again. A clip from before checks existed is adopted when it decodes to some
audio. A cache that cannot be written (read-only, full) is one warning: the clips of the
run go to a spill folder (the build's work area) and the build goes on without caching.
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


class ClipCache:
    """Clips by (engine identity, text). Thread- and process-safe."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()
        self._lock = threading.Lock()
        self._rejected = 0
        self._writable = True
        self._spill: Path | None = None

    def __getstate__(self) -> dict[str, object]:
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
        path = self.path(clip_key(identity, text), audio_format)
        if not path.parent.is_dir():
            return None
        check = path.with_name(path.name + ".check")
        try:
            with _locked(path.parent, shared=True):
                data = path.read_bytes()
                try:
                    stamp = check.read_text(encoding="ascii")
                except FileNotFoundError:
                    stamp = None
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            return self._reject(path, f"it cannot be read ({getattr(e, 'strerror', None) or e})")
        if stamp is None:
            return self._adopt(path, data, audio_format)
        digest, _, recorded = stamp.strip().partition(" ")
        if _digest(data) != digest:
            return self._reject(path, "its bytes changed since it was written")
        if recorded == UNKNOWN_LENGTH:  # the engine's bytes were not audio we can measure
            return path
        try:
            length = audio_ms(data, audio_format)
        except ValueError as e:
            return self._reject(path, str(e))
        if not recorded.isdigit() or abs(length - int(recorded)) > 1:
            return self._reject(path, f"it decodes to {length} ms, not {recorded} ms")
        return path

    def _adopt(self, path: Path, data: bytes, audio_format: str) -> Path | None:
        """A clip without a check (written before checks existed, or by a writer that has
        not written the check yet): kept when it decodes to some audio."""
        try:
            length = audio_ms(data, audio_format)
        except ValueError as e:
            return self._reject(path, str(e))
        if length <= 0:
            return self._reject(path, "it decodes to no audio")
        with contextlib.suppress(OSError), _locked(path.parent, shared=False):
            if path.read_bytes() == data:  # not replaced meanwhile
                check = f"{_digest(data)} {length}\n".encode()
                self._write(path.with_name(path.name + ".check"), check)
        return path

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

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """``data`` to ``path`` through a temporary file in its folder and a rename."""
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
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

    def put(
        self, identity: Mapping[str, str], text: str, audio_format: str, data: bytes
    ) -> Path:
        """Store ``data`` as the clip for ``text`` with its check; atomic, last writer wins
        (same bytes). When the cache cannot be written, the clip goes to the spill folder
        (one warning for the run) and its path there is returned."""
        path = self.path(clip_key(identity, text), audio_format)
        try:
            length = str(audio_ms(data, audio_format))
        except ValueError:  # the mixer says what is wrong with such bytes; the sum still checks
            length = UNKNOWN_LENGTH
        if self._writable:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with _locked(path.parent, shared=False):
                    self._write(path, data)
                    self._write(path.with_name(path.name + ".check"),
                                f"{_digest(data)} {length}\n".encode())
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

    def _spill_clip(self, name: str, data: bytes) -> Path:
        with self._lock:
            if self._spill is None:
                self._spill = Path(tempfile.mkdtemp(prefix="narrate-clips-"))
                atexit.register(shutil.rmtree, self._spill, True)
            folder = self._spill
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            target.write_bytes(data)  # scratch for this run: no rename or fsync needed
        except OSError as e:
            raise CacheError(
                f"cannot keep a clip in {folder} either: {e.strerror or e}. Probable cause: "
                "the disk is full"
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
        try:
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
