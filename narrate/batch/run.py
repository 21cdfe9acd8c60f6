"""A batch: many articles at once, one shared request budget, failures isolated.

The unit of work is :func:`narrate_article`, a module-level function of the article's
source, the engine, the settings, the clip cache and the fingerprints of the episodes
already built. It never raises for a bad article: it returns an
:class:`~narrate.batch.results.ArticleResult` that is ``built``, ``skipped`` (unchanged
since the last build, see :mod:`narrate.batch.changes`) or ``failed`` with the reason.
:func:`run_batch` hands the articles to a :class:`~narrate.batch.runners.Runner`: this
thread for one worker, a thread pool by default (so that one
:class:`~narrate.engines.limiter.AdaptiveLimiter` is shared by every article and Google sees
a single budget for the whole batch; the heavy CPU work, decoding, loudness and encoding,
happens in ffmpeg subprocesses, which the threads keep busy on every core), forked
processes, or a Dask cluster (:class:`narrate.cluster.ClusterRunner`).

Each article is *staged* by its worker (:func:`narrate.pipeline.stage_episode`, into this
run's work area) and *published* by the calling thread, one finished article at a time
(:meth:`narrate.publish.folder.OutputFolder.publish`), with SIGINT and SIGTERM held
(:func:`~narrate.batch.signals.signals_deferred`): the folder's store (SQLite) takes each
change as one transaction, so any number of processes may build into one folder at once.
Slugs are claimed in the store (:class:`~narrate.batch.slugs.SlugBook`), so two articles
with one title get their own episodes even when two processes build them at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import Any

from narrate.batch import runners
from narrate.batch.changes import fingerprint, up_to_date
from narrate.batch.results import ArticleResult, BatchReport, Plan
from narrate.batch.signals import signals_deferred
from narrate.batch.slugs import SlugBook
from narrate.cache import ClipCache
from narrate.config import PodcastConfig
from narrate.engines.base import Engine
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import UsageError, as_narrate_error
from narrate.pipeline import BuildSettings, check_settings, episode_slug, load_script, stage_episode
from narrate.publish.folder import OutputFolder
from narrate.publish.index import source_key
from narrate.publish.store import new_stage
from narrate.stop import Cancelled, Stop
from narrate.synth import ProgressCallback

log = logging.getLogger(__name__)


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
        error = as_narrate_error(e)
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
    stop: Stop | None = None,
    on_start: Callable[[str], None] | None = None,
) -> ArticleResult:
    """Build the episode of the article at ``source`` unless ``done`` (source key to
    fingerprint, see :func:`up_to_date`) says it is unchanged.

    Never raises for the article (:class:`Exception`): a bad article comes back as a
    ``failed`` result naming the reason. Stages the episode's files in a new folder in
    ``work`` (the run's work area); publishing is the caller's job (:func:`_publish`).
    ``slugs`` keeps articles with one title apart (see :class:`SlugBook`); without it the
    slug is the title's. When ``stop`` is set (Ctrl-C) the article ends at once with
    :class:`~narrate.stop.Cancelled`, which is not the article's failure. ``on_start`` is
    called with ``source`` when the article is read and will be spoken (not skipped).
    """
    start = time.perf_counter()
    plan = plan_article(source, engine, settings, done=done, slugs=slugs)
    if isinstance(plan, ArticleResult):
        return plan
    slug, fp = plan.slug, plan.fingerprint
    if on_start is not None:
        on_start(source)
    try:
        episode = stage_episode(
            source, engine, settings, cache=cache, progress=progress, limiter=limiter,
            script=plan.script, slug=slug, stage_dir=new_stage(work), stop=stop,
        )
    except Cancelled:
        raise
    except Exception as e:
        error = as_narrate_error(e)
        log.info("%s failed: %s", source, error)
        return ArticleResult(source, "failed", slug, fp, error=str(error), exception=error,
                             seconds=time.perf_counter() - start,
                             error_type=type(error).__name__)
    return ArticleResult(source, "built", episode.slug, fp, episode=episode,
                         seconds=time.perf_counter() - start)


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
        return result.failed_with(as_narrate_error(e))
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
    runner: runners.Runner | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
    progress_for: Callable[[str], ProgressCallback | None] | None = None,
    on_start: Callable[[str], None] | None = None,
    force: bool = False,
    processes: bool = False,
) -> BatchReport:
    """Narrate ``sources`` with up to ``workers`` articles at once; publish each success
    into ``folder``, after sweeping what killed runs left there. At the end the folder's
    feed is brought up to date with ``config`` whatever was built (see
    :meth:`~narrate.publish.folder.OutputFolder.write_public`: a file is written only when
    what it says changed).

    One ``limiter`` (a new one capped at ``settings.jobs`` unless given) is shared by every
    article, so the batch keeps one budget of requests in flight. Each finished article
    is published at once, in this thread, and passed to ``on_result``. With
    ``fail_fast`` the articles not yet started are dropped at the first failure (those
    in progress finish and are published). ``force`` rebuilds unchanged episodes too.
    ``on_start`` is called with each article's source when it is about to be spoken (read,
    and not skipped as unchanged), from the thread that speaks it (not with ``processes``).
    ``now`` gives the publication time (an aware datetime).

    ``runner`` builds the articles (:mod:`narrate.batch.runners`; the caller's runner is
    the caller's to close): by default this thread for one worker, else ``workers``
    threads, or with ``processes`` ``workers`` forked processes (only for an engine that
    needs no shared budget: ``EngineSpec.offline``; progress callbacks are not called
    then). A cluster is a runner too (:class:`narrate.cluster.ClusterRunner`).
    """
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}")
    check_settings(settings, config)  # before any synthesis: the mix, the cover, the artwork
    folder.recover(config, now())  # what killed runs left, before this one adds to it
    work = folder.work.dir
    cache = cache or ClipCache(settings.cache_dir)
    cache.spill_to(work / "clips")
    limiter = limiter or AdaptiveLimiter(settings.jobs)
    done = {} if force else up_to_date(folder)
    slugs = SlugBook(folder.store)
    own = runner is None
    if runner is None:
        runner = runners.local(workers, len(sources), in_processes=processes)
    #: Set on Ctrl-C (or SIGTERM): the articles in progress stop at once.
    stop = Stop()
    job: runners.Job = functools.partial(
        narrate_article, engine=engine, settings=settings, work=work, cache=cache,
        limiter=limiter if runner.shared else None, done=done, slugs=slugs,
        stop=stop if runner.shared else None,  # a worker process cannot see this one
        on_start=on_start if runner.shared and not runner.plans_here else None,
    )
    results: dict[int, ArticleResult] = {}
    not_started: list[str] = []
    pending: dict[Future[Any], tuple[int, str | Plan]] = {}
    queue = iter(enumerate(sources))

    def finish(i: int, result: ArticleResult) -> bool:
        """Report one result; True when the batch should stop."""
        results[i] = result
        if on_result is not None:
            on_result(result)
        return fail_fast and result.status == "failed"

    def land(future: Future[Any]) -> bool:
        """Publish (or report) the article of a finished ``future``, whole: the runner's
        outcome (a cluster moves the files in) and the switch happen with signals held."""
        i, item = pending.pop(future)
        with signals_deferred():
            result = runner.outcome(item, future)
            if result is not None:
                result = _publish(result, folder, config, now)
        if result is None:
            not_started.append(sources[i])
            return False
        return finish(i, result)

    halt = False

    def start() -> bool:
        """Hand the runner the next article; False when none is left (or the batch stops)."""
        nonlocal halt
        for i, source in queue:
            item: str | Plan = source
            if runner.plans_here:  # read here, claimed here: skipped or failed at once
                plan = plan_article(source, engine, settings, done=done, slugs=slugs)
                if isinstance(plan, ArticleResult):
                    halt = finish(i, plan)
                    if halt:
                        return False
                    continue
                item = plan
                if on_start is not None:
                    on_start(source)
            progress = progress_for(source) if progress_for and runner.shared else None
            extra = {"progress": progress} if progress is not None else {}
            pending[runner.submit(job, item, **extra)] = (i, item)
            return True
        return False

    try:
        while True:
            while not halt and len(pending) < runner.capacity and start():
                pass
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f][0]):
                halt = land(future) or halt
            if halt:
                for future in [f for f in pending if f.cancel()]:
                    not_started.append(sources[pending.pop(future)[0]])
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): nothing new starts and the articles in progress
        # stop at once (their staged files go with the run's work area); an article that
        # had finished is published whole, so nothing built is left out of the index.
        stop.set()
        for future in pending:
            future.cancel()
        if own:
            runner.close(cancel=True)
        for future in sorted(pending, key=lambda f: pending[f][0]):
            if future.done() and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(Exception):
                    land(future)
        pending.clear()
        raise
    finally:
        for future in pending:
            future.cancel()
        if own:
            runner.close(cancel=True)
    not_started += [source for _, source in queue]
    if config is not None and config.base_url:
        # The feed follows the settings of this run even when no episode needed building
        # (a base URL given for the first time, a new title); unchanged, nothing is written.
        folder.write_public(config, now=now())
    order = {s: n for n, s in enumerate(sources)}
    return BatchReport(
        [results[i] for i in sorted(results)], sorted(not_started, key=order.__getitem__)
    )
