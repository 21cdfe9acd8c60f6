"""What became of each article of a batch, and of the batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from narrate.errors import NarrateError
from narrate.model import Episode, Script
from narrate.publish.index import source_key

Status = Literal["built", "skipped", "failed"]


class BatchError(NarrateError):
    """Some articles of a batch failed; the others were built and published."""

    def __init__(self, failed: Sequence[ArticleResult], total: int, stopped: int = 0) -> None:
        self.failed = tuple(failed)
        names = "; ".join(f"{r.source} ({r.error})" for r in self.failed)
        message = f"{len(self.failed)} of {total} articles failed: {names}"
        if stopped:
            message += f". {stopped} not started because of --fail-fast"
        super().__init__(message)


@dataclass(frozen=True)
class ArticleResult:
    """What became of one article. ``error`` is the user's sentence when it failed."""

    source: str
    status: Status
    slug: str | None = None
    fingerprint: str | None = None
    episode: Episode | None = None
    error: str | None = None
    exception: NarrateError | None = field(default=None, compare=False, repr=False)
    seconds: float = 0.0
    error_type: str | None = None

    @property
    def key(self) -> str:
        return source_key(self.source, self.slug or "")

    def failed_with(self, error: NarrateError) -> ArticleResult:
        return ArticleResult(self.source, "failed", self.slug, self.fingerprint,
                             error=str(error), exception=error, seconds=self.seconds,
                             error_type=type(error).__name__)

    def to_json(self) -> dict[str, object]:
        """One entry of the ``articles`` list of ``narrate build --json`` for a batch."""
        out: dict[str, object] = {"source": self.source, "status": self.status}
        if self.slug is not None:
            out["slug"] = self.slug
        if self.episode is not None:
            out["audio"] = str(self.episode.audio)
            out["chunks"] = self.episode.chunks
            out["requests"] = self.episode.requests
            out["cache_hits"] = self.episode.cache_hits
            out["retries"] = self.episode.retries
        if self.error is not None:
            out["error"] = self.error
            out["error_type"] = self.error_type
        out["seconds"] = round(self.seconds, 3)
        return out


@dataclass(frozen=True)
class Plan:
    """An article read, its slug claimed and its fingerprint taken: all a builder needs
    besides the engine and the settings (see :func:`plan_article`)."""

    source: str
    script: Script
    slug: str
    fingerprint: str


@dataclass
class BatchReport:
    """Every article's result, in the order the articles were given."""

    results: list[ArticleResult]
    not_started: list[str] = field(default_factory=list)

    def _with(self, status: Status) -> list[ArticleResult]:
        return [r for r in self.results if r.status == status]

    @property
    def built(self) -> list[ArticleResult]:
        return self._with("built")

    @property
    def skipped(self) -> list[ArticleResult]:
        return self._with("skipped")

    @property
    def failed(self) -> list[ArticleResult]:
        return self._with("failed")

    def error(self) -> BatchError | None:
        """The error that names the failures, or None when every article made it."""
        if not self.failed:
            return None
        total = len(self.results) + len(self.not_started)
        return BatchError(self.failed, total, len(self.not_started))
