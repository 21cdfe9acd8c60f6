"""Where a batch's articles are built: one interface for this thread, a pool of threads, a
pool of processes and a Dask cluster.

A :class:`Runner` is a :class:`concurrent.futures.Executor` (each future is one article's
outcome; ``cancel()`` drops an article that has not started) and three facts about it:
how many articles to hand it at once, whether this process plans each article first (a
cluster's workers do not see the output folder's store, so slugs are claimed here), and how
a finished future becomes the article's result. :func:`narrate.batch.run.run_batch` is one
loop over any of them; the Dask one is :class:`narrate.cluster.ClusterRunner`, on the
executor ``distributed.Client.get_executor()`` gives.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

from narrate import cpus
from narrate.batch.results import ArticleResult, Plan
from narrate.errors import as_narrate_error

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The work of one article (:func:`narrate.batch.run.narrate_article` with everything but
#: the article bound), or of one plan on a cluster.
Job = Callable[..., Any]


class Runner:
    """A batch's executor, and how the batch hands it articles.

    ``capacity`` articles are submitted at once; the rest wait in the batch, so that
    ``--fail-fast`` and Ctrl-C leave them unstarted. With ``plans_here`` the batch reads each
    article and claims its slug itself (:func:`narrate.batch.run.plan_article`) and submits
    the :class:`~narrate.batch.results.Plan`; otherwise it submits the source and the job
    plans it where it runs. ``shared``: the job runs in this process, so it shares the
    batch's request limiter and may call a progress callback (a worker process or a
    cluster's worker cannot).
    """

    capacity: int = 1
    plans_here: bool = False
    shared: bool = True

    def __init__(self, executor: Executor, capacity: int) -> None:
        self.executor = executor
        self.capacity = capacity

    def submit(self, job: Job, item: str | Plan, **kwargs: Any) -> Future[Any]:
        """Start ``job(item, **kwargs)``, the batch's work for one article (it never raises
        for a bad article). A runner whose workers cannot run that job (a cluster's do not
        see the output folder) submits its own work for the plan instead."""
        return self.executor.submit(job, item, **kwargs)

    def outcome(self, item: str | Plan, future: Future[Any]) -> ArticleResult | None:
        """The article's result from its finished ``future``; None when it never started
        (cancelled)."""
        if future.cancelled():
            return None
        error = future.exception()
        if isinstance(error, Exception):  # a job's own bug: the article fails, not the batch
            failure = as_narrate_error(error)
            source = item.source if isinstance(item, Plan) else item
            return ArticleResult(source, "failed", error=str(failure), exception=failure,
                                 error_type=type(failure).__name__)
        result: ArticleResult = future.result()
        return result

    def close(self, *, cancel: bool) -> None:
        """Wait for the articles in progress; with ``cancel`` drop those not started."""
        self.executor.shutdown(wait=True, cancel_futures=cancel)


class InlineExecutor(Executor):
    """Runs each call at once, in the calling thread: a batch of one worker."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as e:  # a KeyboardInterrupt goes up, as it would in the loop
            future.set_exception(e)
        return future


def serial() -> Runner:
    """Every article in this thread, one after the other."""
    return Runner(InlineExecutor(), capacity=1)


def threads(workers: int, articles: int) -> Runner:
    """``workers`` threads, each pinned to one CPU when they fill the CPUs
    (:func:`~narrate.cpus.worker_cpus`). Twice as many articles as threads are
    handed over at once, so a thread takes its next article while this one publishes."""
    pins = cpus.worker_cpus(min(workers, articles))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="narrate-article",
                              initializer=cpus.pinner(pins) if pins else None)
    return Runner(pool, capacity=2 * workers)


class _Processes(Runner):
    shared = False


def processes(workers: int) -> Runner:
    """``workers`` forked processes: only for engines that need no shared request budget
    (``EngineSpec.offline``); Python's own work (chunking, mixing, tagging) spreads over
    the cores as well as ffmpeg's."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    return _Processes(pool, capacity=2 * workers)


def local(workers: int, articles: int, *, in_processes: bool = False) -> Runner:
    """The runner for ``articles`` articles on this machine with ``workers`` at once."""
    if min(workers, articles) <= 1:
        return serial()
    return processes(workers) if in_processes else threads(workers, articles)
