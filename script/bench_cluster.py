#!/usr/bin/env python3
"""Cluster benchmark: one batch as threads in one process against ``--cluster local``.

Writes ``--articles`` distinct short Hindi articles (20 by default, the same generator as
``bench_batch.py``) and times whole ``narrate build`` processes, as a user runs them,
each with a fresh clip cache and output folder:

- ``--workers 1``: one article at a time, the baseline;
- the same on one core (its affinity set to one CPU): one single-core worker, what a
  cluster worker is, so the running workers' time against it is the cluster's own scaling;
- ``--workers N``: N threads in one process (the default path);
- ``--cluster local --workers N``: a Dask LocalCluster of N single-threaded worker
  processes, started and stopped inside the timed command;
- ``--cluster tcp://…``: N single-threaded workers already running (started before the
  timing, as a newsroom's cluster would be): the cluster's cost without its start-up.

Prints wall times (median of ``--repeat`` runs) and the speed-ups over one worker. The
engine is a parameter (``--engine espeak`` today; a neural voice, where an article costs
seconds of CPU, is where the worker processes pay). Target: the cluster at least 1.8x
one worker with 2 worker processes.

Usage: .venv/bin/python script/bench_cluster.py [--articles 20] [--workers 2]
       [--engine espeak] [--paragraphs 0] [--repeat 1] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.8


def _article_maker() -> Any:
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "script" /
                                                  "bench_batch.py")
    if spec is None or spec.loader is None:
        sys.exit("bench_cluster: cannot load bench_batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.article


def run_once(folder: Path, scratch: Path, name: str, engine: str, extra: list[str],
             cpus: set[int] | None = None) -> float:
    out = scratch / f"out-{name}"
    cache = scratch / f"cache-{name}"
    command = [
        sys.executable, "-m", "narrate", "build", str(folder), "--engine", engine,
        "--out", str(out), "--cache-dir", str(cache), "--quiet", *extra,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"narrate build ({name}) failed ({done.returncode}): {done.stderr.strip()}")
    built = len(list(out.glob("*.mp3")))
    expected = len(list(folder.glob("*.md")))
    if built != expected:
        sys.exit(f"narrate build ({name}) made {built} episodes, not {expected}")
    for path in (out, cache):
        subprocess.run(["rm", "-rf", str(path)], check=True)
    return wall


@contextlib.contextmanager
def running_cluster(workers: int, scratch: Path) -> Iterator[str]:
    """A scheduler and ``workers`` single-threaded workers on 127.0.0.1, started before the
    timed commands (a cluster that is already up, as a newsroom's would be)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    log = (scratch / "dask.log").open("wb")
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], stdout=log, stderr=log)]
    try:
        processes += [
            subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host",
                              "127.0.0.1", "--no-dashboard", "--no-nanny"],
                             stdout=log, stderr=log)
            for _ in range(workers)
        ]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in reversed(processes):  # the workers, then the scheduler
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--paragraphs", type=int, default=0,
                        help="extra paragraphs per article (longer episodes, more CPU each)")
    parser.add_argument("--repeat", type=int, default=1, help="median of N runs each")
    parser.add_argument("--json", action="store_true", help="print the raw numbers as JSON")
    args = parser.parse_args()
    article = _article_maker()
    n = args.workers
    one_core = {min(os.sched_getaffinity(0))}
    variants = [
        ("one worker", ["--workers", "1"]),
        ("one worker on one core", ["--workers", "1"]),
        (f"{n} threads, one process", ["--workers", str(n)]),
        (f"--cluster local, {n} worker processes", ["--cluster", "local", "--workers", str(n)]),
    ]
    with tempfile.TemporaryDirectory(prefix="narrate-bench-cluster-") as tmp, \
            running_cluster(n, Path(tmp)) as address:
        variants.append((f"--cluster tcp://, {n} workers running", ["--cluster", address]))
        scratch = Path(tmp)
        folder = scratch / "articles"
        folder.mkdir()
        for i in range(1, args.articles + 1):
            extra = "".join(
                f"\nअनुच्छेद {p} में खबर {i} के बारे में {p * 7 + i} लोगों ने अपनी राय दी। उन्होंने"
                f" कहा कि {i + p} दिनों में काम पूरा होना चाहिए।\n"
                for p in range(1, args.paragraphs + 1)
            )
            (folder / f"article-{i:04d}.md").write_text(article(i) + extra, encoding="utf-8")
        walls: dict[str, list[float]] = {name: [] for name, _ in variants}
        for r in range(args.repeat):
            for k, (name, extra) in enumerate(variants):
                cpus = one_core if name == "one worker on one core" else None
                walls[name].append(run_once(folder, scratch, f"{k}-{r}", args.engine, extra,
                                            cpus))
    rows = [{"variant": name, "wall_s": round(statistics.median(walls[name]), 2),
             "runs": [round(w, 2) for w in walls[name]]} for name, _ in variants]
    base = rows[0]["wall_s"]
    for row in rows:
        row["speed_up"] = round(base / row["wall_s"], 2)
    by = {row["variant"]: row["wall_s"] for row in rows}
    threads, local = by[f"{n} threads, one process"], by[f"--cluster local, {n} worker processes"]
    cluster_vs_threads = round(threads / local, 2)
    # What n single-core worker processes give over one: the cluster's own scaling, the
    # figure that carries to more machines (an engine that already spreads one article
    # over every core, as Kokoro does, leaves "one worker" little to gain on one machine).
    per_worker = round(by["one worker on one core"] / by[f"--cluster tcp://, {n} workers running"],
                       2)
    result = {
        "machine": {"cores": len(os.sched_getaffinity(0)), "python": platform.python_version()},
        "articles": args.articles, "paragraphs": args.paragraphs, "engine": args.engine,
        "workers": n, "rows": rows,
        "cluster_vs_threads": cluster_vs_threads, "target_speed_up": TARGET,
        "cluster_vs_one_core_worker": per_worker,
        "met": by[f"--cluster local, {n} worker processes"] * TARGET <= base,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.articles} articles (+{args.paragraphs} paragraphs), engine {args.engine},"
          f" {result['machine']['cores']} cores, Python {result['machine']['python']};"
          f" whole processes, median of {args.repeat}")
    print(f"{'':<38} {'wall s':>8} {'vs one worker':>14}")
    for row in rows:
        print(f"{row['variant']:<38} {row['wall_s']:>8.2f} {row['speed_up']:>13.2f}x")
    print(f"cluster / threads: {cluster_vs_threads:.2f}x; {n} running workers / one worker on"
          f" one core: {per_worker:.2f}x; target: cluster at least {TARGET}x one worker:"
          f" {'met' if result['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
