"""synthesize() with a scripted engine: order, cache, retries, limits, errors, progress."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from narrate.cache import ClipCache
from narrate.engines.base import TransientEngineError
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import EmptyAudio, EngineError, EngineUnavailable
from narrate.synth import Progress, RetryPolicy, synthesize
from tests.fakes.engine import FakeEngine
from tests.fakes.scripts import make_script, numbered_script


def rate_limit(retry_after: float | None = None) -> TransientEngineError:
    return TransientEngineError(
        "429 (Too Many Requests) from Google. Probable cause: rate limit; run again later",
        kind="rate_limit", status=429, retry_after=retry_after,
    )


def server_error() -> TransientEngineError:
    return TransientEngineError(
        "503 from Google. Probable cause: Google's servers are having trouble",
        kind="server", status=503,
    )


@pytest.fixture
def cache(tmp_path: Path) -> ClipCache:
    return ClipCache(tmp_path / "clips")


class Clock:
    """A clock that only the injected sleep moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_clips_in_script_order_with_their_chunks(cache: ClipCache) -> None:
    script = numbered_script(12, per_section=4)
    engine = FakeEngine(delay_s=0.01)
    result = synthesize(script, engine, cache, jobs=4)
    assert [c.chunk for c in result.clips] == list(script.chunks)
    places = [(s, i) for s in range(3) for i in range(4)]
    assert [(c.section, c.index) for c in result.clips] == places
    for clip in result.clips:
        assert clip.path.read_bytes() == b"audio:" + clip.chunk.text.encode()
        assert clip.audio_format == "mp3"
    assert (result.engine, result.requests, result.cache_hits, result.retries) == ("fake", 12, 0, 0)


def test_the_same_text_twice_is_asked_once(cache: ClipCache) -> None:
    script = make_script({"क": ["नमस्ते।", "धन्यवाद।"], "ख": ["नमस्ते।"]})
    engine = FakeEngine()
    result = synthesize(script, engine, cache)
    assert sorted(engine.calls) == ["धन्यवाद।", "नमस्ते।"]
    assert result.clips[0].path == result.clips[2].path
    assert result.requests == 2


def test_an_empty_script(cache: ClipCache) -> None:
    result = synthesize(make_script({}), FakeEngine(), cache)
    assert result.clips == ()


def test_progress_events(cache: ClipCache) -> None:
    script = make_script({"क": ["एक।", "दो।"], "ख": ["तीन।"]})
    engine = FakeEngine()
    synthesize(make_script({"क": ["एक।"]}), engine, cache)
    engine.fail("तीन।", server_error())
    events: list[Progress] = []
    synthesize(script, engine, cache, progress=events.append, sleep=lambda s: None, jobs=1)
    assert events[0] == Progress("cached", 1, 3, 0, 0)
    # then the requests begin, with the characters still to speak
    assert events[1] == Progress("speaking", 0, 3, -1, -1)
    assert events[1].chars == len("दो।") + len("तीन।")
    rest = sorted(events[2:], key=lambda e: (e.position, e.kind))
    assert [(e.kind, e.position, e.section, e.index, e.attempt) for e in rest] == [
        ("synthesized", 2, 0, 1, 1),
        ("retried", 3, 1, 0, 1),
        ("synthesized", 3, 1, 0, 2),
    ]
    retried = rest[1]
    assert retried.reason == "503 from Google"
    assert retried.total == 3
    assert retried.delay_s >= 0


def test_backoff_is_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=8.0)
    rng = random.Random(7)
    for retry, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delays = [policy.backoff(retry, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # it uses the whole range
        assert min(delays) < ceiling * 0.2


def test_retry_after_is_a_floor(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.fail("एक।", rate_limit(12.0))
    clock = Clock()
    synthesize(make_script({"क": ["एक।"]}), engine, cache, sleep=clock.sleep, clock=clock)
    assert clock.sleeps == [12.0]


def test_a_retry_after_beyond_the_cap_ends_the_tries(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.fail("एक।", rate_limit(3600.0))
    with pytest.raises(EngineError) as caught:
        synthesize(make_script({"क": ["एक।"]}), engine, cache, sleep=lambda s: None)
    assert engine.calls == ["एक।"]
    assert str(caught.value) == (
        "chunk 1 of 1 (section 'क'): 429 (Too Many Requests) from Google (asked to wait"
        " 3600 s). Probable cause: rate limit; run again later"  # no chunk finished
    )


def test_no_new_try_after_the_time_budget(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.always["एक।"] = rate_limit(20.0)
    clock = Clock()
    policy = RetryPolicy(tries=100, give_up_after_s=45.0)
    with pytest.raises(EngineError, match="after 3 tries"):
        synthesize(make_script({"क": ["एक।"]}), engine, cache, sleep=clock.sleep, clock=clock,
                   retry=policy)
    assert clock.now <= 45.0


def test_errors_that_will_not_pass_are_not_retried(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.always["दो।"] = EngineError(
        "403 (Forbidden) from Google. Probable cause: Google refused the request"
    )
    script = make_script({"पहला": ["एक।"], "दूसरा": ["दो।"]})
    with pytest.raises(EngineError) as caught:
        synthesize(script, engine, cache, sleep=lambda s: None, jobs=1)
    assert engine.calls.count("दो।") == 1
    assert str(caught.value) == (
        "chunk 2 of 2 (section 'दूसरा'): 403 (Forbidden) from Google. Probable cause:"
        " Google refused the request"
    )
    assert caught.value.chunk == "दो।"
    assert caught.value.engine == "fake"
    assert isinstance(caught.value.__cause__, EngineError)


def test_an_unavailable_engine_is_reported_as_it_is(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.always["एक।"] = EngineUnavailable("espeak-ng cannot be loaded. Probable cause: x")
    with pytest.raises(EngineUnavailable, match=r"^espeak-ng cannot be loaded"):
        synthesize(make_script({"क": ["एक।"]}), engine, cache)


def test_empty_audio_is_retried(cache: ClipCache) -> None:
    engine = FakeEngine()
    engine.fail("एक।", EmptyAudio("no audio. Probable cause: x"))
    result = synthesize(make_script({"क": ["एक।"]}), engine, cache, sleep=lambda s: None)
    assert (result.requests, result.retries) == (2, 1)


def test_a_failure_stops_the_other_workers(cache: ClipCache) -> None:
    engine = FakeEngine(delay_s=0.02)
    script = numbered_script(40)
    engine.always[script.chunks[0].text] = EngineError("bad. Probable cause: x")
    with pytest.raises(EngineError):
        synthesize(script, engine, cache, jobs=4)
    assert len(engine.calls) < 40


def test_concurrency_follows_jobs(cache: ClipCache) -> None:
    engine = FakeEngine(delay_s=0.03)
    synthesize(numbered_script(16), engine, cache, jobs=4)
    assert 1 < engine.peak <= 4
    one = FakeEngine(delay_s=0.01, voice="other")
    synthesize(numbered_script(5), one, cache, jobs=1)
    assert one.peak == 1


def test_one_limiter_is_one_budget_for_several_articles(cache: ClipCache) -> None:
    engine = FakeEngine(delay_s=0.03)
    limiter = AdaptiveLimiter(3)
    scripts = [make_script({"क": [f"लेख {a} वाक्य {n}" for n in range(8)]}) for a in range(3)]
    threads = [
        threading.Thread(target=synthesize, args=(s, engine, cache), kwargs={"limiter": limiter})
        for s in scripts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(engine.calls) == 24
    assert engine.peak <= 3
    assert limiter.peak <= 3


def test_jobs_must_be_positive(cache: ClipCache) -> None:
    with pytest.raises(ValueError):
        synthesize(make_script({}), FakeEngine(), cache, jobs=0)
