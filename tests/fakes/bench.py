"""The benchmark scripts of script/ as modules, for the tests that share their parts: the
local stand-in for Google (``bench_gtts``), the soak's look at a build's Dask workers
(``bench_soak``)."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "script"


def script_module(name: str) -> types.ModuleType:
    """``script/<name>.py``, loaded once per process."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def bench_gtts() -> types.ModuleType:
    """``script/bench_gtts.py``: its stand-in for Google (an HTTPS proxy with a latency)."""
    return script_module("bench_gtts")
