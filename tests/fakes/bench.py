"""script/bench_gtts.py as a module: its local stand-in for Google (an HTTPS proxy with a
latency), which the benchmark and tests share."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

BENCH_GTTS = Path(__file__).resolve().parents[2] / "script" / "bench_gtts.py"


def bench_gtts() -> types.ModuleType:
    """``script/bench_gtts.py``, loaded once per process."""
    if "bench_gtts" in sys.modules:
        return sys.modules["bench_gtts"]
    spec = importlib.util.spec_from_file_location("bench_gtts", BENCH_GTTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gtts"] = module
    spec.loader.exec_module(module)
    return module
