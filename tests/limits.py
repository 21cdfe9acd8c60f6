"""Run a command as its own process and measure it: CPU time and peak memory of that
process alone (``os.wait4``), under an address-space cap so that a runaway read fails
fast instead of taking the machine's memory, and a wall-clock limit for hangs.

The cap is set by a shell's ``ulimit`` that then ``exec``s the command: a ``preexec_fn``
would make Python fork the test process, and the child's peak memory would start at the
test process's size (its pages count until ``exec``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The address space a measured process may take: a runaway read stops here.
ADDRESS_SPACE = 2 << 30
NARRATE = Path(sys.executable).with_name("narrate")


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
    """Run ``args``; its exit code, output, CPU seconds, peak RSS in MB and wall time
    (the process is reaped with ``os.wait4``, which reports its own usage alone)."""
    start = time.monotonic()
    capped = ["/bin/sh", "-c", f'ulimit -v {ADDRESS_SPACE >> 10} && exec "$@"', "sh", *args]
    proc = subprocess.Popen(
        capped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        cwd=cwd, env=env,
    )
    killed = False
    try:
        out, err = _drain(proc, timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        killed = True
        out, err = _drain(proc, 10.0)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        None if killed else proc.returncode,
        out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
        usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, time.monotonic() - start,
    )


def _drain(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes]:
    """Read the process's output until both pipes close (it exited), without reaping it."""
    import selectors

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


def measure_narrate(*args: str, timeout: float = 20.0, cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> Measured:
    """:func:`measure` of this environment's ``narrate`` command."""
    return measure([str(NARRATE), *args], timeout=timeout, cwd=cwd, env=env)
