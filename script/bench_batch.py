#!/usr/bin/env python3
"""Batch benchmark: many short articles offline (espeak-ng), one at a time against parallel.

Writes ``--articles`` distinct short Hindi articles (100 by default) into a temporary
folder and runs ``narrate build FOLDER --engine espeak --quiet`` once per ``--workers``
value, each run with a fresh clip cache and output folder so no run profits from another.
Prints articles per minute and the speed-up over ``--workers 1``. Target: at least 1.7x
with two workers on a two-core machine.

Usage: .venv/bin/python script/bench_batch.py [--articles 100] [--workers 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEED_UP_TARGET = 1.7

TOPICS = ("मेट्रो", "बारिश", "क्रिकेट", "चुनाव", "बाज़ार", "स्कूल", "अस्पताल", "सड़क")


def article(n: int) -> str:
    """A short article, distinct for every ``n`` (so the clip cache never helps a run)."""
    topic = TOPICS[n % len(TOPICS)]
    return (
        f"# {topic} पर खबर संख्या {n}\n\n"
        f"शहर में आज {topic} को लेकर {n} लोगों ने बैठक की। अधिकारियों ने कहा कि काम"
        f" अगले {n % 12 + 1} महीनों में पूरा होगा।\n\n"
        f"## आगे क्या\n\n"
        f"नागरिकों ने कहा कि {topic} से जुड़ी समस्याएँ पुरानी हैं, लेकिन इस बार उम्मीद है।"
        f" अगली बैठक {n % 28 + 1} तारीख को होगी।\n"
    )


def run(folder: Path, workers: int, scratch: Path) -> dict[str, float]:
    out = scratch / f"out-{workers}"
    env = {**os.environ, "NARRATE_CACHE_DIR": str(scratch / f"cache-{workers}")}
    command = [
        sys.executable, "-m", "narrate", "build", str(folder), "--engine", "espeak",
        "--workers", str(workers), "--out", str(out), "--quiet",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"narrate build failed ({done.returncode}): {done.stderr.strip()}")
    built = len(list(out.glob("*.mp3")))
    return {"workers": workers, "articles": built, "wall_s": round(wall, 2),
            "articles_per_min": round(60 * built / wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--json", action="store_true", help="print the raw numbers as JSON")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="narrate-bench-batch-") as tmp:
        scratch = Path(tmp)
        folder = scratch / "articles"
        folder.mkdir()
        for n in range(1, args.articles + 1):
            (folder / f"article-{n:04d}.md").write_text(article(n), encoding="utf-8")
        rows = [run(folder, w, scratch) for w in counts]

    base = rows[0]["wall_s"]
    for row in rows:
        row["speed_up"] = round(base / row["wall_s"], 2)
    machine = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }
    best = max(r["speed_up"] for r in rows[1:]) if len(rows) > 1 else 1.0
    result = {"machine": machine, "runs": rows, "target_speed_up": SPEED_UP_TARGET,
              "met": best >= SPEED_UP_TARGET}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.articles} articles offline (espeak-ng), {machine['cores']} cores, "
          f"Python {machine['python']}")
    print(f"{'workers':>7}  {'wall s':>8}  {'articles/min':>12}  {'speed-up':>8}")
    for r in rows:
        print(f"{r['workers']:>7}  {r['wall_s']:>8.2f}  {r['articles_per_min']:>12.1f}  "
              f"{r['speed_up']:>7.2f}x")
    verdict = "met" if result["met"] else "NOT met"
    print(f"target: at least {SPEED_UP_TARGET}x over one at a time: {verdict}")


if __name__ == "__main__":
    main()
