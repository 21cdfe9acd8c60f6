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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from narrate.errors import NarrateError

log = logging.getLogger(__name__)

ENV_VAR = "NARRATE_CACHE_DIR"
#: Bumped if the key recipe ever changes, so old clips are not mistaken for new ones.
KEY_VERSION = 1
AUDIO_FORMATS = ("mp3", "wav")

_SHARD = re.compile(r"[0-9a-f]{2}")
_CLIP = re.compile(r"[0-9a-f]{64}\.(?:mp3|wav)")
_TEMP = re.compile(r"\.[0-9a-f]{64}\.[^/]*\.tmp")
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


class ClipCache:
    """Clips by (engine identity, text). Thread- and process-safe; holds no state but a path."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()

    def __repr__(self) -> str:
        return f"ClipCache({str(self.directory)!r})"

    def path(self, key: str, audio_format: str) -> Path:
        """Where the clip with ``key`` lives (whether or not it exists)."""
        if not re.fullmatch(r"[0-9a-f]{64}", key) or audio_format not in AUDIO_FORMATS:
            raise ValueError(f"not a clip key and format: {key!r}, {audio_format!r}")
        return self.directory / key[:2] / f"{key}.{audio_format}"

    def get(self, identity: Mapping[str, str], text: str, audio_format: str) -> Path | None:
        """The cached clip for ``text`` said by ``identity``, or None."""
        path = self.path(clip_key(identity, text), audio_format)
        try:
            if path.stat().st_size > 0:
                return path
        except FileNotFoundError:
            return None
        except OSError as e:
            raise CacheError(
                f"cannot read the clip cache at {self.directory}: {e.strerror}. Probable cause:"
                " no permission; use --cache-dir"
            ) from e
        return None

    def put(
        self, identity: Mapping[str, str], text: str, audio_format: str, data: bytes
    ) -> Path:
        """Store ``data`` as the clip for ``text``; atomic, last writer wins (same bytes)."""
        path = self.path(clip_key(identity, text), audio_format)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp"
            )
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
        except OSError as e:
            raise CacheError(
                f"cannot write to the clip cache at {self.directory}: {e.strerror or e}."
                " Probable cause: the disk is full or the folder is not writable; use"
                " --cache-dir"
            ) from e
        return path

    def _files(self) -> Iterator[Path]:
        """Clips and temporary files in shard folders; nothing else is ours."""
        if not self.directory.is_dir():
            return
        for shard in sorted(self.directory.iterdir()):
            if not (_SHARD.fullmatch(shard.name) and shard.is_dir()):
                continue
            for file in sorted(shard.iterdir()):
                if _CLIP.fullmatch(file.name) or _TEMP.fullmatch(file.name):
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
