"""A batch on a Dask distributed cluster: the driver decides, the workers narrate.

``narrate build ARTICLES… --cluster ADDRESS`` runs :func:`narrate.batch.run.run_batch` with
a :class:`ClusterRunner`, a :class:`~narrate.batch.runners.Runner` on the executor
``Client.get_executor()`` gives. The driver (the process the user started) reads each
article, claims its slug and takes its fingerprint (:func:`narrate.batch.run.plan_article`),
exactly as a local batch does, and submits the plan, the script included, as one Dask task. A worker
builds the episode with its own engine (loaded once per worker process, see
:func:`worker_engine`) and the clip cache the settings name (``--cache-dir`` on storage
every worker sees), into a staging folder. The driver then lands the files into the
output folder and publishes them through the same function a local batch uses, one
finished article at a time, so a finished article is published while others still run.

Staging: the driver makes ``cluster/`` in its run's work area (``<out>/.narrate/runs/
<run>/``, see :mod:`narrate.publish.store`), held by the run's lock and swept by a later
run if the driver is killed. A worker stages the episode in its process's folder of the
clip cache (:meth:`~narrate.cache.ClipCache.scratch`: a worker killed mid-article leaves
its audio where the next use of the cache removes it) with
:func:`~narrate.pipeline.stage_episode` (it never opens the output folder's store); when
it sees the batch folder (shared storage) it copies the finished files into an attempt
folder under it (made then, never with its parents, so a batch the driver has ended stays
gone). A worker that does not see it sends the files' bytes back, which the driver writes
into a staging folder of its work area. Either way only the driver publishes, through
:meth:`~narrate.publish.folder.OutputFolder.publish` as a local batch does (the episode
switches whole to a new version), and it lands and publishes each episode with SIGINT and
SIGTERM held, so Ctrl-C never falls between an episode's files arriving and its entry in the
index.

Faults: a task whose worker dies is run again by the scheduler on another worker, in a
new attempt folder, and the driver gets one result per article (one Dask future each),
so the article is published once. When no worker is connected for
``no_workers_timeout`` seconds, the articles still waiting fail with a message saying so
rather than hanging. Closing the runner (Ctrl-C included) cancels every task still on the
cluster and removes the batch's staging folder: nothing half-done is published.

Google's budget: requests to Google in flight across every worker never exceed
``--jobs``, by a :class:`distributed.Semaphore` of ``--jobs`` leases on the scheduler.
The adaptive limit below it (halved on 429, grown after successes) lives in a
:class:`distributed.Variable`, changed under a :class:`distributed.Lock`: a worker holding
a lease goes ahead only while the leases held cluster-wide are within the limit, so one
429 anywhere halves what every worker may send (see :class:`ClusterLimiter`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import hashlib
import ipaddress
import json
import logging
import os
import random
import re
import shutil
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import distributed

from narrate.batch.results import ArticleResult, Plan
from narrate.batch.runners import Job, Runner
from narrate.cache import ClipCache, default_cache_dir
from narrate.cpus import cores, worker_cpus
from narrate.engines.base import Engine
from narrate.engines.limiter import AdaptiveLimiter, Outcome, Slot
from narrate.engines.registry import create_engine, offline
from narrate.errors import NarrateError, PublishError, UsageError, as_narrate_error
from narrate.pipeline import BuildSettings, stage_episode
from narrate.publish.files import media_paths
from narrate.publish.folder import OutputFolder
from narrate.stop import Cancelled

log = logging.getLogger(__name__)

#: ``--cluster local``: a LocalCluster of one single-threaded worker process per core.
LOCAL = "local"
#: The batch's folder in the driver's work area, where workers leave finished episodes.
STAGING = "cluster"
#: Seconds to reach a scheduler before giving up.
CONNECT_TIMEOUT_S = 15.0
#: Seconds with no worker connected before the articles still waiting fail.
NO_WORKERS_TIMEOUT_S = 120.0
_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/]+:\d{1,5}$")


class ClusterError(NarrateError):
    """The cluster cannot be reached or cannot build (no worker, lost scheduler)."""


# -- on the workers ------------------------------------------------------------------------

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_loads: Counter[str] = Counter()
_articles = 0
_limiters: dict[str, ClusterLimiter] = {}
#: Budgets whose limiter a worker process keeps (one per batch it took part in).
_KEEP_LIMITERS = 4


def worker_engine(name: str, options: Mapping[str, Any]) -> Engine:
    """Engine ``name`` with ``options``, created once per process and kept: a worker
    loads its voice (a model, for a neural engine) for its first article only."""
    key = json.dumps([name, dict(options)], sort_keys=True, default=str)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = create_engine(name, **options)
            _engines[key] = engine
            _loads[name] += 1
            log.info("loaded engine %s in worker process %d", name, os.getpid())
        return engine


def worker_stats() -> dict[str, Any]:
    """What this process has done: ``pid``, ``engine_loads`` by engine, ``articles``
    (``client.run(worker_stats)`` asks every worker)."""
    with _lock:
        return {"pid": os.getpid(), "engine_loads": dict(_loads), "articles": _articles}


@dataclass(frozen=True)
class Staged:
    """A worker's answer: the result, and where the episode's files are. ``folder`` is
    the attempt folder on shared storage; ``files`` the files' bytes (by the keys of
    :data:`~narrate.publish.files.MEDIA`) when the worker could not see it."""

    result: ArticleResult
    folder: str | None = None
    files: dict[str, bytes] | None = None


def build_on_worker(
    plan: Plan,
    engine_name: str,
    identity: Mapping[str, str],
    settings: BuildSettings,
    staging: str,
    budget: GoogleBudget | None,
) -> Staged:
    """Build the episode of ``plan`` (a Dask task). Never raises for a bad article."""
    global _articles
    with _lock:
        _articles += 1
    start = time.perf_counter()
    batch = Path(staging)
    folder: Path | None = None
    try:
        engine = worker_engine(engine_name, settings.engine_options.get(engine_name, {}))
        if dict(engine.identity()) != dict(identity):
            raise ClusterError(
                f"worker {socket.gethostname()} has engine {dict(engine.identity())}, the"
                f" driver {dict(identity)}. Probable cause: another version of narrate or"
                " of the engine on the workers"
            )
        limiter = budget.limiter() if budget is not None else None
        cache = ClipCache(settings.cache_dir)
        # The episode is made in the cache's folder of this process (its first use swept
        # the folders of killed ones): a worker killed mid-article leaves its audio where
        # the next run, on any machine that uses the cache, removes it.
        with cache.scratch() as temp:
            stage = temp / "episode"  # spilled clips, if the cache cannot take them,
            stage.mkdir()  # go beside it, in the same folder
            episode = stage_episode(
                plan.source, engine, settings, cache=cache,
                limiter=limiter, script=plan.script, slug=plan.slug, stage_dir=stage,
            )
            built = media_paths(stage, plan.slug)
            files = None
            if batch.is_dir():
                # Only now, and never with parents: when the driver has ended the batch
                # (Ctrl-C) its folder is gone, and this attempt leaves nothing behind.
                folder = batch / uuid.uuid4().hex
                folder.mkdir()
                for path in built.values():
                    shutil.copyfile(path, folder / path.name)
            else:
                files = {key: path.read_bytes() for key, path in built.items()}
    except Exception as e:  # one article's failure, a bug included, never ends the batch
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        error = PublishError(
            f"cannot write the episode on worker {socket.gethostname()}: {e.strerror or e}"
        ) if isinstance(e, OSError) else as_narrate_error(e)
        log.info("%s failed: %s", plan.source, error)
        return Staged(ArticleResult(
            plan.source, "failed", plan.slug, plan.fingerprint, error=str(error),
            exception=error, seconds=time.perf_counter() - start,
            error_type=type(error).__name__,
        ))
    result = ArticleResult(plan.source, "built", plan.slug, plan.fingerprint,
                           episode=episode, seconds=time.perf_counter() - start)
    return Staged(result, str(folder) if folder is not None else None, files)


# -- one Google budget for the cluster -----------------------------------------------------


@dataclass(frozen=True)
class GoogleBudget:
    """The names of one batch's shared budget on the scheduler; travels to the workers."""

    name: str
    jobs: int

    @property
    def semaphore(self) -> str:
        return f"{self.name}-leases"

    @property
    def state(self) -> str:
        return f"{self.name}-limit"

    @property
    def lock(self) -> str:
        return f"{self.name}-lock"

    def create(self, client: distributed.Client) -> None:
        """Register the semaphore and the limit on the scheduler (the driver, once)."""
        distributed.Semaphore(max_leases=self.jobs, name=self.semaphore).register()
        distributed.Variable(self.state, client=client).set(
            {"limit": self.jobs, "epoch": 0, "successes": 0, "lowest": self.jobs}
        )

    def read(self, client: distributed.Client) -> dict[str, int]:
        """The limit's state: ``limit``, ``epoch`` (halvings), ``successes``, ``lowest``."""
        state: dict[str, int] = distributed.Variable(self.state, client=client).get(timeout=10)
        return state

    def close(self, client: distributed.Client) -> None:
        """Forget the budget on the scheduler (the driver, at the end)."""
        with contextlib.suppress(Exception):
            distributed.Semaphore(max_leases=self.jobs, name=self.semaphore).close()
        with contextlib.suppress(Exception):
            distributed.Variable(self.state, client=client).delete()

    def limiter(self) -> ClusterLimiter:
        """This process's limiter for the budget (one per process, made on first use)."""
        with _lock:
            limiter = _limiters.get(self.name)
            if limiter is None:
                while len(_limiters) >= _KEEP_LIMITERS:  # batches long over, on a long-lived worker
                    _limiters.pop(next(iter(_limiters))).forget()
                limiter = _limiters[self.name] = ClusterLimiter(self)
            return limiter


class ClusterLimiter(AdaptiveLimiter):
    """An :class:`~narrate.engines.limiter.AdaptiveLimiter` whose budget is the cluster's.

    To send, a thread takes a lease of the budget's semaphore (at most ``jobs`` cluster-wide,
    whatever happens), then reads the current limit; when the leases held cluster-wide
    exceed it, the thread gives its lease back and tries again a little later. A 429 (or a
    timeout) halves the limit for everyone, once per epoch as the local limiter does;
    ``limit`` successes in a row raise it by one, up to ``jobs``. Changes are made under
    the budget's lock, so two workers hearing 429 at once halve it once.

    A worker that dies holding leases gives them back when the scheduler's lease timeout
    (``distributed.scheduler.locks.lease-timeout``, 30 s) expires.
    """

    def __init__(self, budget: GoogleBudget) -> None:
        super().__init__(budget.jobs)
        self.budget = budget
        self._leases = distributed.Semaphore(max_leases=budget.jobs, name=budget.semaphore)
        self._leases.register()  # binds it to this worker (or client) and its event loop
        self._update = distributed.Lock(budget.lock)
        self._update.register()
        self._client = distributed.get_client()
        self._state = distributed.Variable(budget.state, client=self._client)
        self._known = budget.jobs
        self._rng = random.Random()

    def forget(self) -> None:
        """Stop refreshing this process's leases (its batch is over)."""
        for semaphore in (self._leases, self._update):
            with contextlib.suppress(Exception):
                semaphore.refresh_callback.stop()

    def _read(self) -> dict[str, int]:
        state: dict[str, int] = self._state.get(timeout=30)
        self._known = state["limit"]
        return state

    @property
    def limit(self) -> int:
        return self._read()["limit"]

    @property
    def lowest(self) -> int:
        return self._read()["lowest"]

    @property
    def decreases(self) -> int:
        return self._read()["epoch"]

    def acquire(self, cancel: threading.Event | None = None) -> Slot:
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled
            if not self._leases.acquire(timeout=0.25):
                continue
            try:
                state = self._read()
                admitted = self._leases.get_value() <= state["limit"]
            except BaseException:
                self._leases.release()
                raise
            if admitted:
                with self._cond:
                    self._in_flight += 1
                    self._peak = max(self._peak, self._in_flight)
                return Slot(state["epoch"])
            self._leases.release()
            pause = self._rng.uniform(0.02, 0.1)
            if cancel is not None:
                cancel.wait(pause)
            else:
                time.sleep(pause)

    def release(self, slot: Slot, outcome: Outcome) -> None:
        self._leases.release()
        with self._cond:
            self._in_flight -= 1
        if outcome == "congestion":
            self._change(lambda s: _halved(s) if s["epoch"] == slot.epoch else None)
        elif outcome == "success" and self._known < self.budget.jobs:
            self._change(lambda s: _grown(s, self.budget.jobs))

    def _change(self, how: Any) -> None:
        self._update.acquire()
        try:
            new = how(self._read())
            if new is not None:
                self._state.set(new)
                self._known = new["limit"]
        finally:
            self._update.release()


def _halved(state: dict[str, int]) -> dict[str, int]:
    limit = max(1, state["limit"] // 2)
    log.info("Google answered 429: the cluster's limit goes from %d to %d",
             state["limit"], limit)
    return {"limit": limit, "epoch": state["epoch"] + 1, "successes": 0,
            "lowest": min(state["lowest"], limit)}


def _grown(state: dict[str, int], jobs: int) -> dict[str, int]:
    successes = state["successes"] + 1
    limit = state["limit"]
    if successes >= limit and limit < jobs:
        limit, successes = limit + 1, 0
    return {**state, "limit": limit, "successes": successes}


class PinWorkers(distributed.WorkerPlugin):
    """Pins the worker process named ``i`` (a LocalCluster's names are 0, 1, ...) to CPU
    ``cpus[i]``, every thread of it, so its ffmpeg runs inherit the pin: the same gain as
    pinning a local batch's threads (see :func:`narrate.cpus.worker_cpus`)."""

    def __init__(self, cpus: tuple[int, ...]) -> None:
        self.cpus = cpus

    def setup(self, worker: distributed.Worker) -> None:
        try:
            cpu = self.cpus[int(worker.name) % len(self.cpus)]
        except (TypeError, ValueError):
            return  # not one of a LocalCluster's workers
        for task in Path("/proc/self/task").iterdir():
            try:
                os.sched_setaffinity(int(task.name), {cpu})
            except OSError as e:  # a thread that ended, or a CPU taken away
                log.debug("cannot pin thread %s to CPU %d (%s)", task.name, cpu, e)


# -- on the driver -------------------------------------------------------------------------


def connect(
    address: str, *, workers: int | None = None, scratch: Path | None = None
) -> tuple[distributed.Client, distributed.LocalCluster | None]:
    """A client of the scheduler at ``address`` (``tls://host:port``, ``tcp://host:port``,
    ``host:port``), or of a new LocalCluster of ``workers`` (default: one per core)
    single-threaded worker processes on 127.0.0.1 for ``local``.

    The local cluster speaks mutual TLS with credentials made for it (Dask's temporary
    ones, ``security=True``): whoever can connect to a scheduler runs code in its
    workers, and only this process holds them. Its scratch space (Dask's worker and
    scheduler folders) goes in ``scratch`` (a run's work area, swept if the run is
    killed) rather than in the system's temporary folder. A remote ``tcp://`` scheduler
    off this machine is one warning: TLS is Dask's configuration (docs/scaling.md).
    """
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # Dask logs every worker and client coming and going at INFO; a user's terminal
        # wants the articles' lines only (--debug shows them).
        logging.getLogger("distributed").setLevel(logging.ERROR)
    if address == LOCAL:
        return _local_cluster(workers, scratch)
    if "://" not in address:
        address = f"tcp://{address}"
    if "://" not in address:
        address = f"tcp://{address}"
    if not _ADDRESS.match(address):
        raise UsageError(
            f"--cluster takes a scheduler address such as tcp://10.0.0.5:8786, or 'local';"
            f" not {address!r}"
        )
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, TypeError, ValueError) as e:  # TypeError: tls://, no TLS set up
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({e}). Probable cause: the"
            " scheduler is not running, the address or port is wrong, or it takes TLS"
            " and Dask's configuration has no certificate for this client"
        ) from e
    if address.startswith("tcp://") and not _loopback(address):
        log.warning("the Dask scheduler at %s is reached without TLS: anyone who can reach "
                    "it can run code on its workers. Probable fix: TLS with your own CA "
                    "(see docs/scaling.md, 'Who may use the cluster')", address)
    return client, None


def _local_cluster(
    workers: int | None, scratch: Path | None
) -> tuple[distributed.Client, distributed.LocalCluster]:
    """A LocalCluster behind temporary TLS credentials, with its scratch in ``scratch``."""
    import dask

    where = {} if scratch is None else {"temporary-directory": str(scratch)}
    try:
        if scratch is not None:
            scratch.mkdir(parents=True, exist_ok=True)
        security = _credentials(scratch / "tls" if scratch else None)
        with dask.config.set(where):
            cluster = distributed.LocalCluster(
                n_workers=workers or cores(), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=_worker_logs(),
                security=security, local_directory=str(scratch) if scratch else None,
            )
    except (OSError, RuntimeError, ImportError) as e:
        raise ClusterError(f"cannot start a local Dask cluster: {e}") from e
    client = distributed.Client(cluster)  # the cluster's credentials come with it
    cpus = worker_cpus(len(cluster.workers))
    if cpus:
        try:
            client.register_plugin(PinWorkers(cpus), name="narrate-pin-workers")
        except Exception as e:  # a worker gone at once: pinning is a gain, not a need
            log.debug("workers not pinned (%s)", e)
    return client, cluster


def _worker_logs() -> int:
    """The level of the local workers' own log lines on the terminal: their errors with
    ``--debug``, else none (an article's failure is the driver's one line; a worker's
    heartbeat cut short as the cluster closes is not news)."""
    return logging.ERROR if logging.getLogger().isEnabledFor(logging.DEBUG) else logging.CRITICAL


def _credentials(folder: Path | None) -> distributed.Security:
    """Dask's temporary credentials (a key and a self-signed certificate made now, for
    every role), as files only this user can read in ``folder`` (the run's work area).

    Dask keeps them in memory, but writes them to a new folder in the system's temporary
    folder each time it makes a TLS connection: a run killed at that moment would leave
    the key there. In the run's work area the next run sweeps them, and the run removes
    them when it ends. Without ``folder``, Dask's in-memory credentials as they are."""
    temporary: Any = distributed.Security.temporary()  # its tls_* fields are set at run time
    if folder is None:
        in_memory: distributed.Security = temporary
        return in_memory
    folder.mkdir(mode=0o700)
    files = {}
    for name, text in (("cert.pem", temporary.tls_scheduler_cert),
                       ("key.pem", temporary.tls_scheduler_key)):
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text)
        files[name] = str(path)
    cert, key = files["cert.pem"], files["key.pem"]
    return distributed.Security(
        require_encryption=True, tls_ca_file=cert,
        tls_client_cert=cert, tls_client_key=key, tls_scheduler_cert=cert,
        tls_scheduler_key=key, tls_worker_cert=cert, tls_worker_key=key,
    )


def _loopback(address: str) -> bool:
    """True for a scheduler address on this machine (127.0.0.0/8, ::1, localhost)."""
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _for_workers(settings: BuildSettings, *, local: bool) -> BuildSettings:
    """``settings`` with absolute paths (a worker's working folder is its own); on a local
    cluster the workers share the driver's clip cache. The driver reads the articles, so
    its article reader (a feed's, with its HTTP client) stays with it."""
    cache = settings.cache_dir or (default_cache_dir() if local else None)
    mix = settings.mix
    return dataclasses.replace(
        settings,
        article_reader=None,
        cache_dir=cache.expanduser().resolve() if cache else None,
        cover=settings.cover.resolve() if settings.cover else None,
        mix=dataclasses.replace(
            mix,
            intro=mix.intro.resolve() if mix.intro else None,
            outro=mix.outro.resolve() if mix.outro else None,
        ),
    )


class ClusterRunner(Runner):
    """Builds a batch's planned articles on a Dask cluster: a
    :class:`~narrate.batch.runners.Runner` on the executor ``Client.get_executor()`` gives
    (``concurrent.futures`` semantics: a future per article, ``cancel()`` cancels the task
    on the cluster).

    The batch plans each article here (slugs are claimed in this process's store) and
    submits the plan; :func:`build_on_worker` builds it on a worker; :meth:`outcome` lands
    the finished episode's files in the output folder's work area, where the batch
    publishes them. Every article is handed over at once: the scheduler keeps the queue.
    """

    plans_here = True
    shared = False

    def __init__(
        self,
        client: distributed.Client,
        engine: Engine,
        settings: BuildSettings,
        folder: OutputFolder,
        *,
        local: bool = False,
        no_workers_timeout: float = NO_WORKERS_TIMEOUT_S,
    ) -> None:
        #: distributed's ClientExecutor (untyped): its ``submit`` takes the task's ``key``.
        self._tasks: Any = client.get_executor(pure=False)
        super().__init__(self._tasks, capacity=1 << 30)
        self.client = client
        self.engine = engine
        self.folder = folder
        self.settings = _for_workers(settings, local=local)
        self.batch = uuid.uuid4().hex
        self.staging = folder.work.dir.resolve() / STAGING
        self.no_workers_timeout = no_workers_timeout
        try:
            self.staging.mkdir()
        except OSError as e:
            raise PublishError(
                f"cannot create the staging folder {self.staging}: {e.strerror or e}") from e
        self.budget: GoogleBudget | None = None
        if not offline(engine):  # an engine that sends requests shares one budget
            self.budget = GoogleBudget(f"narrate-google-{self.batch}", settings.jobs)
            self.budget.create(client)
        self._identity = dict(engine.identity())
        self._lock = threading.Lock()
        self._waiting: set[concurrent.futures.Future[Any]] = set()
        self._abandoned: dict[concurrent.futures.Future[Any], ClusterError] = {}
        self._closed = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="narrate-cluster-watch",
                                          daemon=True)
        self._watchdog.start()

    def submit(self, job: Job, item: str | Plan, **kwargs: Any
               ) -> concurrent.futures.Future[Any]:
        """The plan's build on a worker (:func:`build_on_worker`), not ``job``: a worker does
        not see the output folder."""
        if not isinstance(item, Plan):
            raise TypeError("a cluster builds plans (ClusterRunner.plans_here)")
        tag = hashlib.sha256(f"{item.slug}\0{item.fingerprint}".encode()).hexdigest()[:16]
        future: concurrent.futures.Future[Any] = self._tasks.submit(
            build_on_worker, item, self.engine.name, self._identity, self.settings,
            str(self.staging), self.budget, key=f"narrate-{tag}-{self.batch[:12]}",
        )
        with self._lock:
            self._waiting.add(future)
        future.add_done_callback(self._settled)
        return future

    def _settled(self, future: concurrent.futures.Future[Any]) -> None:
        with self._lock:
            self._waiting.discard(future)

    def outcome(self, item: str | Plan, future: concurrent.futures.Future[Any]
                ) -> ArticleResult | None:
        """The article's result: its files landed in the output folder's work area, or
        ``failed`` when the cluster could not build it or its files cannot be landed."""
        if not isinstance(item, Plan):
            raise TypeError("a cluster builds plans (ClusterRunner.plans_here)")
        with self._lock:
            abandoned = self._abandoned.pop(future, None)
        if abandoned is not None:
            return _failed(item, abandoned)
        if future.cancelled():
            return None
        error = future.exception()
        if error is not None:
            return _failed(item, ClusterError(
                f"the cluster could not build it ({type(error).__name__}: {error})."
                " Probable cause: the workers running it died (out of memory?) or"
                " another version of narrate runs on them"))
        staged: Staged = future.result()
        return self.land(staged)

    def land(self, staged: Staged) -> ArticleResult:
        """Put a finished episode's files into this run's work area (moved, when a worker
        left them on shared storage; written, when it sent them); the result with the
        episode's staged paths, or ``failed`` when they cannot be put there."""
        result = staged.result
        if result.episode is None or result.slug is None:
            return result
        try:
            if staged.folder is not None:  # on shared storage: published by renames
                final = media_paths(Path(staged.folder), result.slug)
                missing = [p.name for p in final.values() if not p.is_file()]
                if missing:
                    raise FileNotFoundError(f"{', '.join(missing)} missing")
            elif staged.files is not None:
                final = media_paths(self.folder.stage(), result.slug)
                for key, path in final.items():
                    path.write_bytes(staged.files[key])
            else:
                raise FileNotFoundError("no files")
        except OSError as e:
            if staged.folder is not None:
                shutil.rmtree(staged.folder, ignore_errors=True)
            return result.failed_with(PublishError(
                f"cannot stage episode {result.slug} in {self.folder.path}: {e.strerror or e}"))
        return dataclasses.replace(
            result, episode=dataclasses.replace(result.episode, files=final))

    def _watch(self) -> None:
        """Fail the waiting articles when no worker is connected for too long."""
        since: float | None = None
        while not self._closed.wait(0.5):
            with self._lock:
                waiting = [f for f in self._waiting if not f.done()]
            if not waiting:
                since = None
                continue
            try:
                workers = len(self.client.nthreads())
            except Exception:  # the scheduler is gone too
                workers = 0
            if workers:
                since = None
                continue
            now = time.monotonic()
            since = since if since is not None else now
            if now - since < self.no_workers_timeout:
                continue
            log.warning("no Dask worker for %.0f s; failing %d articles",
                        now - since, len(waiting))
            error = ClusterError(
                f"no Dask worker was connected for {self.no_workers_timeout:g} s. Probable"
                " cause: the workers died or cannot reach the scheduler")
            for future in waiting:
                with self._lock:
                    self._abandoned[future] = error
                if not future.cancel():  # settled meanwhile: its own outcome stands
                    with self._lock:
                        self._abandoned.pop(future, None)
            since = None

    def budget_state(self) -> dict[str, int] | None:
        """The shared Google budget's state (None for an engine that needs none)."""
        return self.budget.read(self.client) if self.budget is not None else None

    def close(self, *, cancel: bool = True) -> None:
        """Cancel every task still on the cluster; remove the staging folder."""
        self._closed.set()
        with contextlib.suppress(Exception):  # the scheduler may be gone
            self.executor.shutdown(wait=False)  # cancels what is left on the cluster
        if self.budget is not None:
            self.budget.close(self.client)
        shutil.rmtree(self.staging, ignore_errors=True)


def _failed(plan: Plan, error: NarrateError) -> ArticleResult:
    return ArticleResult(plan.source, "failed", plan.slug, plan.fingerprint, error=str(error),
                         exception=error, error_type=type(error).__name__)


@contextlib.contextmanager
def open_cluster(
    address: str,
    engine: Engine,
    settings: BuildSettings,
    folder: OutputFolder,
    *,
    workers: int | None = None,
    no_workers_timeout: float = NO_WORKERS_TIMEOUT_S,
) -> Iterator[ClusterRunner]:
    """A :class:`ClusterRunner` on the cluster at ``address`` (see :func:`connect`); on the
    way out its tasks are cancelled and the client (and a local cluster) closed."""
    client, cluster = connect(address, workers=workers, scratch=folder.work.dir / "dask")
    try:
        runner = ClusterRunner(client, engine, settings, folder, local=cluster is not None,
                               no_workers_timeout=no_workers_timeout)
        try:
            yield runner
        finally:
            runner.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
