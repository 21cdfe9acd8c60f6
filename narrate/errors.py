"""Errors narrate raises. ``str(error)`` is a finished sentence for the user.

The command line turns every :class:`NarrateError` into one line and an exit code
(``exit_code``); anything else is a bug and shows a traceback only with ``--debug``
(:func:`as_narrate_error` names it so for a batch, which reports and goes on).

Every error survives pickling, whatever its constructor takes (a batch's worker process
and a cluster's workers send them back): see :meth:`NarrateError.__reduce__`.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class NarrateError(Exception):
    """Base of every error narrate raises on purpose."""

    exit_code = 1

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuilt from its message and attributes, without calling ``__init__`` again:
        pickle's default calls the class with ``args`` (the message alone), which fails for
        an error whose constructor takes several arguments (``ArticleError(source,
        reason)``, a transient engine error's ``kind``)."""
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(kind: type[NarrateError], args: tuple[Any, ...], state: dict[str, Any]
             ) -> NarrateError:
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(NarrateError, ValueError):
    """A command-line value or setting is wrong (exit code 2)."""

    exit_code = 2


class ArticleError(NarrateError, ValueError):
    """An article cannot be read: missing, undecodable, binary, empty, nothing to narrate."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class LexiconError(NarrateError, ValueError):
    """A user lexicon file is malformed."""


class EngineError(NarrateError):
    """Speech synthesis failed. ``engine`` names the engine, ``chunk`` the text (if any)."""

    def __init__(self, message: str, *, engine: str = "", chunk: str | None = None) -> None:
        self.engine = engine
        self.chunk = chunk
        super().__init__(message)


class EngineUnavailable(EngineError):
    """The engine cannot be used right now (not installed, offline, unknown name)."""


class EmptyAudio(EngineError):
    """The engine answered without audio, or with audio that decodes to nothing."""


class AudioError(NarrateError):
    """ffmpeg or audio processing failed; keeps ffmpeg's command and stderr."""

    def __init__(self, message: str, *, command: list[str] | None = None, stderr: str = "") -> None:
        self.command = command or []
        self.stderr = stderr
        super().__init__(message)


class PublishError(NarrateError):
    """Writing an episode, its sidecars, the feed or the embed page failed."""


def as_narrate_error(e: Exception) -> NarrateError:
    """``e`` as one article's error: a NarrateError as it is, anything else (a bug) named as
    an internal error, its traceback logged at debug level and kept as the cause."""
    if isinstance(e, NarrateError):
        return e
    log.debug("internal error", exc_info=e)
    error = NarrateError(f"internal error: {type(e).__name__}: {e}. Probable cause: a bug in "
                         "narrate; run with --debug and report it")
    error.__cause__ = e
    return error
