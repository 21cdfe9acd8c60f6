"""Run the offline and gTTS benchmarks and print one table (``--json`` for the raw data).

Each part runs in its own process (``bench_offline.py``, ``bench_gtts.py``) so one cannot
warm or slow the other; their JSON is merged here.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def run(script: str, *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(HERE / script), "--json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"{script} failed:\n{proc.stderr.strip()}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def machine() -> str:
    cpus = len(__import__("os").sched_getaffinity(0))
    return f"{platform.machine()}, {cpus} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the raw results")
    parser.add_argument("--quick", action="store_true", help="skip the one-hour article")
    parser.add_argument("--repeat", default="3", help="gTTS timings: median of N runs")
    args = parser.parse_args()
    offline = run("bench_offline.py", *(["--skip-hour"] if args.quick else []))
    build_s = end_to_end(HERE.parent / "narrate" / "samples" / "demo-article.md")
    google = run("bench_gtts.py", "--repeat", args.repeat)
    batch = None if args.quick else run("bench_batch.py")
    cluster = None if args.quick else run("bench_cluster.py")
    if args.json:
        data = {"machine": machine(), "offline": offline, "build_s": build_s, "gtts": google,
                "batch": batch, "cluster": cluster}
        print(json.dumps(data, indent=2))
        return
    print(f"machine: {machine()}")
    print()
    rows = offline_rows(offline, build_s) + google_rows(google)
    if batch:
        rows += batch_rows(batch)
    if cluster:
        rows += cluster_rows(cluster)
    print(format_table(rows))


def end_to_end(article: Path) -> float:
    """Seconds for ``build_episode`` (read, script, espeak, render, tags, sidecars) on a cold
    cache, in a fresh process so imports are warm but nothing else is."""
    code = f"""
import tempfile, time
from pathlib import Path
from narrate.cache import ClipCache
from narrate.engines import create_engine
from narrate.pipeline import BuildSettings, build_episode
with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine("espeak")
    engine.synthesize("नमस्ते")  # load the voice: the floor is measured warm too
    settings = BuildSettings(out_dir=Path(tmp) / "out")
    start = time.perf_counter()
    build_episode({str(article)!r}, engine, settings, cache=ClipCache(Path(tmp) / "cache"))
    print(time.perf_counter() - start)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def offline_rows(offline: dict[str, Any], build_s: float) -> list[tuple[str, str, str]]:
    floor = offline["floor"]
    render = offline["render"]
    rows = [
        (
            "floor: espeak whole text in one call + one encode",
            f"{floor['total_s']:.2f} s ({floor['audio_s']:.0f} s of audio)",
            "",
        ),
        (
            "synthesis per chunk + render (same run)",
            f"{render['total_s']:.2f} s = {offline['floor_ratio']:.2f}x floor",
            "<= 2x",
        ),
        (
            "narrate build end to end, cold cache",
            f"{build_s:.2f} s = {build_s / floor['total_s']:.2f}x floor",
            "<= 2x",
        ),
        (
            "episode loudness / true peak",
            f"{render['lufs']} LUFS / {render['true_peak_db']} dBTP",
            "-19 +-0.5 / <= -1",
        ),
    ]
    long = offline.get("long")
    if long:
        rows.append(
            (
                f"one-hour article ({long['audio_s'] / 60:.0f} min, {long['chunks']} chunks)",
                f"peak {long['peak_rss_mb']:.0f} MB (ffmpeg {long['ffmpeg_peak_rss_mb']:.0f} MB),"
                f" {long['total_s']:.0f} s",
                "< 250 MB",
            )
        )
    return rows


def google_rows(google: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in google["rows"]:
        rows.append(
            (
                f"gTTS path: {row['name']}",
                f"{row['wall_s']:.2f} s, {row['requests']} requests, longest {row['max_chars']}",
                "",
            )
        )
    rows.append(
        (
            "narrate cold vs gtts-cli",
            f"{google['speedup']:.1f}x faster, {google['extra_requests']:+.0%} requests",
            ">= 5x, <= +20%",
        )
    )
    return rows


def batch_rows(batch: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for run_ in batch["runs"]:
        rows.append(
            (
                f"{run_['articles']} articles offline, --workers {run_['workers']}",
                f"{run_['wall_s']:.1f} s, {run_['articles_per_min']:.0f} articles/min,"
                f" {run_['speed_up']:.2f}x",
                f">= {batch['target_speed_up']}x with 2 workers" if run_["workers"] > 1 else "",
            )
        )
    return rows


def cluster_rows(cluster: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in cluster["rows"]:
        rows.append((
            f"{cluster['articles']} articles ({cluster['engine']}), {row['variant']}",
            f"{row['wall_s']:.1f} s, {row['speed_up']:.2f}x one worker",
            f">= {cluster['target_speed_up']}x" if "cluster" in row["variant"] else "",
        ))
    return rows


def format_table(rows: list[tuple[str, str, str]]) -> str:
    rows = [("measure", "value", "target"), *rows]
    widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
