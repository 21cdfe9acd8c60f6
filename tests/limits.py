"""Run a command as its own process and measure it: CPU time and peak memory of that
process alone (``os.wait4``), under an address-space cap so that a runaway read fails
fast instead of taking the machine's memory, and a wall-clock limit for hangs.

A process's peak memory (``ru_maxrss``) counts the pages it shares with its parent until
it calls ``exec``: a command forked straight from the test process would start at the test
process's size (a gigabyte late in the suite). So a small launcher, itself a fresh Python
process, forks the command and reports the command's own usage with ``os.wait4``.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The address space a measured process may take: a runaway read stops here.
ADDRESS_SPACE = 2 << 30
NARRATE = Path(sys.executable).with_name("narrate")

#: Forks and execs argv[2:] under the address-space cap, waits for it, and writes its exit
#: code and its own usage (wait4) as JSON to argv[1].
_LAUNCHER = """
import json, os, resource, sys
report, argv, cap = sys.argv[1], sys.argv[3:], int(sys.argv[2])
pid = os.fork()
if pid == 0:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status),
               "cpu_s": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss}, f)
"""


@dataclass(frozen=True)
class Measured:
    code: int | None  # None: still running at the wall-clock limit (killed)
    stdout: str
    stderr: str
    cpu_s: float
    peak_mb: float
    wall_s: float


def measure(args: Sequence[str], *, timeout: float = 20.0, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Measured:
    """Run ``args``; its exit code, output, CPU seconds, peak RSS in MB and wall time."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="measure-") as folder:
        report = Path(folder) / "usage.json"
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), str(ADDRESS_SPACE), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            cwd=cwd, env=env, start_new_session=True,
        )
        try:
            out, err = _drain(proc, timeout)
            killed = False
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command
            out, err = _drain(proc, 10.0)
            killed = True
        proc.wait()
        usage = json.loads(report.read_text()) if report.is_file() else {}
    return Measured(
        None if killed else usage.get("code"),
        out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
        float(usage.get("cpu_s", 0.0)), float(usage.get("peak_kb", 0)) / 1024,
        time.monotonic() - start,
    )


def measure_narrate(*args: str, timeout: float = 20.0, cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> Measured:
    """:func:`measure` of this environment's ``narrate`` command."""
    return measure([str(NARRATE), *args], timeout=timeout, cwd=cwd, env=env)


def _drain(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes]:
    """Read the process's output until both pipes close (it exited)."""
    assert proc.stdout is not None and proc.stderr is not None
    chunks: dict[int, list[bytes]] = {proc.stdout.fileno(): [], proc.stderr.fileno(): []}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        sel.register(proc.stderr, selectors.EVENT_READ)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            for key, _ in sel.select(left):
                data = os.read(key.fd, 65536)
                if data:
                    chunks[key.fd].append(data)
                else:
                    sel.unregister(key.fileobj)
    return b"".join(chunks[proc.stdout.fileno()]), b"".join(chunks[proc.stderr.fileno()])
