"""narrate's errors: every one survives pickling (a worker process or a cluster's worker sends
it back), and a bug becomes one article's internal error."""

from __future__ import annotations

import importlib
import logging
import pickle
import pkgutil

import pytest

import narrate
from narrate.batch.results import ArticleResult, BatchError
from narrate.cache import CacheError
from narrate.config import ConfigError
from narrate.engines.base import TransientEngineError
from narrate.errors import (
    ArticleError,
    AudioError,
    EmptyAudio,
    EngineError,
    NarrateError,
    PublishError,
    as_narrate_error,
)


def every_error() -> list[type[NarrateError]]:
    """Every NarrateError class narrate defines (its modules imported; the cluster's when
    Dask is installed)."""
    for module in pkgutil.walk_packages(narrate.__path__, "narrate."):
        if module.name == "narrate.__main__":  # runs the command line
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional part (the cluster) that is not installed
            continue
    found: list[type[NarrateError]] = []
    todo: list[type[NarrateError]] = [NarrateError]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.__subclasses__())
    return found


def same(a: BaseException, b: BaseException) -> bool:
    return type(a) is type(b) and str(a) == str(b) and a.args == b.args \
        and vars(a).keys() == vars(b).keys() \
        and all(repr(vars(a)[k]) == repr(vars(b)[k]) for k in vars(a))


@pytest.mark.parametrize(
    "error",
    [
        ArticleError("news/a.md", "empty: nothing to narrate"),
        EngineError("Google said no", engine="gtts", chunk="नमस्ते"),
        EmptyAudio("no audio", engine="espeak", chunk="क"),
        TransientEngineError("429 from Google", kind="rate_limit", engine="gtts",
                             chunk="एक", status=429, retry_after=2.5),
        AudioError("ffmpeg failed", command=["ffmpeg", "-i", "x"], stderr="bad input"),
        PublishError("cannot write feed.xml"),
        ConfigError("narrate.toml: podcast.title: expected text"),
        CacheError("the cache is read-only"),
        BatchError([ArticleResult("a.md", "failed", error="empty")], total=3, stopped=1),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_with_several_arguments_survive_pickling(error: NarrateError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert same(error, again)
    assert again.exit_code == error.exit_code


@pytest.mark.parametrize("kind", every_error(), ids=lambda k: f"{k.__module__}.{k.__name__}")
def test_every_error_class_survives_pickling(kind: type[NarrateError]) -> None:
    """Whatever its constructor takes: made without it, with a message and an attribute."""
    error = kind.__new__(kind)
    Exception.__init__(error, "a finished sentence")
    error.detail = "kept"  # type: ignore[attr-defined]
    again = pickle.loads(pickle.dumps(error))
    assert same(error, again) and again.detail == "kept"  # type: ignore[attr-defined]


def test_a_bug_becomes_one_article_s_internal_error(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="narrate.errors"):
        error = as_narrate_error(KeyError("slug"))
    assert type(error) is NarrateError
    assert str(error) == ("internal error: KeyError: 'slug'. Probable cause: a bug in narrate;"
                          " run with --debug and report it")
    assert isinstance(error.__cause__, KeyError)
    assert caplog.records[0].exc_info is not None  # the traceback, at debug level
    own = ArticleError("a.md", "empty")
    assert as_narrate_error(own) is own
