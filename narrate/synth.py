"""Speech for every chunk of a script: from the clip cache, else from the engine, resiliently.

:func:`synthesize` looks every chunk up in the :class:`~narrate.cache.ClipCache` and asks the
engine only for the misses, several at once under an
:class:`~narrate.engines.limiter.AdaptiveLimiter`. Failures that may pass (429, 5xx,
timeouts, dropped connections, empty audio) are retried with exponential backoff and full
jitter, waiting at least what ``Retry-After`` asks. Each clip is stored as soon as it is
done, so a run that fails halfway keeps what it finished and the next run asks only for
the rest. An MP3 answer is decoded to WAV by the thread that received it, while the others
still wait for Google, so little is left to do after the last answer; the WAV is cached
beside the MP3. When a chunk keeps failing, one :class:`~narrate.errors.EngineError` names it.

:func:`resolve_engine` turns ``auto`` into gtts when Google answers a quick probe, else the
first offline engine that can be used, and says so in one line.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from narrate.cache import ClipCache
from narrate.engines.base import Engine, Probe, TransientEngineError
from narrate.engines.limiter import AdaptiveLimiter, Outcome
from narrate.engines.registry import AUTO, auto_order, create_engine, engine_spec, registered
from narrate.engines.spec import AudioFormat, EngineSpec
from narrate.errors import AudioError, EmptyAudio, EngineError, EngineUnavailable
from narrate.model import Chunk, Clip, Script, Synthesis
from narrate.stop import Cancelled, Stop, scope

log = logging.getLogger(__name__)

#: Requests in flight at most (``--jobs``). gTTS spends ~25 ms of CPU per request (a new
#: session and TLS context each time), so 16 keeps a 30-chunk article to two or three rounds
#: of Google's latency; the adaptive limiter halves it at the first 429.
DEFAULT_JOBS = 16
#: Seconds ``auto`` waits for Google before choosing the offline voice.
PROBE_TIMEOUT_S = 2.0

ProgressKind = Literal["loading", "speaking", "cached", "synthesized", "retried"]


@dataclass(frozen=True)
class Progress:
    """One event for a progress bar. ``cached`` and ``synthesized`` finish a chunk;
    ``retried`` says a try failed and another follows after ``delay_s``. Before the first
    request, ``loading`` says the engine is getting ready (a model loading: seconds that
    are not speaking) and ``speaking`` that the requests begin, with the characters still
    to speak in ``chars``; these two have no chunk (``position`` 0, ``section`` and
    ``index`` -1).

    ``position`` is the chunk's 1-based place among all ``total`` chunks of the script;
    ``section`` and ``index`` locate it in ``script.sections[section].chunks[index]``.
    ``chars`` of a finished chunk is the length of the text spoken for it (0 for a cached
    one, and for a second place with the same text: it was spoken once), so that a bar
    can tell the work done from the work left.
    """

    kind: ProgressKind
    position: int
    total: int
    section: int
    index: int
    attempt: int = 0
    delay_s: float = 0.0
    reason: str = ""
    #: The clip, for a finished chunk (a progress bar reads its duration); not part of
    #: the event's identity.
    path: Path | None = field(default=None, compare=False)
    chars: int = field(default=0, compare=False)


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How long to insist on one chunk.

    Up to ``tries`` tries, waiting a random time in ``[0, min(max_delay_s, base_delay_s *
    2**n))`` before try ``n + 1`` ("full jitter", so many chunks retrying do not hit Google
    in step), and never less than ``Retry-After``. A ``Retry-After`` over
    ``max_retry_after_s`` ends the tries at once (Google means minutes, not seconds), and
    no try starts ``give_up_after_s`` after the chunk's first, so a dead Google fails a run
    within a minute.
    """

    tries: int = 8
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0
    give_up_after_s: float = 45.0
    #: No network (``unreachable``: a name that does not resolve, a connection refused) is
    #: not a rate limit: the run tries again only for this long after the first such
    #: failure, whichever chunk had it, then fails naming the network.
    unreachable_s: float = 2.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Seconds before retry number ``retry`` (1 for the second try)."""
        return rng.uniform(0.0, min(self.max_delay_s, self.base_delay_s * 2 ** (retry - 1)))


def _split(message: str) -> tuple[str, str]:
    """A message's premise and probable cause ("premise. Probable cause: cause")."""
    premise, _, cause = message.partition(". Probable cause: ")
    return premise.rstrip("."), cause


@dataclass
class _Job:
    """One request: a distinct text and every place in the script that says it."""

    text: str
    places: list[tuple[int, int, int]] = field(default_factory=list)  # position, section, index


class _GaveUp(Exception):
    """A chunk failed for good after ``tries`` tries; ``error`` is the last failure."""

    def __init__(self, error: EngineError, tries: int, reason: str = "",
                 network_s: float | None = None) -> None:
        self.error = error
        self.tries = tries
        self.reason = reason
        #: The seconds the run tried while the network could not be reached (it is the
        #: network that failed, not this chunk).
        self.network_s = network_s
        super().__init__(str(error))


class _Run:
    """The state of one :func:`synthesize` call shared by its worker threads."""

    def __init__(
        self,
        engine: Engine,
        cache: ClipCache,
        identity: Mapping[str, str],
        limiter: AdaptiveLimiter,
        total: int,
        progress: ProgressCallback | None,
        retry: RetryPolicy,
        sleep: Callable[[float], None] | None,
        clock: Callable[[], float],
        rng: random.Random,
        stop: Stop | None = None,
    ) -> None:
        self.engine = engine
        self.cache = cache
        self.identity = identity
        self.limiter = limiter
        self.total = total
        self.progress = progress
        self.retry = retry
        self.clock = clock
        self.rng = rng
        #: Set when the run ends early: a chunk failed for good, or ``stop`` (the caller's)
        #: was set. The engine sees it while it works (:func:`narrate.stop.current`).
        self.stop = stop.child() if stop is not None else Stop()
        self.decoder: _Decoder | None = None
        self._sleep = sleep
        self._lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.finished = 0
        #: When the first ``unreachable`` failure of the run came (see RetryPolicy).
        self.unreachable_since: float | None = None

    def emit(self, event: Progress) -> None:
        """Tell the progress callback, unless the run was stopped: a chunk left to finish
        after Ctrl-C draws no bar over the lines that follow."""
        if self.progress is not None and not self.stop.is_set():
            with self._lock:
                self.progress(event)

    def sleep(self, seconds: float) -> None:
        if self._sleep is None:
            self.stop.wait(seconds)
        else:
            self._sleep(seconds)

    def count(self, *, requests: int = 0, retries: int = 0, finished: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.retries += retries
            self.finished += finished

    def speak(self, job: _Job) -> Path:
        """The clip for ``job``. Any failure stops the run at once: no other chunk starts
        a new try (the main thread learns of it a little later)."""
        try:
            return self._speak(job)
        except Cancelled:
            raise
        except BaseException:
            self.stop.set()
            raise

    def _speak(self, job: _Job) -> Path:
        """Tries until the clip is made, the chunk gives up, or the run stops."""
        first = self.clock()
        tries = 0
        while True:
            if self.stop.is_set():
                raise Cancelled
            slot = self.limiter.acquire(self.stop)
            tries += 1
            self.count(requests=1)
            outcome: Outcome = "failure"
            error: EngineError | None = None
            try:
                with scope(self.stop):
                    data = self.engine.synthesize(job.text)
                outcome = "success"
            except (TransientEngineError, EmptyAudio) as e:
                error = e
                if isinstance(e, TransientEngineError) and e.kind in ("rate_limit", "timeout"):
                    outcome = "congestion"
            finally:
                self.limiter.release(slot, outcome)
            if error is None:
                key = cache_text(self.engine, job.text)
                path = self.cache.put(self.identity, key, self.engine.audio_format, data)
                if self.decoder is not None:
                    self.decoder.submit(job.text, key, path, data)
                self.count(finished=1)
                for n, (position, section, index) in enumerate(job.places):
                    self.emit(Progress("synthesized", position, self.total, section, index,
                                       attempt=tries, path=path,
                                       chars=0 if n else len(job.text)))
                return path
            delay = self._delay_or_give_up(error, tries, first)
            self.count(retries=1)
            reason = _split(str(error))[0]
            log.info("try %d of %r failed (%s); next in %.1f s", tries, job.text, reason, delay)
            for position, section, index in job.places:
                self.emit(Progress("retried", position, self.total, section, index,
                                   attempt=tries, delay_s=delay, reason=reason))
            self.sleep(delay)

    def _delay_or_give_up(self, error: EngineError, tries: int, first: float) -> float:
        """Seconds to wait before the next try, or :class:`_GaveUp`."""
        if isinstance(error, TransientEngineError) and error.kind == "unreachable":
            now = self.clock()
            with self._lock:
                if self.unreachable_since is None:
                    self.unreachable_since = now
                since = self.unreachable_since
            window = self.retry.unreachable_s - (now - since)
            if window <= 0:
                raise _GaveUp(error, tries, network_s=now - since) from error
            return min(max(self.retry.backoff(tries, self.rng), 0.05), window)
        if tries >= self.retry.tries:
            raise _GaveUp(error, tries) from error
        retry_after = error.retry_after if isinstance(error, TransientEngineError) else None
        if retry_after is not None and retry_after > self.retry.max_retry_after_s:
            raise _GaveUp(error, tries, f"asked to wait {retry_after:g} s") from error
        delay = max(self.retry.backoff(tries, self.rng), retry_after or 0.0)
        if self.clock() + delay - first > self.retry.give_up_after_s:
            raise _GaveUp(error, tries) from error
        return delay


class _Decoder:
    """Decodes MP3 answers to WAV while the other requests still wait for Google.

    One background thread takes whatever answers have arrived and decodes them together in
    one ffmpeg run (a process per clip would cost more CPU than the decoding), then caches
    each WAV beside its MP3: the render reads PCM, so little is left after the last answer,
    and a warm re-run decodes nothing. Audio that is not MP3 we can read, or a batch ffmpeg
    cannot decode, stays as it came (the render decodes it, or says why it cannot).
    """

    def __init__(self, cache: ClipCache, identity: Mapping[str, str]) -> None:
        self.cache = cache
        self.identity = identity
        self._queue: list[tuple[str, str, Path, int]] = []
        self._done: dict[str, Path] = {}
        self._closed = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="narrate-decode", daemon=True)
        self._thread.start()

    def submit(self, text: str, key: str, path: Path, data: bytes) -> None:
        """Queue the MP3 ``data`` cached at ``path`` for ``text`` (``key`` in the cache)."""
        rate = _mp3_rate(data)
        if rate is None:
            return
        with self._ready:
            self._queue.append((text, key, path, rate))
            self._ready.notify()

    def close(self, *, wait: bool) -> dict[str, Path]:
        """Stop taking clips; with ``wait``, decode what is queued first. Returns the WAV of
        each text decoded."""
        with self._ready:
            self._closed = True
            if not wait:
                self._queue.clear()
            self._ready.notify()
        if wait:
            self._thread.join()
        return dict(self._done)

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if not self._queue:
                    return
                batch, self._queue = self._queue, []
            self._decode(batch)

    def _decode(self, batch: list[tuple[str, str, Path, int]]) -> None:
        from narrate.ffmpeg import mp3s_to_wavs

        try:
            with self.cache.scratch() as tmp:  # where the next run finds it after a kill
                wavs = mp3s_to_wavs([(path, rate) for _, _, path, rate in batch], tmp_dir=tmp)
        except (AudioError, OSError) as e:
            log.warning("%s; the render will decode these clips", e)
            return
        try:
            for (text, key, _, _), wav in zip(batch, wavs, strict=True):
                self._done[text] = self.cache.put(self.identity, key, "wav", wav)
        except OSError as e:  # CacheError too: the MP3s are there, the render decodes them
            log.warning("%s; the render will decode these clips", e)


def _mp3_rate(data: bytes) -> int | None:
    """The sample rate of MP3 ``data`` from its first frame header, or None if it is not MP3."""
    import mutagen.mp3

    try:
        info: Any = mutagen.mp3.MP3(io.BytesIO(data)).info  # type: ignore[no-untyped-call]
    except mutagen.MutagenError:
        return None
    return int(info.sample_rate) or None


def _cached(cache: ClipCache, identity: Mapping[str, str], text: str,
            audio_format: AudioFormat) -> Path | None:
    """The cached clip for ``text`` (its cache key): its decoded WAV when there is one (see
    :class:`_Decoder`), else the engine's own format."""
    if audio_format == "mp3":
        wav = cache.get(identity, text, "wav")
        if wav is not None:
            return wav
    return cache.get(identity, text, audio_format)


def _failure(
    e: BaseException, job: _Job, script: Script, total: int, engine: str, *, kept: int
) -> EngineError:
    """One line naming the chunk that failed, what happened and the likely cause; for a
    network that cannot be reached, the network (no chunk is to blame) and the offline
    voice. ``kept``: the chunks finished and cached before it, said only when there are."""
    position, section, _ = job.places[0]
    title = script.sections[section].title or f"{section + 1}"
    where = f"chunk {position} of {total} (section '{title}')"
    kept_said = (f"the {kept} chunks finished are cached" if kept > 1 else
                 "the chunk finished is cached" if kept else "")
    if isinstance(e, _GaveUp) and e.network_s is not None:
        premise, cause = _split(str(e.error))
        tried = f" (tried for {e.network_s:.1f} s)"
        advice = "; ".join(part for part in (cause, offline_advice(engine), kept_said) if part)
        return EngineUnavailable(f"{premise}{tried}. Probable cause: {advice}",
                                 engine=engine, chunk=None)
    if isinstance(e, _GaveUp):
        premise, cause = _split(str(e.error))
        if e.reason:
            premise = f"{premise} ({e.reason})"
        tries = f" after {e.tries} tries" if e.tries > 1 else ""
        cause = ", ".join(part for part in (cause, kept_said) if part)
        message = f"{where}: {premise}{tries}" + (f". Probable cause: {cause}" if cause else "")
        kind = EmptyAudio if isinstance(e.error, EmptyAudio) else EngineError
        return kind(message, engine=engine, chunk=job.text)
    premise, cause = _split(str(e))
    message = f"{where}: {premise}" + (f". Probable cause: {cause}" if cause else "")
    return EngineError(message, engine=engine, chunk=job.text)


def offline_advice(engine: str) -> str:
    """For an engine that needs the network: the natural offline voice to use instead
    (``auto``'s first offline engine), and ``auto``, which picks it by itself."""
    spec = registered().get(engine)
    if spec is None or spec.offline:
        return ""
    voice = next((s for s in auto_order() if s.offline), None)
    if voice is None:
        return ""
    return (f"use --engine {voice.name} ({voice.label}, the natural offline voice), or "
            f"--engine auto, which takes it when {spec.label} does not answer")


def cache_text(engine: Engine, text: str) -> str:
    """The text side of a clip's cache key: ``engine.cache_text(text)`` when the engine
    has one (Kokoro: the phonemes, so only a change in what is said is a miss), else
    ``text``."""
    key = getattr(engine, "cache_text", None)
    return str(key(text)) if callable(key) else text


def synthesize(
    script: Script,
    engine: Engine,
    cache: ClipCache,
    *,
    jobs: int = DEFAULT_JOBS,
    limiter: AdaptiveLimiter | None = None,
    progress: ProgressCallback | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
    stop: Stop | None = None,
) -> Synthesis:
    """A clip for every chunk of ``script``, in script order.

    Cached chunks cost nothing; the rest are synthesized by up to ``jobs`` threads, with as
    many requests in flight as ``limiter`` allows (a new one capped at ``jobs`` unless given:
    share one to share a budget between articles). Chunks with the same text are asked for
    once. ``progress`` is called with each :class:`Progress` event, one call at a time, from
    worker threads. ``sleep``, ``clock`` and ``rng`` are injectable for tests. When ``stop``
    is set (Ctrl-C), no chunk starts, the engine is told (:mod:`narrate.stop`) and
    :class:`~narrate.stop.Cancelled` is raised once the chunks in flight have let go.

    Raises :class:`~narrate.errors.EngineError` (one line naming the chunk) when a chunk
    fails for good; clips finished before that stay cached.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    identity = engine.identity()
    audio_format: AudioFormat = engine.audio_format
    places = [
        (i, j, chunk)
        for i, section in enumerate(script.sections)
        for j, chunk in enumerate(section.chunks)
    ]
    total = len(places)
    run = _Run(
        engine, cache, identity, limiter or AdaptiveLimiter(jobs), total, progress,
        retry or RetryPolicy(), sleep, clock, rng or random.Random(), stop,
    )

    hits: dict[int, Path] = {}
    missing: dict[str, _Job] = {}
    for position, (i, j, chunk) in enumerate(places, start=1):
        path = _cached(cache, identity, cache_text(engine, chunk.text), audio_format)
        if path is not None:
            hits[position] = path
            run.emit(Progress("cached", position, total, i, j, path=path))
        else:
            missing.setdefault(chunk.text, _Job(chunk.text)).places.append((position, i, j))
    log.debug("%d chunks: %d cached, %d to synthesize", total, len(hits), len(missing))

    made: dict[str, Path] = {}
    if missing:
        prepare = getattr(engine, "prepare", None)
        if callable(prepare):  # a model to load: seconds a bar says are not speaking
            run.emit(Progress("loading", 0, total, -1, -1))
            with scope(run.stop):
                prepare()
        run.emit(Progress("speaking", 0, total, -1, -1,
                          chars=sum(len(text) for text in missing)))
        workers = min(jobs, len(missing))
        if audio_format == "mp3":
            run.decoder = _Decoder(cache, identity)
        pool = ThreadPoolExecutor(workers, thread_name_prefix="narrate-synth")
        futures: dict[Future[Path], _Job] = {
            pool.submit(run.speak, job): job for job in missing.values()
        }
        # The caller's stop (Ctrl-C) ends the wait at once, whatever the engine is doing.
        stopped: Future[None] = Future()
        abandon = False
        try:
            with stop.on_set(functools.partial(_settle, stopped)) if stop is not None \
                    else contextlib.nullcontext():
                pending = set(futures)
                while pending:
                    waiting: set[Future[Any]] = {*pending, stopped}
                    done, _ = wait(waiting, return_when=FIRST_COMPLETED)
                    if stopped.done():
                        raise Cancelled
                    for future in done:
                        pending.discard(future)
                        job = futures[future]
                        try:
                            made[job.text] = future.result()
                        except Cancelled:
                            # Another chunk failed and stopped the run; this one may finish
                            # first. The failure's own error follows from its future.
                            continue
                        except EngineUnavailable:
                            raise
                        except (_GaveUp, EngineError) as e:
                            raise _failure(e, job, script, total, engine.name,
                                           kept=run.finished) from (
                                e.error if isinstance(e, _GaveUp) else e
                            )
        except BaseException as e:
            # Stopped (Ctrl-C, SIGTERM): the chunks in flight are not waited for; they end
            # with the engine's own stop, or are left to the process's end.
            abandon = not isinstance(e, Exception) or stopped.done()
            raise
        finally:
            # On any way out but success, stop the other workers before waiting for them.
            if len(made) < len(missing):
                run.stop.set()
                for future in futures:
                    future.cancel()
                if run.decoder is not None:
                    run.decoder.close(wait=False)
            pool.shutdown(wait=not abandon, cancel_futures=True)
        if len(made) < len(missing):  # stopped without a failure of its own (not expected)
            raise Cancelled
        if run.decoder is not None:
            made.update(run.decoder.close(wait=True))

    clips = tuple(
        _clip(i, j, chunk, hits.get(position) or made[chunk.text], position in hits)
        for position, (i, j, chunk) in enumerate(places, start=1)
    )
    return Synthesis(
        engine=engine.name,
        clips=clips,
        requests=run.requests,
        cache_hits=len(hits),
        retries=run.retries,
    )


def _settle(future: Future[None]) -> None:
    """Mark ``future`` done (once): a wait that includes it ends."""
    with contextlib.suppress(InvalidStateError):
        future.set_result(None)


def _clip(i: int, j: int, chunk: Chunk, path: Path, cached: bool) -> Clip:
    return Clip(section=i, index=j, chunk=chunk, path=path, audio_format=path.suffix[1:],
                cached=cached)


# --- choosing the engine -------------------------------------------------------------------


@dataclass(frozen=True)
class EngineChoice:
    """The engine to use for ``requested``; ``note`` is one line for the user when ``auto``
    had to choose the offline voice."""

    engine: Engine
    requested: str
    note: str | None = None


@dataclass(frozen=True)
class EngineStatus:
    """What ``narrate engines`` shows for one engine: its spec, and whether it can be used
    right now (``detail`` says why)."""

    spec: EngineSpec
    usable: bool
    detail: str

    @property
    def name(self) -> str:
        return self.spec.name


class Probes:
    """The answers of engines' probes, kept for one run: each engine identity is asked
    once however often a run looks (``auto`` and ``narrate engines`` both probe gtts).
    The caller makes one and passes it down; a new run makes a new one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, Probe] = {}

    def probe(self, engine: Engine, timeout: float = PROBE_TIMEOUT_S) -> Probe:
        """``engine.probe(timeout)``, asked once for each engine identity."""
        key = repr(sorted(engine.identity().items()))
        with self._lock:
            if key in self._seen:
                return self._seen[key]
        verdict = engine.probe(timeout)
        with self._lock:
            return self._seen.setdefault(key, verdict)


def resolve_engine(
    name: str = AUTO,
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    probe_timeout: float = PROBE_TIMEOUT_S,
    probes: Probes | None = None,
) -> EngineChoice:
    """The engine for ``name`` as asked (no fallback, no probe), or for ``auto`` the first of
    its engines (:func:`~narrate.engines.registry.auto_order`) that can be used: an online
    one (gtts) when it answers within ``probe_timeout`` seconds, else the first offline one
    that is installed and intact (kokoro, else espeak).

    ``options`` maps an engine name to its keyword options, e.g. ``{"gtts": {"tld": "co.in"}}``;
    ``probes`` keeps the probes' answers for the run (a new one unless given).
    """
    opts = options or {}
    probes = probes or Probes()
    if name != AUTO:
        engine_spec(name)  # UsageError for an unknown name
        return EngineChoice(create_engine(name, **opts.get(name, {})), name)
    silent: list[str] = []  # online engines that did not answer
    refused: list[str] = []  # offline engines that cannot be used
    for spec in auto_order():
        try:
            engine = create_engine(spec.name, **opts.get(spec.name, {}))
            verdict = probes.probe(engine, probe_timeout if not spec.offline else
                                   PROBE_TIMEOUT_S)
        except EngineUnavailable as e:
            verdict = Probe(False, _split(str(e))[0])
        if verdict.usable and not spec.offline:
            log.info("auto: %s; using %s", verdict.detail, spec.name)
            return EngineChoice(engine, AUTO)
        if verdict.usable:
            break
        if spec.offline:
            refused.append(f"{spec.name}: {verdict.detail}")
        else:
            silent.append(f"{spec.label} did not answer ({verdict.detail})")
    else:
        raise EngineUnavailable(
            f"no speech engine can be used: {' and '.join([*silent, '; '.join(refused)])}."
            " Probable cause: no network and an incomplete installation",
            engine=AUTO,
        )
    note = f"{'; '.join(silent)}; using {spec.label} offline voice"
    if refused:
        note += f" ({'; '.join(refused)})"
    log.info("auto: %s", note)
    return EngineChoice(engine, AUTO, note)


def engine_status(
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    timeout: float = PROBE_TIMEOUT_S,
    probes: Probes | None = None,
) -> list[EngineStatus]:
    """Every registered engine and whether it can be used right now (``probes``: the
    run's answers so far)."""
    opts = options or {}
    probes = probes or Probes()
    rows = []
    for name, spec in registered().items():
        try:
            verdict = probes.probe(create_engine(name, **opts.get(name, {})), timeout)
        except EngineError as e:
            verdict = Probe(False, _split(str(e))[0])
        rows.append(EngineStatus(spec, verdict.usable, verdict.detail))
    return rows
