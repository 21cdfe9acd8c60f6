"""The one door from ``narrate serve`` to the file system: which file a URL path names.

:func:`open_served` refuses what :func:`narrate.serve.rules.path_segments` refuses, then
resolves the name (symbolic links followed) and refuses a target that is outside the
folder, is the folder itself, or has a hidden name anywhere on its resolved path:
``audio/link.txt -> .narrate/state.db`` is as hidden as ``.narrate/state.db``. It then opens
exactly that resolved path, one name at a time from the folder without following links
(``O_NOFOLLOW``), so a link swapped in after the check cannot lead elsewhere, and without
blocking (a FIFO is not served); only a regular file is answered.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from narrate.serve.rules import path_segments

#: Flags to open a name on the resolved path: no link may stand there now, nothing blocks.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def served_path(root: Path, segments: tuple[str, ...]) -> Path | None:
    """The resolved file ``segments`` name under ``root`` (itself resolved), or None when
    that target is outside ``root``, is ``root``, or is hidden (a dot-name on its path)."""
    try:
        target = root.joinpath(*segments).resolve()
        relative = target.relative_to(root)
    except (OSError, ValueError, RuntimeError):  # outside, a loop, a name the OS refuses
        return None
    if not relative.parts or any(part.startswith(".") for part in relative.parts):
        return None
    return target


def open_served(root: Path, segments: tuple[str, ...]) -> tuple[BinaryIO, Path] | None:
    """The regular file ``segments`` name under ``root`` (resolved), opened for reading,
    and its resolved path; None for anything that is not served (see the module docstring)."""
    target = served_path(root, segments)
    if target is None:
        return None
    parts = target.relative_to(root).parts
    try:
        fd = _open_beneath(root, parts)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), target
    except OSError:
        with contextlib.suppress(OSError):
            os.close(fd)
        return None


def _open_beneath(root: Path, parts: tuple[str, ...]) -> int:
    """Open ``root/parts…`` name by name, following no symbolic link on the way."""
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:  # pragma: no cover - not POSIX
        return os.open(root.joinpath(*parts), _FILE_FLAGS)
    current = os.open(root, _DIR_FLAGS)
    try:
        for name in parts[:-1]:
            following = os.open(name, _DIR_FLAGS, dir_fd=current)
            os.close(current)
            current = following
        return os.open(parts[-1], _FILE_FLAGS, dir_fd=current)
    except OSError as e:
        if e.errno == errno.ELOOP:  # a link was put there after the check
            raise FileNotFoundError(errno.ENOENT, "not served") from e
        raise
    finally:
        os.close(current)



def read_served(root: Path, name: str, limit: int) -> bytes | None:
    """The bytes of the served file ``name`` (a ``/``-separated relative URL path, decoded),
    or None when it is not served or is larger than ``limit`` bytes."""
    segments = path_segments(name)
    opened = open_served(root, segments) if segments is not None else None
    if opened is None:
        return None
    with opened[0] as f:
        try:
            data = f.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def is_served(root: Path, name: str) -> bool:
    """Whether ``name`` (as for :func:`read_served`) is a file the server would answer."""
    segments = path_segments(name)
    opened = open_served(root, segments) if segments is not None else None
    if opened is None:
        return False
    opened[0].close()
    return True
