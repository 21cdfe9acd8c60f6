"""Errors narrate raises. ``str(error)`` is a finished sentence for the user.

The command line turns every :class:`NarrateError` into one line and an exit code
(``exit_code``); anything else is a bug and shows a traceback only with ``--debug``.
"""

from __future__ import annotations


class NarrateError(Exception):
    """Base of every error narrate raises on purpose."""

    exit_code = 1


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
