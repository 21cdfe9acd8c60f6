"""The benchmark's stand-in for Google really is Google to gTTS: an HTTPS proxy on
127.0.0.1 (CONNECT, self-signed TLS, batchexecute), reached through HTTPS_PROXY."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest
import responses

from narrate.cache import ClipCache
from narrate.engines.gtts_engine import GTTSEngine
from narrate.synth import synthesize
from tests.fakes.scripts import numbered_script

pytest.importorskip("trustme")

BENCH = Path(__file__).resolve().parents[2] / "script" / "bench_gtts.py"


def _bench_module() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_gtts", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gtts"] = module
    spec.loader.exec_module(module)
    return module


def test_gtts_talks_to_the_stand_in(
    http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bench = _bench_module()
    http.add_passthru("https://translate.google.com")
    with bench.stand_in(0.05) as server:
        for name, value in bench.proxy_env(server.url).items():
            monkeypatch.setenv(name, value)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        script = numbered_script(6)
        result = synthesize(script, GTTSEngine(), ClipCache(tmp_path), jobs=6)
        texts, peak = server.ledger()
    assert sorted(texts) == sorted(c.text for c in script.chunks)
    assert result.requests == 6
    assert peak > 1
