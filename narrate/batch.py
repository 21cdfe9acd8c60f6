"""Many articles at once: parallel, with one shared request budget, failures isolated.

The unit of work is :func:`narrate_article`, a module-level function of the article's
source, the engine, the settings, the clip cache and the fingerprints of the episodes
already built. It never raises for a bad article: it returns an :class:`ArticleResult`
that is ``built``, ``skipped`` (unchanged since the last build) or ``failed`` with the
reason. Any :class:`concurrent.futures.Executor` can run it; :func:`run_batch` uses a
thread pool by default, so that one :class:`~narrate.engines.limiter.AdaptiveLimiter`
is shared by every article and Google sees a single budget for the whole batch. The
heavy CPU work (decoding, loudness, encoding) happens in ffmpeg subprocesses, which the
threads keep busy on every core.

Each article is *staged* by its worker (:func:`narrate.pipeline.stage_episode`, into this
run's work area) and *published* by the calling thread, one finished article at a time
(:meth:`narrate.publish.folder.OutputFolder.publish`): the folder's store (SQLite) takes
each change as one transaction, so any number of processes may build into one folder at
once.

Skipping unchanged episodes: each build records a fingerprint of everything that shapes
the episode (the script read from the article, the engine's identity, the mix settings,
the podcast name, the bytes of the intro, outro and cover, and narrate's version) in the
store's build manifest. When the fingerprint is the same, the episode's files are all
present and the index lists it, the article is skipped without asking the engine for
anything and without touching a file.

Slugs are claimed in the store (:class:`SlugBook`), so two articles with one title get
their own episodes even when two processes build them at the same moment.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import glob
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from narrate import __version__
from narrate.cache import ClipCache
from narrate.config import PodcastConfig
from narrate.engines.base import Engine
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import NarrateError, PublishError, UsageError
from narrate.model import Episode, Script
from narrate.pipeline import (
    BuildSettings,
    check_settings,
    episode_slug,
    load_script,
    stage_episode,
)
from narrate.publish.folder import OutputFolder
from narrate.publish.index import source_key
from narrate.publish.store import Store, new_stage
from narrate.synth import ProgressCallback

log = logging.getLogger(__name__)

#: File name extensions a folder argument is searched for.
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})
#: Files a folder holds beside its articles that are not articles: read-me and licence
#: files, and the JSON files narrate itself writes (chapters, the episode index).
NOT_AN_ARTICLE = re.compile(
    r"^(readme|changelog|changes|history|license|licence|copying|notice|authors|contributing)"
    r"(\..*)?$|\.chapters\.json$|^episodes\.json$",
    re.IGNORECASE,
)
_GLOB_CHARS = re.compile(r"[*?\[]")
#: Set to 0 to leave batch workers unpinned (see :func:`worker_cpus`).
PIN_ENV = "NARRATE_PIN_WORKERS"

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


# -- which files ---------------------------------------------------------------------------


def _is_article(path: Path) -> bool:
    return (
        path.suffix.lower() in ARTICLE_SUFFIXES
        and not NOT_AN_ARTICLE.search(path.name)
        and not any(part.startswith(".") for part in path.parts if part not in (".", ".."))
    )


def _folder(folder: Path, exclude: Path | None) -> list[Path]:
    """Articles anywhere under ``folder``, sorted; hidden entries and ``exclude`` left out."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and (exclude is None or (here / d).resolve() != exclude)
        )
        found.extend(here / f for f in sorted(files) if _is_article(Path(f)))
    return found


def expand_sources(args: Iterable[str], *, exclude: Path | None = None) -> list[str]:
    """The articles named by ``args``: files as given, every article under a folder, the
    matches of a glob (``*``, ``?``, ``[…]``, ``**``), URLs and ``-`` as they are.

    Folders (and folders a glob matches) are searched recursively for ``.txt``, ``.md``,
    ``.markdown``, ``.html``, ``.htm`` and ``.json`` files, leaving out hidden files,
    read-me and licence files and narrate's own outputs (``*.chapters.json``,
    ``episodes.json``, anything under ``exclude``, the output folder). A file named
    explicitly or matched by a glob is always taken. Duplicates are dropped; the order
    is the order of the arguments. A folder or glob that yields nothing is a
    :class:`~narrate.errors.UsageError`.
    """
    out_dir = exclude.resolve() if exclude is not None else None
    seen: set[str] = set()
    sources: list[str] = []

    def add(source: str) -> None:
        key = source if source == "-" or "://" in source else str(Path(source).resolve())
        if key not in seen:
            seen.add(key)
            sources.append(source)

    for arg in args:
        path = Path(arg)
        if arg == "-" or re.match(r"^https?://", arg):
            add(arg)
        elif path.is_dir():
            found = _folder(path, out_dir)
            if not found:
                raise UsageError(f"{arg} holds no article (.txt, .md, .html or .json files)")
            for f in found:
                add(str(f))
        elif not path.exists() and _GLOB_CHARS.search(arg):
            # Path.glob cannot take an absolute pattern; glob.glob takes what a shell would.
            matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207
            if not matches:
                raise UsageError(f"no file matches {arg}")
            for match in matches:
                m = Path(match)
                for f in _folder(m, out_dir) if m.is_dir() else [m]:
                    add(str(f))
        else:
            add(arg)  # a missing file fails as that article, with the reader's message
    return sources


# -- what changed --------------------------------------------------------------------------


def _file_digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def fingerprint(script: Script, engine: Engine, settings: BuildSettings) -> str:
    """A digest of everything that shapes the episode of ``script`` (see the module doc).

    The script already carries the article's text after reading, normalizing and the
    lexicon, so a change in any of those changes it; the cache folder and ``jobs`` do not
    change the episode and are left out.
    """
    mix = settings.mix
    parts = {
        "narrate": __version__,
        "script": repr(script),
        "engine": json.dumps(dict(engine.identity()), sort_keys=True),
        "mix": repr(mix),
        "intro": _file_digest(mix.intro),
        "outro": _file_digest(mix.outro),
        "cover": _file_digest(settings.cover),
        "podcast": settings.podcast,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def up_to_date(folder: OutputFolder) -> dict[str, str]:
    """Source key to fingerprint of the episodes that may be skipped: recorded in the
    build manifest, listed in the index under the same slug, and with all their files
    present."""
    store = folder.store
    try:
        builds = store.builds()
        indexed = {row["key"]: (row["slug"], row["version"]) for row in store.episodes()}
    except PublishError as e:
        log.warning("%s; every article will be rebuilt", e)
        return {}
    done = {}
    for key, (slug, fp) in builds.items():
        live = indexed.get(key)
        if live is None or live[0] != slug or not slug:
            continue
        if all(p.is_file() for p in folder.paths(slug, live[1]).values()):
            done[key] = fp
    return done


# -- which slug ----------------------------------------------------------------------------


class SlugBook:
    """Which slug each article gets, so that two articles with one title never share (and
    overwrite) one episode's files, whichever process builds them.

    An article keeps a slug it owns while its title still makes that slug. Otherwise it
    gets its title's slug, or, when another article owns that one, the title's slug with
    ``-2``, ``-3``, … Ownership is recorded in the folder's store in the transaction that
    grants it. Articles read from standard input have no identity but their slug and
    always take it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, script: Script, source: str) -> str:
        base = episode_slug(script, source)
        if source in ("", "-"):
            return base
        return self.store.claim(
            source_key(source, base),
            lambda n: episode_slug(script, source, n),
            lambda slug: self._made_by(slug, base, script, source),
        )

    @staticmethod
    def _made_by(slug: str, base: str, script: Script, source: str) -> bool:
        """True when ``slug`` is the title's slug ``base``, or the title's with a ``-n``."""
        number = re.fullmatch(r".*-(\d{1,6})", slug)
        return slug == base or (
            number is not None and slug == episode_slug(script, source, int(number.group(1)))
        )


# -- one article ---------------------------------------------------------------------------


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


def plan_article(
    source: str,
    engine: Engine,
    settings: BuildSettings,
    *,
    done: Mapping[str, str] | None = None,
    slugs: SlugBook | None = None,
) -> Plan | ArticleResult:
    """Read the article at ``source`` and decide its slug: a :class:`Plan`, or the
    result already (``skipped`` when ``done`` says it is unchanged, ``failed`` when it
    cannot be read). Costs no request to the engine. A cluster's driver calls this
    itself, so that slugs are claimed in one place (see :mod:`narrate.cluster`)."""
    start = time.perf_counter()
    slug = None
    try:
        script = load_script(source, engine.name, settings)
        slug = slugs.claim(script, source) if slugs else episode_slug(script, source)
        fp = fingerprint(script, engine, settings)
    except Exception as e:
        error = _as_narrate_error(e)
        log.info("%s failed: %s", source, error)
        return ArticleResult(source, "failed", slug, error=str(error), exception=error,
                             seconds=time.perf_counter() - start,
                             error_type=type(error).__name__)
    if source != "-" and done and done.get(source_key(source, slug)) == fp:
        log.info("%s is unchanged since its last build; skipped", source)
        return ArticleResult(source, "skipped", slug, fp, seconds=time.perf_counter() - start)
    return Plan(source, script, slug, fp)


def narrate_article(
    source: str,
    engine: Engine,
    settings: BuildSettings,
    *,
    work: Path,
    cache: ClipCache | None = None,
    limiter: AdaptiveLimiter | None = None,
    done: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
    slugs: SlugBook | None = None,
) -> ArticleResult:
    """Build the episode of the article at ``source`` unless ``done`` (source key to
    fingerprint, see :func:`up_to_date`) says it is unchanged.

    Never raises for the article (:class:`Exception`): a bad article comes back as a
    ``failed`` result naming the reason. Stages the episode's files in a new folder in
    ``work`` (the run's work area); publishing is the caller's job (:func:`_publish`).
    ``slugs`` keeps articles with one title apart (see :class:`SlugBook`); without it the
    slug is the title's.
    """
    start = time.perf_counter()
    plan = plan_article(source, engine, settings, done=done, slugs=slugs)
    if isinstance(plan, ArticleResult):
        return plan
    slug, fp = plan.slug, plan.fingerprint
    try:
        episode = stage_episode(
            source, engine, settings, cache=cache, progress=progress, limiter=limiter,
            script=plan.script, slug=slug, stage_dir=new_stage(work),
        )
    except Exception as e:
        error = _as_narrate_error(e)
        log.info("%s failed: %s", source, error)
        return ArticleResult(source, "failed", slug, fp, error=str(error), exception=error,
                             seconds=time.perf_counter() - start,
                             error_type=type(error).__name__)
    return ArticleResult(source, "built", episode.slug, fp, episode=episode,
                         seconds=time.perf_counter() - start)


def _as_narrate_error(e: Exception) -> NarrateError:
    """``e`` as the article's error: a NarrateError as it is, anything else (a bug) named as
    an internal error, its traceback logged at debug level."""
    if isinstance(e, NarrateError):
        return e
    log.debug("internal error", exc_info=e)
    error = NarrateError(f"internal error: {type(e).__name__}: {e}. Probable cause: a bug in "
                         "narrate; run with --debug and report it")
    error.__cause__ = e
    return error


def _narrate_in_child(source: str, **kwargs: Any) -> ArticleResult:
    """:func:`narrate_article` in a worker process: the result without the exception
    object (errors whose ``__init__`` takes several arguments do not survive pickling)."""
    return dataclasses.replace(narrate_article(source, **kwargs), exception=None)


# -- the batch -----------------------------------------------------------------------------


def worker_cpus(workers: int) -> tuple[int, ...] | None:
    """The CPU each of ``workers`` worker threads is pinned to, or None to let the OS
    schedule them.

    ffmpeg (7 and later) runs each stage of an encode (reading, decoding, filtering,
    encoding, writing) in a thread of its own and hands every frame from one to the next.
    Alone, an encode spreads over two cores and pays a cross-core wake-up for each hand-off:
    about 1.2 cores busy for one core's work. A batch that keeps every core busy gains
    nothing from that spread, so each worker thread is pinned to one CPU, and every process
    it starts inherits the pin (a child takes the affinity of the thread that starts it).
    On this project's 2-core machine, 20 encodes took 1.47 s as two unpinned streams and
    1.27 s pinned. A lone article is never pinned: there the spread is a gain.

    Pinning needs ``os.sched_setaffinity`` (Linux), at least two CPUs, a worker count that
    the CPUs this process may use divide evenly (the default, one per core, does), and
    ``NARRATE_PIN_WORKERS`` not set to ``0``.
    """
    if workers < 2 or os.environ.get(PIN_ENV, "1").strip() == "0":
        return None
    if not hasattr(os, "sched_setaffinity") or not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or workers % len(cpus):
        return None
    return tuple(cpus[i % len(cpus)] for i in range(workers))


def _pinner(cpus: Sequence[int]) -> Callable[[], None]:
    """A thread-pool initializer pinning each new thread to the next CPU of ``cpus``."""
    slots = itertools.count()

    def pin() -> None:
        cpu = cpus[next(slots) % len(cpus)]
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError as e:  # a CPU taken away meanwhile: run unpinned
            log.debug("cannot pin a worker to CPU %d (%s)", cpu, e)

    return pin



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


class Remote(Protocol):
    """Builds planned articles somewhere else, such as a Dask cluster
    (:class:`narrate.cluster.ClusterRemote`): :func:`run_batch` plans each article here
    (reading it and claiming its slug), submits the plan, and lands each finished
    episode's files into the output folder just before publishing it."""

    def submit(self, plan: Plan) -> Future[ArticleResult]:
        """Start building ``plan``; the future's result never raises (failed instead)."""
        ...

    def land(self, result: ArticleResult) -> ArticleResult:
        """Move a finished episode's files into the output folder; the result with the
        episode's final paths, or ``failed`` when they cannot be put there."""
        ...


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first that came:
    Ctrl-C lands after an episode is published whole (its files, the store, its page, the
    index and the feed), never in between.

    Python runs signal handlers in the main thread, whichever thread the kernel gave the
    signal to (a Dask client's or a pool's thread may take it), so blocking the signals in
    the main thread is not enough: for the block, the handlers themselves only note the
    signal. Elsewhere than the main thread handlers cannot be changed; nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[signal.Signals] = []

    def note(signum: int, frame: object) -> None:
        caught.append(signal.Signals(signum))

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, note) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)  # KeyboardInterrupt, or the CLI's SIGTERM exit
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


def _publish(
    result: ArticleResult,
    folder: OutputFolder,
    config: PodcastConfig | None,
    now: Callable[[], dt.datetime],
) -> ArticleResult:
    """Switch a staged episode in and record it in the store, the index and the feed
    (calling thread)."""
    if result.episode is None:
        return result
    try:
        episode = folder.publish(result.episode, config=config, now=now(),
                                 fingerprint=result.fingerprint)
    except Exception as e:
        return result.failed_with(_as_narrate_error(e))
    return dataclasses.replace(result, episode=episode)


def run_batch(
    sources: Sequence[str],
    engine: Engine,
    settings: BuildSettings,
    *,
    folder: OutputFolder,
    workers: int = 1,
    fail_fast: bool = False,
    config: PodcastConfig | None = None,
    now: Callable[[], dt.datetime],
    cache: ClipCache | None = None,
    limiter: AdaptiveLimiter | None = None,
    executor: Executor | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
    progress_for: Callable[[str], ProgressCallback | None] | None = None,
    force: bool = False,
    processes: bool = False,
    remote: Remote | None = None,
) -> BatchReport:
    """Narrate ``sources`` with up to ``workers`` articles at once; publish each success
    into ``folder``, after sweeping what killed runs left there.

    One ``limiter`` (a new one capped at ``settings.jobs`` unless given) is shared by every
    article, so the batch keeps one budget of requests in flight. Each finished article
    is published at once, in this thread, and passed to ``on_result``. With
    ``fail_fast`` the articles not yet started are dropped at the first failure (those
    in progress finish and are published). ``force`` rebuilds unchanged episodes too.

    ``executor`` runs :func:`narrate_article` (a thread pool of ``workers`` by default;
    with one worker, everything runs in this thread). ``now`` gives the publication time
    (an aware datetime). ``processes`` runs the articles in ``workers`` forked processes
    instead of threads: only for engines that need no shared budget (see
    ``EngineSpec.offline``); progress callbacks are not called then. ``remote`` builds
    the articles elsewhere (a cluster), planned and published here; ``workers`` and
    ``executor`` are not used then.
    """
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}")
    check_settings(settings, config)  # before any synthesis: the mix, the cover, the artwork
    folder.recover(config, now())
    work = folder.work.dir
    cache = cache or ClipCache(settings.cache_dir)
    cache.spill_to(work / "clips")
    limiter = limiter or AdaptiveLimiter(settings.jobs)
    done = {} if force else up_to_date(folder)
    slugs = SlugBook(folder.store)
    results: dict[int, ArticleResult] = {}
    not_started: list[str] = []

    def finish(i: int, result: ArticleResult) -> bool:
        """Publish and report one result; True when the batch should stop."""
        with _signals_deferred():  # landed and published whole, or not at all
            if remote is not None and result.episode is not None:
                result = remote.land(result)
            result = _publish(result, folder, config, now)
        results[i] = result
        if on_result is not None:
            on_result(result)
        return fail_fast and result.status == "failed"

    job = functools.partial(
        narrate_article, engine=engine, settings=settings, work=work, cache=cache,
        limiter=limiter, done=done, slugs=slugs,
    )

    def progress(source: str) -> ProgressCallback | None:
        return progress_for(source) if progress_for else None

    if remote is None and executor is None and min(workers, len(sources)) <= 1:
        for i, source in enumerate(sources):
            if finish(i, job(source, progress=progress(source))):
                not_started = list(sources[i + 1:])
                break
        return BatchReport([results[i] for i in sorted(results)], not_started)

    own = executor is None and remote is None  # else the caller's executor, or the remote
    pool: Executor | None = executor
    if own and processes:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        job = functools.partial(
            _narrate_in_child, engine=engine, settings=settings, work=work, cache=cache,
            done=done, slugs=slugs,
        )
    elif own:
        cpus = worker_cpus(min(workers, len(sources)))
        pool = ThreadPoolExecutor(
            workers, thread_name_prefix="narrate-article",
            initializer=_pinner(cpus) if cpus else None,
        )
    pending: dict[Future[ArticleResult], int] = {}
    stop = False
    try:
        for i, source in enumerate(sources):
            if stop:
                not_started.append(source)
            elif remote is not None:
                plan = plan_article(source, engine, settings, done=done, slugs=slugs)
                if isinstance(plan, ArticleResult):
                    stop = finish(i, plan)
                else:
                    pending[remote.submit(plan)] = i
            elif pool is None:
                raise AssertionError("run_batch: no pool and no remote")  # unreachable
            elif processes:
                pending[pool.submit(job, source)] = i
            else:
                pending[pool.submit(job, source, progress=progress(source))] = i
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f]):
                i = pending.pop(future)
                if future.cancelled():
                    not_started.append(sources[i])
                    continue
                stop = finish(i, future.result()) or stop
            if stop:
                for future in list(pending):
                    if future.cancel():
                        not_started.append(sources[pending.pop(future)])
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): nothing new starts, the articles in progress finish
        # (a thread cannot be stopped anyway), and every finished one is published, so
        # nothing built is left out of the index. A second Ctrl-C ends the wait.
        for future in pending:
            future.cancel()
        if own and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for future, i in sorted(pending.items(), key=lambda item: item[1]):
            if future.done() and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(Exception):
                    finish(i, future.result())
        pending.clear()
        raise
    finally:
        for future in pending:
            future.cancel()
        if own and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    order = {s: n for n, s in enumerate(sources)}
    return BatchReport(
        [results[i] for i in sorted(results)], sorted(not_started, key=order.__getitem__)
    )
