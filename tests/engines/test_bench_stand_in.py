"""The benchmark's stand-in for Google really is Google to gTTS: an HTTPS proxy on
127.0.0.1 (CONNECT, self-signed TLS, batchexecute), reached through HTTPS_PROXY."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from narrate.cache import ClipCache
from narrate.engines.base import TransientEngineError
from narrate.engines.gtts_engine import GTTSEngine
from narrate.synth import synthesize
from tests.fakes.bench import bench_gtts
from tests.fakes.scripts import numbered_script

pytest.importorskip("trustme")



def _route_to(bench: types.ModuleType, server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send this process's HTTPS to the stand-in ``server``, trusting its CA."""
    for name, value in bench.proxy_env(server.url, server.ca).items():
        monkeypatch.setenv(name, value)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_gtts_talks_to_the_stand_in(
    http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bench = bench_gtts()
    http.add_passthru("https://translate.google.com")
    with bench.stand_in(0.05) as server:
        _route_to(bench, server, monkeypatch)
        script = numbered_script(6)
        result = synthesize(script, GTTSEngine(), ClipCache(tmp_path), jobs=6)
        texts, peak = server.ledger()
    assert sorted(texts) == sorted(c.text for c in script.chunks)
    assert result.requests == 6
    assert peak > 1


@pytest.fixture
def stand_in(
    http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[types.SimpleNamespace]:
    bench = bench_gtts()
    http.add_passthru("https://translate.google.com")
    with bench.stand_in(0.02) as server:
        _route_to(bench, server, monkeypatch)
        yield server


def test_each_thread_keeps_its_connection_to_google(
    stand_in: types.SimpleNamespace, tmp_path: Path
) -> None:
    """gTTS alone would open one connection (and TLS handshake) per request: 8 here."""
    script = numbered_script(8)
    synthesize(script, GTTSEngine(), ClipCache(tmp_path), jobs=2)
    assert stand_in.connections() <= 2
    assert len(stand_in.ledger()[0]) == 8


def test_a_closed_connection_is_opened_again(
    stand_in: types.SimpleNamespace, tmp_path: Path
) -> None:
    stand_in.keep_alive(False)
    engine = GTTSEngine()
    for n in range(3):
        engine.synthesize(f"नमस्ते {n}")
    assert stand_in.connections() == 3


def test_certificates_are_verified(
    stand_in: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-in's certificate is trusted only through REQUESTS_CA_BUNDLE: without it,
    the answer of whoever intercepts the connection is refused."""
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    with pytest.raises(TransientEngineError, match="secure connection"):
        GTTSEngine().synthesize("नमस्ते")
