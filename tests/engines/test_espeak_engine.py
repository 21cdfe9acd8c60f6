"""espeak-ng through the bundled library: real synthesis, offline, from many threads."""

from __future__ import annotations

import io
import threading
import wave
from concurrent.futures import ThreadPoolExecutor

import pytest

from narrate.engines.base import Engine
from narrate.engines.espeak_engine import EspeakEngine
from narrate.engines.registry import create_engine
from narrate.errors import EngineError, EngineUnavailable, UsageError

SENTENCE = "इस साल मानसून ने समय पर दस्तक दी और देश में अच्छी बारिश हुई।"


def seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return float(w.getnframes() / w.getframerate())


def test_is_an_engine_created_by_name() -> None:
    engine = create_engine("espeak")
    assert isinstance(engine, Engine)
    assert engine.audio_format == "wav"


def test_speaks_a_hindi_sentence() -> None:
    wav = EspeakEngine().synthesize(SENTENCE)
    # 11 words at 175 words a minute: about 4 s; allow a wide margin.
    assert 2.0 < seconds(wav) < 8.0


def test_rate_changes_the_duration() -> None:
    slow = seconds(EspeakEngine(rate=120).synthesize(SENTENCE))
    fast = seconds(EspeakEngine(rate=300).synthesize(SENTENCE))
    assert fast < slow * 0.7


def test_many_threads_at_once_get_the_audio_one_thread_gets() -> None:
    """espeak-ng varies a few samples from call to call by itself, so durations are
    compared: a garbled call (mixed voices, rates or texts) would be far off."""
    texts = [SENTENCE, "खेतों में हरियाली लौट आई है।", "किसानों को राहत मिली।", "नमस्ते।"]
    engines = [EspeakEngine(), EspeakEngine(rate=260, pitch=70)]
    expected = {(id(e), t): seconds(e.synthesize(t)) for e in engines for t in texts}
    work = [(e, t) for _ in range(6) for e in engines for t in texts]
    with ThreadPoolExecutor(16) as pool:
        got = list(pool.map(lambda et: et[0].synthesize(et[1]), work))
    for (engine, text), wav in zip(work, got, strict=True):
        assert seconds(wav) == pytest.approx(expected[(id(engine), text)], rel=0.03)


def test_identity_carries_version_voice_rate_pitch() -> None:
    identity = EspeakEngine(rate=160, pitch=40).identity()
    assert identity["engine"] == "espeak"
    assert identity["version"][0].isdigit()
    assert (identity["voice"], identity["rate"], identity["pitch"]) == ("hi", "160", "40")
    assert EspeakEngine().identity() != identity


def test_probe() -> None:
    probe = EspeakEngine().probe()
    assert probe.usable
    assert probe.detail.startswith("espeak-ng ")


def test_unknown_voice_is_unavailable() -> None:
    engine = EspeakEngine(voice="xx-nonexistent")
    assert not engine.probe().usable
    with pytest.raises(EngineUnavailable, match="no voice 'xx-nonexistent'"):
        engine.synthesize(SENTENCE)
    EspeakEngine().synthesize("नमस्ते।")  # the library is fine afterwards


@pytest.mark.parametrize(("rate", "pitch"), [(10, 50), (900, 50), (175, -1), (175, 101)])
def test_rejects_out_of_range_options(rate: int, pitch: int) -> None:
    with pytest.raises(UsageError):
        EspeakEngine(rate=rate, pitch=pitch)


def test_refuses_what_it_cannot_be_asked() -> None:
    with pytest.raises(EngineError, match="too long"):
        EspeakEngine().synthesize("क" * (EspeakEngine.max_chars + 1))
    with pytest.raises(EngineError, match="nothing to say"):
        EspeakEngine().synthesize(" । ")


def _speak_in_child(text: str) -> float:
    return seconds(EspeakEngine().synthesize(text))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_works_in_worker_processes(method: str) -> None:
    """Issue 7 runs articles in several processes. A forked child keeps the parent's
    initialised library, even when a parent thread is speaking at the moment of fork()."""
    import multiprocessing

    EspeakEngine().synthesize("नमस्ते।")  # initialised in the parent before forking
    stop = threading.Event()

    def keep_speaking() -> None:
        while not stop.is_set():
            EspeakEngine(rate=300).synthesize("खेतों में हरियाली लौट आई है।")

    busy = threading.Thread(target=keep_speaking)
    busy.start()
    try:
        with multiprocessing.get_context(method).Pool(2) as pool:
            # A crashed child would leave map() waiting forever: bound it.
            durations = pool.map_async(_speak_in_child, [SENTENCE] * 4).get(timeout=60)
    finally:
        stop.set()
        busy.join()
    assert all(2.0 < d < 8.0 for d in durations)
