"""A real Dask cluster for the session: a scheduler and two ``dask worker --nthreads 1``
processes (each under its nanny, which restarts a killed worker) from this venv, bound to
127.0.0.1, with the benchmark's stand-in for Google as their HTTPS proxy.

The workers are started once per session; a test that kills one waits for its nanny to
bring it back before it ends (:meth:`DaskCluster.wait_for_workers`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run_cli  # noqa: F401  the CLI in-process, as in tests/cli

distributed = pytest.importorskip("distributed")
pytest.importorskip("trustme")

ROOT = Path(__file__).resolve().parents[2]
BENCH_GTTS = ROOT / "script" / "bench_gtts.py"
#: Seconds the stand-in for Google holds each request, so that requests overlap.
GOOGLE_DELAY_S = 0.15


def _bench_gtts() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_gtts_for_cluster", BENCH_GTTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def dask_command(*args: str) -> list[str]:
    """The ``dask`` command of this venv."""
    return [str(Path(sys.executable).with_name("dask")), *args]


@dataclass
class DaskCluster:
    address: str
    logs: Path
    google: Any  # bench_gtts.Remote: .url, .ledger(reset_peak=...)
    processes: list[subprocess.Popen[bytes]]

    @contextlib.contextmanager
    def client(self) -> Iterator[Any]:
        client = distributed.Client(self.address, timeout=30, set_as_default=False)
        try:
            yield client
        finally:
            client.close()

    def wait_for_workers(self, n: int = 2, timeout: float = 90) -> None:
        """Until ``n`` workers are connected (a killed one comes back through its nanny)."""
        with self.client() as client:
            deadline = time.monotonic() + timeout
            while len(client.nthreads()) != n:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(client.nthreads())} workers, not {n}")
                time.sleep(0.2)


def start_scheduler(logs: Path, port: int) -> subprocess.Popen[bytes]:
    with (logs / f"scheduler-{port}.log").open("wb") as log:
        return subprocess.Popen(
            dask_command("scheduler", "--host", "127.0.0.1", "--port", str(port),
                         "--no-dashboard"),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )


def start_worker(
    logs: Path, address: str, name: str, env: dict[str, str], *nanny: str
) -> subprocess.Popen[bytes]:
    with (logs / f"worker-{name}.log").open("wb") as log:
        return subprocess.Popen(
            dask_command("worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                         "--no-dashboard", "--name", name, "--memory-limit", "0", *nanny),
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Kill each process and its children (a nanny's worker): each leads its own session,
    started with ``start_new_session``, so nothing outlives the tests."""
    for process in reversed(processes):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    for process in processes:
        process.wait(10)


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    logs = tmp_path_factory.mktemp("dask-logs")
    bench = _bench_gtts()
    with bench.stand_in(GOOGLE_DELAY_S) as google:
        env = bench.proxy_env(google.url, google.ca)
        env["NARRATE_CACHE_DIR"] = str(tmp_path_factory.mktemp("worker-cache"))
        env["PYTHONPATH"] = str(ROOT)
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        processes = [start_scheduler(logs, port)]
        try:
            processes += [start_worker(logs, address, f"w{i}", env) for i in (1, 2)]
            cluster = DaskCluster(address, logs, google, processes)
            cluster.wait_for_workers(2)
            yield cluster
        finally:
            stop(processes)


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env
