"""The gtts path end to end: synthesize() -> GTTSEngine -> real gTTS -> fake Google."""

from __future__ import annotations

import random
import threading
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from narrate.cache import ClipCache
from narrate.engines.gtts_engine import GTTSEngine
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import EmptyAudio, EngineError, EngineUnavailable
from narrate.synth import RetryPolicy, synthesize
from tests.engines.conftest import Sleeps
from tests.fakes import google as fake
from tests.fakes.google import FakeGoogle
from tests.fakes.scripts import make_script, numbered_script

SCRIPT = make_script(
    {
        "शुरुआत": ["मानसून की अच्छी बारिश से किसानों को राहत।", "इस साल मानसून ने समय पर दस्तक दी।"],
        "फायदे": ["खेतों में हरियाली लौट आई है।", "गाँवों में उम्मीद का माहौल है।"],
    }
)


@pytest.fixture
def cache(tmp_path: Path) -> ClipCache:
    return ClipCache(tmp_path / "clips")


def test_one_request_per_chunk_carrying_exactly_the_chunk(
    google: FakeGoogle, cache: ClipCache
) -> None:
    result = synthesize(SCRIPT, GTTSEngine(), cache)
    assert sorted(google.texts) == sorted(c.text for c in SCRIPT.chunks)
    assert result.engine == "gtts"
    assert (result.requests, result.cache_hits, result.retries) == (4, 0, 0)
    assert [(c.section, c.index) for c in result.clips] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    identity = GTTSEngine().identity()
    for clip in result.clips:
        # decoded as it arrived; Google's MP3 kept beside it
        assert clip.audio_format == "wav"
        assert not clip.cached
        mp3 = cache.get(identity, clip.chunk.text, "mp3")
        assert mp3 is not None and fake.mp3_seconds(mp3.read_bytes()) > 0


def test_each_answer_is_decoded_as_it_arrives(google: FakeGoogle, cache: ClipCache) -> None:
    """The WAV is Google's audio at Google's rate, as long as the MP3 says (read back with
    the standard library and mutagen, not with narrate's code)."""
    result = synthesize(SCRIPT, GTTSEngine(), cache)
    seconds = fake.mp3_seconds(fake.tiny_mp3())
    for clip in result.clips:
        with wave.open(str(clip.path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 24000)
            samples = array("h", w.readframes(w.getnframes()))
        assert abs(len(samples) / 24000 - seconds) < 0.06
        assert max(samples) > 3000  # the 440 Hz tone, not silence
    again = synthesize(SCRIPT, GTTSEngine(), cache)
    assert [c.path for c in again.clips] == [c.path for c in result.clips]
    assert all(c.cached and c.audio_format == "wav" for c in again.clips)


def test_a_clip_cached_before_decoding_existed_is_still_used(
    google: FakeGoogle, cache: ClipCache
) -> None:
    identity = GTTSEngine().identity()
    for chunk in SCRIPT.chunks:
        cache.put(identity, chunk.text, "mp3", fake.tiny_mp3())
    result = synthesize(SCRIPT, GTTSEngine(), cache)
    assert google.requests == 0
    assert {c.audio_format for c in result.clips} == {"mp3"}  # the render decodes these


def test_429_then_success_honours_retry_after(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    first = SCRIPT.chunks[0].text
    google.answer_text(first, fake.rate_limited("5"), fake.rate_limited("3"))
    result = synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps)
    assert result.retries == 2
    assert result.requests == 6
    assert google.texts.count(first) == 3
    assert len(sleeps.calls) == 2
    assert sleeps.calls[0] >= 5.0
    assert sleeps.calls[1] >= 3.0


def test_server_errors_are_retried(google: FakeGoogle, cache: ClipCache, sleeps: Sleeps) -> None:
    google.answer(fake.server_error(503), fake.server_error(500))
    result = synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps, jobs=1)
    assert result.retries == 2
    assert len(result.clips) == 4


def test_timeouts_are_retried(google: FakeGoogle, cache: ClipCache, sleeps: Sleeps) -> None:
    google.answer(fake.connect_timeout(), fake.read_timeout())
    result = synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps, jobs=1)
    assert result.retries == 2
    assert len(result.clips) == 4


def test_200_without_audio_is_retried_then_an_empty_audio_error(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    bad = SCRIPT.chunks[2].text
    google.always_text(bad, fake.no_audio_line())
    with pytest.raises(EmptyAudio) as caught:
        synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps, retry=RetryPolicy(tries=4),
                   jobs=1)
    assert google.texts.count(bad) == 4
    assert str(caught.value) == (
        "chunk 3 of 4 (section 'फायदे'): Google answered without audio (0 bytes) after 4"
        " tries. Probable cause: Google did not accept the text, or its answer format changed"
        " (update gTTS), the 2 chunks finished are cached"
    )
    assert caught.value.chunk == bad


def test_rate_limit_that_never_ends_names_the_chunk(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    bad = SCRIPT.chunks[3].text
    google.always_text(bad, fake.rate_limited())
    with pytest.raises(EngineError) as caught:
        synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps, retry=RetryPolicy(tries=5),
                   jobs=1)
    assert str(caught.value) == (
        "chunk 4 of 4 (section 'फायदे'): 429 (Too Many Requests) from Google after 5 tries."
        " Probable cause: rate limit; run again later, the 3 chunks finished are cached"
    )


def test_many_requests_in_flight(google: FakeGoogle, cache: ClipCache) -> None:
    google.delay_s = 0.05
    script = numbered_script(24)
    result = synthesize(script, GTTSEngine(), cache, jobs=6)
    assert result.requests == 24
    assert 1 < google.peak <= 6


def test_limiter_halves_on_429(google: FakeGoogle, cache: ClipCache, sleeps: Sleeps) -> None:
    """Eight requests in flight at once; one 429 among them halves the limit once."""
    gate = threading.Barrier(8, timeout=5)
    answered: list[str] = []

    def hold(text: str) -> None:
        if len(answered) < 8:
            answered.append(text)
            gate.wait()  # all eight are in flight together

    google.on_request = hold
    script = numbered_script(8)
    google.answer_text(script.chunks[0].text, fake.rate_limited())
    limiter = AdaptiveLimiter(8)
    synthesize(script, GTTSEngine(), cache, jobs=8, limiter=limiter, sleep=sleeps)
    assert google.peak == 8
    assert limiter.decreases == 1  # the other seven were sent under the old limit
    assert limiter.lowest == 4


def test_warm_rerun_sends_no_request(google: FakeGoogle, cache: ClipCache) -> None:
    synthesize(SCRIPT, GTTSEngine(), cache)
    google.texts.clear()
    again = synthesize(SCRIPT, GTTSEngine(), cache)
    assert google.requests == 0
    assert (again.requests, again.cache_hits) == (0, 4)
    assert all(clip.cached for clip in again.clips)


def test_editing_one_chunk_sends_exactly_one_request(
    google: FakeGoogle, cache: ClipCache
) -> None:
    synthesize(SCRIPT, GTTSEngine(), cache)
    google.texts.clear()
    edited = make_script(
        {
            "शुरुआत": ["मानसून की अच्छी बारिश से किसानों को राहत।", "इस साल मानसून ने समय पर दस्तक दी।"],
            "फायदे": ["खेतों में फिर से हरियाली लौट आई है।", "गाँवों में उम्मीद का माहौल है।"],
        }
    )
    result = synthesize(edited, GTTSEngine(), cache)
    assert google.texts == ["खेतों में फिर से हरियाली लौट आई है।"]
    assert result.cache_hits == 3
    assert [clip.cached for clip in result.clips] == [True, True, False, True]


def test_another_voice_does_not_reuse_clips(google: FakeGoogle, cache: ClipCache) -> None:
    synthesize(SCRIPT, GTTSEngine(), cache)
    result = synthesize(SCRIPT, GTTSEngine(slow=True), cache)
    assert result.requests == 4


def test_a_run_failing_halfway_keeps_what_it_finished(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    script = numbered_script(10)
    bad = script.chunks[5].text
    google.always_text(bad, fake.server_error(503))
    with pytest.raises(EngineError, match=r"^chunk 6 of 10 \(section 'भाग 2'\): 503"):
        synthesize(script, GTTSEngine(), cache, jobs=1, sleep=sleeps)
    identity = GTTSEngine().identity()
    finished = {c.text for c in script.chunks if cache.get(identity, c.text, "mp3")}
    assert finished == {c.text for c in script.chunks[:5]}  # the one worker went in order

    del google.always[bad]  # Google is well again
    google.texts.clear()
    result = synthesize(script, GTTSEngine(), cache, sleep=sleeps)
    assert sorted(google.texts) == sorted({c.text for c in script.chunks} - finished)
    assert result.cache_hits == len(finished)


def test_a_third_of_requests_rate_limited_still_completes(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    chance = random.Random(3)
    script = numbered_script(30)
    google.answer(*[fake.rate_limited() if chance.random() < 1 / 3 else fake.ok()
                    for _ in range(200)])
    result = synthesize(script, GTTSEngine(), cache, sleep=sleeps, rng=random.Random(1))
    assert len(result.clips) == 30
    assert result.retries > 0
    assert result.requests == 30 + result.retries


class Clock:
    """A clock the injected sleeps move forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("answer", [fake.connection_refused, fake.name_not_resolved,
                                    fake.connect_timeout])
def test_no_network_fails_in_two_seconds_naming_the_network_and_the_offline_voice(
    google: FakeGoogle, cache: ClipCache, answer: Callable[[], fake.Answer]
) -> None:
    """A name that does not resolve or a connection refused is not a rate limit: the run
    tries again for two seconds, then one line names the network (no chunk: none is to
    blame), suggests the natural offline voice, and says nothing of cached chunks (none
    finished)."""
    google.always = {c.text: answer() for c in SCRIPT.chunks}
    clock = Clock()
    with pytest.raises(EngineUnavailable) as caught:
        synthesize(SCRIPT, GTTSEngine(), cache, sleep=clock.sleep, clock=clock)
    message = str(caught.value)
    assert clock.now - 1000.0 <= 2.0 + 1e-9
    assert "\n" not in message
    assert message.startswith("cannot reach translate.google.com: ")
    assert "(tried for 2.0 s). Probable cause: no network connection" in message
    assert message.endswith("use --engine kokoro (Kokoro-82M, the natural offline voice), or"
                            " --engine auto, which takes it when Google does not answer")
    assert "chunk" not in message and "cached" not in message
    assert google.requests < 40


def test_a_dropped_connection_is_retried_and_names_its_chunk(
    google: FakeGoogle, cache: ClipCache, sleeps: Sleeps
) -> None:
    google.always = {c.text: fake.connection_dropped() for c in SCRIPT.chunks}
    with pytest.raises(EngineError) as caught:
        synthesize(SCRIPT, GTTSEngine(), cache, sleep=sleeps, jobs=1)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("chunk 1 of 4 (section 'शुरुआत'): the connection to translate")
    assert "after 8 tries" in message
    assert google.requests == 8  # the other chunks were not asked once the first gave up


def test_a_batch_ffmpeg_cannot_decode_stays_mp3(
    cache: ClipCache, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The decoder never fails a run: what it cannot decode is left to the render, which
    decodes it or names the clip that is broken."""
    from narrate.synth import _Decoder

    identity = GTTSEngine().identity()
    good = cache.put(identity, "एक", "mp3", fake.tiny_mp3())
    decoder = _Decoder(cache, identity)
    decoder.submit("एक", "एक", good, fake.tiny_mp3())
    decoder.submit("दो", "दो", tmp_path / "gone.mp3", fake.tiny_mp3())  # removed meanwhile
    done = decoder.close(wait=True)
    assert "दो" not in done
    assert cache.get(identity, "दो", "wav") is None
    if "एक" not in done:  # decoded in the same batch as the missing file: both left as MP3
        assert "decoding" in caplog.text
    decoder = _Decoder(cache, identity)
    decoder.submit("तीन", "तीन", good, b"not mp3 at all")
    assert decoder.close(wait=True) == {}
