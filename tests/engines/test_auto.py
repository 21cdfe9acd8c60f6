"""``auto``: gtts when Google answers a quick probe, else Kokoro, else espeak, with one line
saying so."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from narrate.engines.espeak_engine import EspeakEngine
from narrate.engines.gtts_engine import GTTSEngine
from narrate.engines.kokoro_engine import MODEL_ENV, KokoroEngine
from narrate.errors import UsageError
from narrate.synth import Probes, engine_status, resolve_engine
from tests.fakes import google as fake
from tests.fakes.google import FakeGoogle


def test_google_up_gives_gtts(google: FakeGoogle) -> None:
    choice = resolve_engine("auto")
    assert isinstance(choice.engine, GTTSEngine)
    assert (choice.requested, choice.note) == ("auto", None)


@pytest.fixture
def no_kokoro(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Kokoro's model is not there: ``auto`` goes on to espeak."""
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "no-model.onnx"))


def test_google_down_gives_kokoro_quickly(google: FakeGoogle) -> None:
    google.answer(fake.connection_refused())
    started = time.monotonic()
    choice = resolve_engine("auto")
    assert time.monotonic() - started < 1.0
    assert isinstance(choice.engine, KokoroEngine)
    assert choice.note == (
        "Google did not answer (cannot reach translate.google.com: the connection was refused);"
        " using Kokoro-82M offline voice"
    )


def test_google_down_and_no_kokoro_gives_espeak_quickly(
    google: FakeGoogle, no_kokoro: None, tmp_path: Path
) -> None:
    google.answer(fake.connection_refused())
    started = time.monotonic()
    choice = resolve_engine("auto")
    assert time.monotonic() - started < 1.0
    assert isinstance(choice.engine, EspeakEngine)
    assert choice.note == (
        "Google did not answer (cannot reach translate.google.com: the connection was refused);"
        " using espeak-ng offline voice (kokoro: the Kokoro model"
        f" {tmp_path / 'no-model.onnx'} ({MODEL_ENV}) does not exist)"
    )


def test_google_rate_limiting_gives_espeak(google: FakeGoogle, no_kokoro: None) -> None:
    google.answer(fake.rate_limited())
    choice = resolve_engine("auto")
    assert isinstance(choice.engine, EspeakEngine)
    assert choice.note is not None
    assert "429" in choice.note


def test_google_hanging_gives_espeak_within_the_probe_time(
    google: FakeGoogle, no_kokoro: None
) -> None:
    release = threading.Event()
    google.on_request = lambda text: release.wait(10)
    started = time.monotonic()
    try:
        choice = resolve_engine("auto", probe_timeout=0.3)
    finally:
        release.set()
    assert time.monotonic() - started < 3.0  # the server holds it for 10 s
    assert isinstance(choice.engine, EspeakEngine)


def test_google_is_asked_once_per_run(google: FakeGoogle) -> None:
    probes = Probes()
    resolve_engine("auto", probes=probes)
    resolve_engine("auto", probes=probes)
    engine_status(probes=probes)
    assert google.requests == 1
    resolve_engine("auto")  # a new run asks again
    assert google.requests == 2


def test_options_reach_the_engine(google: FakeGoogle, no_kokoro: None) -> None:
    google.answer(fake.connection_refused())
    choice = resolve_engine("auto", options={"gtts": {"tld": "co.in"}, "espeak": {"rate": 200}})
    assert isinstance(choice.engine, EspeakEngine)
    assert choice.engine.rate == 200
    assert "translate.google.co.in" in (choice.note or "")


def test_named_engines_are_not_probed_and_never_fall_back(google: FakeGoogle) -> None:
    google.answer(fake.connection_refused())
    choice = resolve_engine("gtts")
    assert isinstance(choice.engine, GTTSEngine)
    assert choice.note is None
    assert google.requests == 0
    assert isinstance(resolve_engine("espeak").engine, EspeakEngine)


def test_unknown_engine() -> None:
    with pytest.raises(UsageError, match="unknown engine 'festival'"):
        resolve_engine("festival")


def test_engine_status(google: FakeGoogle) -> None:
    google.answer(fake.server_error(503))
    rows = {row.name: row for row in engine_status()}
    assert set(rows) == {"gtts", "espeak", "kokoro"}
    assert not rows["gtts"].usable
    assert rows["gtts"].detail == "503 (Service Unavailable) from Google"
    assert rows["espeak"].usable
    assert (rows["gtts"].spec.max_chars, rows["gtts"].spec.audio_format) == (100, "mp3")
