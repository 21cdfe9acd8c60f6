"""GTTSEngine against a fake Google at the HTTP layer: the real gTTS code sends the requests."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import responses

from narrate.engines.base import Engine, TransientEngineError
from narrate.engines.gtts_engine import GTTSEngine, check_mp3, retry_after_seconds
from narrate.engines.registry import create_engine
from narrate.errors import EmptyAudio, EngineError, UsageError
from tests.fakes import google as fake
from tests.fakes.google import FakeGoogle

TEXT = "इस साल मानसून ने समय पर दस्तक दी।"


def test_is_an_engine_created_by_name() -> None:
    engine = create_engine("gtts", tld="co.in")
    assert isinstance(engine, Engine)
    assert isinstance(engine, GTTSEngine)
    assert engine.audio_format == "mp3"
    assert engine.max_chars == 100


def test_sends_exactly_our_chunk_as_one_request(google: FakeGoogle) -> None:
    audio = GTTSEngine().synthesize(TEXT)
    assert google.texts == [TEXT]
    assert fake.mp3_seconds(audio) > 0


def test_sends_punctuation_and_abbreviations_untouched(google: FakeGoogle) -> None:
    """gTTS's pre-processors would rewrite 'Dr.' and split at ':'; ours are off."""
    text = "डॉ. वर्मा: 10:01 बजे, Dr. Sharma - हाँ"
    GTTSEngine().synthesize(text)
    assert google.texts == [text]


def test_a_timeout_is_always_set(google: FakeGoogle, http: responses.RequestsMock) -> None:
    GTTSEngine().synthesize(TEXT)
    GTTSEngine(timeout=4.0).synthesize(TEXT)
    timeouts = [call.request.req_kwargs["timeout"] for call in http.calls]  # type: ignore[attr-defined]
    assert timeouts == [(3.05, 10.0), 4.0]


def test_slow_and_tld_reach_google(http: responses.RequestsMock) -> None:
    url = fake.URL.replace(".com/", ".co.in/")
    http.add(responses.POST, url, body=fake.audio_body(fake.tiny_mp3()))
    GTTSEngine(tld="co.in", slow=True).synthesize(TEXT)
    assert fake.request_parameters(str(http.calls[0].request.body)) == [TEXT, "hi", True, "null"]


def test_refuses_more_than_100_characters_without_asking(google: FakeGoogle) -> None:
    with pytest.raises(EngineError, match="101 characters is too long for gtts"):
        GTTSEngine().synthesize("क" * 101)
    assert google.requests == 0
    GTTSEngine().synthesize("क" * 100)
    assert google.requests == 1


@pytest.mark.parametrize("text", ["", "   ", "।", "... —"])
def test_refuses_a_chunk_with_nothing_to_say(google: FakeGoogle, text: str) -> None:
    with pytest.raises(EngineError, match="nothing to say"):
        GTTSEngine().synthesize(text)
    assert google.requests == 0


@pytest.mark.parametrize(
    ("answer", "error", "kind", "status"),
    [
        (fake.rate_limited(), TransientEngineError, "rate_limit", 429),
        (fake.server_error(503), TransientEngineError, "server", 503),
        (fake.server_error(500), TransientEngineError, "server", 500),
        (fake.connect_timeout(), TransientEngineError, "unreachable", None),
        (fake.read_timeout(), TransientEngineError, "timeout", None),
        (fake.connection_refused(), TransientEngineError, "unreachable", None),
        (fake.name_not_resolved(), TransientEngineError, "unreachable", None),
        (fake.connection_dropped(), TransientEngineError, "connection", None),
        (fake.no_audio_line(), EmptyAudio, None, None),
        (fake.unreadable_audio_line(), EmptyAudio, None, None),
        (fake.not_mp3(), EmptyAudio, None, None),
        (fake.Answer(403, "Forbidden"), EngineError, None, None),
        (fake.Answer(400, "Bad Request"), EngineError, None, None),
    ],
)
def test_maps_each_failure(
    google: FakeGoogle,
    answer: fake.Answer,
    error: type[EngineError],
    kind: str | None,
    status: int | None,
) -> None:
    google.answer(answer)
    with pytest.raises(EngineError) as caught:
        GTTSEngine().synthesize(TEXT)
    assert type(caught.value) is error
    assert caught.value.engine == "gtts"
    assert caught.value.chunk == TEXT
    message = str(caught.value)
    assert "\n" not in message
    assert ". Probable cause: " in message
    if kind is not None:
        assert isinstance(caught.value, TransientEngineError)
        assert caught.value.kind == kind
        assert caught.value.status == status
    if answer != fake.no_audio_line():  # gTTS raises nothing then: it yields 0 bytes
        assert caught.value.__cause__ is not None


def test_429_carries_retry_after(google: FakeGoogle) -> None:
    google.answer(fake.rate_limited("7"))
    with pytest.raises(TransientEngineError) as caught:
        GTTSEngine().synthesize(TEXT)
    assert caught.value.retry_after == 7.0
    assert str(caught.value).startswith(
        "429 (Too Many Requests) from Google. Probable cause: rate limit"
    )


def test_retry_after_as_seconds_or_http_date() -> None:
    now = dt.datetime(2025, 8, 14, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 14 Aug 2025 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Thu, 14 Aug 2025 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_check_mp3_accepts_real_audio_only() -> None:
    check_mp3(fake.tiny_mp3())
    for bad in (b"", b"\x00" * 400, b"<html></html>" * 40):
        with pytest.raises(EmptyAudio):
            check_mp3(bad)


def test_identity_names_what_changes_the_audio() -> None:
    base = GTTSEngine().identity()
    assert base["engine"] == "gtts"
    assert base["language"] == "hi"
    assert base["version"]
    assert GTTSEngine(slow=True).identity() != base
    assert GTTSEngine(tld="co.in").identity() != base
    assert GTTSEngine(timeout=1.0).identity() == base  # timeouts do not change the audio


@pytest.mark.parametrize("tld", ["", "com/evil", "c", "COM", "co.in.x", "x" * 10])
def test_rejects_a_strange_tld(tld: str) -> None:
    with pytest.raises(UsageError):
        GTTSEngine(tld=tld)


def test_probe_when_google_answers(google: FakeGoogle) -> None:
    probe = GTTSEngine().probe(2.0)
    assert probe.usable
    assert "answered" in probe.detail
    assert google.requests == 1


def test_probe_when_google_is_down(google: FakeGoogle) -> None:
    google.answer(fake.connection_refused())
    probe = GTTSEngine().probe(2.0)
    assert not probe.usable
    assert probe.detail == "cannot reach translate.google.com: the connection was refused"


def test_probe_gives_up_on_time_when_google_hangs(google: FakeGoogle) -> None:
    release = threading.Event()
    google.on_request = lambda text: release.wait(10)
    started = time.monotonic()
    try:
        probe = GTTSEngine().probe(0.3)
    finally:
        release.set()
    assert time.monotonic() - started < 3.0  # the server holds it for 10 s
    assert not probe.usable
    assert probe.detail == "no answer from translate.google.com within 0.3 s"
