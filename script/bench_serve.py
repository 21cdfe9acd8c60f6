#!/usr/bin/env python3
"""Measure ``narrate serve`` as a user runs it (a whole process on loopback), next to
``python -m http.server``, the tool a user would otherwise pick.

Reports, for a folder with a 20 MB MP3:

- range amplification: bytes answered to 32 alternating half-file ranges, as a multiple of
  the file (issue 23 measured 16x before the ranges were merged);
- a slowloris flood: N connections (default 500) each sending one header byte every 0.5 s;
  how many the server holds (at most 128), how many it turns away with 503, its threads and
  memory, and whether the flood is gone after the 10 s head timeout;
- speed: HEAD requests per second on one keep-alive connection, and the whole MP3's download
  rate (``sendfile``).

Only loopback addresses are used; every loop is bounded and the servers are stopped at the
end.

    .venv/bin/python script/bench_serve.py [--flood 500] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = 20 * 1024 * 1024


@contextlib.contextmanager
def server(command: list[str], folder: Path) -> Iterator[tuple[int, int]]:
    """Start ``command`` serving ``folder``; yield (pid, port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*command, str(port)], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield proc.pid, port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def proc_status(pid: int) -> dict[str, int]:
    text = Path(f"/proc/{pid}/status").read_text()
    threads = int(re.search(r"Threads:\s+(\d+)", text).group(1))  # type: ignore[union-attr]
    rss = int(re.search(r"VmRSS:\s+(\d+)", text).group(1))  # type: ignore[union-attr]
    return {"threads": threads, "rss_mb": rss // 1024}


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def amplification(port: int) -> str:
    """The status and size of the answer to 32 alternating half-file ranges."""
    half = SIZE // 2
    ranges = ",".join([f"0-{half - 200}", f"{half + 200}-"] * 16)
    status, body = get(port, "/episode.mp3", {"Range": f"bytes={ranges}"})
    return f"{status}, {len(body) / SIZE:.3f}x the file"


def flood(pid: int, port: int, count: int) -> dict[str, Any]:
    """``count`` slowloris connections for 4 s, then how the server recovers."""
    socks: list[socket.socket] = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\n")
        s.setblocking(False)
        socks.append(s)
    turned_away = 0
    open_socks = set(socks)
    started = time.monotonic()
    peak = proc_status(pid)
    while time.monotonic() - started < 4:
        for s in list(open_socks):
            try:
                data = s.recv(4096)
                if data.startswith(b"HTTP/1.1 503"):
                    turned_away += 1
                open_socks.discard(s)
            except BlockingIOError:
                with contextlib.suppress(OSError):
                    s.send(b"X")
            except OSError:
                open_socks.discard(s)
        status = proc_status(pid)
        peak = {k: max(peak[k], status[k]) for k in peak}
        time.sleep(0.5)
    held = len(open_socks)
    # Keep trickling until the head timeout closes the held ones; a client then gets in.
    recovered_after = None
    while time.monotonic() - started < 20:
        for s in list(open_socks):
            with contextlib.suppress(OSError):
                s.send(b"X")
        try:
            if get(port, "/index.html")[0] in (200, 404):
                recovered_after = round(time.monotonic() - started, 1)
                break
        except OSError:
            pass
        time.sleep(0.5)
    for s in socks:
        s.close()
    return {"connections": count, "held": held, "turned_away_503": turned_away,
            "peak_threads": peak["threads"], "peak_rss_mb": peak["rss_mb"],
            "served_again_after_s": recovered_after}


def head_rate(port: int, seconds: float = 2.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        conn.request("HEAD", "/episode.mp3")
        conn.getresponse().read()
        n += 1
    conn.close()
    return round(n / seconds)


def download_rate(port: int, tries: int = 5) -> int:
    """The best of ``tries`` downloads of the whole MP3, read in 1 MB pieces, in MB/s."""
    best = 0.0
    for _ in range(tries):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.monotonic()
        conn.request("GET", "/episode.mp3")
        response = conn.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        assert response.status == 200 and size == SIZE
        best = max(best, SIZE / (time.monotonic() - started) / 1e6)
        conn.close()
    return round(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=500, help="slowloris connections")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    narrate = [sys.executable, "-c", "from narrate.cli import main; main()", "serve", ".",
               "--port"]
    stdlib = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1"]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "episode.mp3").write_bytes(os.urandom(SIZE))
        (folder / "index.html").write_text("<p>x</p>")
        for name, command in (("narrate serve", narrate), ("python -m http.server", stdlib)):
            with server(command, folder) as (pid, port):
                results[name] = {
                    "head_per_s": head_rate(port),
                    "download_mb_per_s": download_rate(port),
                    "range_amplification": amplification(port),
                    "slowloris": flood(pid, port, args.flood),
                }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        f = r["slowloris"]
        print(f"{name}: {r['head_per_s']} HEAD/s (keep-alive), {r['download_mb_per_s']} MB/s, "
              f"32 alternating half ranges -> {r['range_amplification']}; "
              f"{f['connections']} slowloris connections: {f['held']} held, "
              f"{f['turned_away_503']} got 503, peak {f['peak_threads']} threads / "
              f"{f['peak_rss_mb']} MB, served again after {f['served_again_after_s']} s")


if __name__ == "__main__":
    main()
