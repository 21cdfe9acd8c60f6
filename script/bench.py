"""Run the offline and gTTS benchmarks and print one table (``--json`` for the raw data).

The headline figures time whole processes, each command as a user types it (``narrate
build ...``, ``gtts-cli ...``, the floor as a minimal process), from fork to exit, in the
same run; in-process figures follow as a breakdown. Each part runs in its own process
(``bench_offline.py``, ``bench_gtts.py``) so one cannot warm or slow the other; their JSON
is merged here.
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


def run(script: str, *args: str, check: bool = True) -> dict[str, Any]:
    """The JSON report of ``script``; with ``check``, a failing exit ends the bench (the
    soak exits 1 when something was left over: its report says what)."""
    proc = subprocess.run(
        [sys.executable, str(HERE / script), "--json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 and (check or not proc.stdout.strip()):
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
    parser.add_argument("--repeat", default="3", help="whole processes: median of N runs")
    parser.add_argument("--skip-kokoro", action="store_true", help="skip Kokoro (minutes)")
    parser.add_argument("--soak-minutes", default="3",
                        help="the soak's length (killed concurrent builds); 0 skips it")
    args = parser.parse_args()
    offline = run("bench_offline.py", "--repeat", args.repeat,
                  *(["--skip-hour"] if args.quick else []))
    google = run("bench_gtts.py", "--repeat", args.repeat)
    batch = None if args.quick else run("bench_batch.py")
    kokoro = None if args.skip_kokoro else run("bench_kokoro.py")
    # the figure is for Kokoro, where an article costs CPU-minutes; espeak when the
    # Kokoro part is skipped
    cluster = None if args.quick else run(
        "bench_cluster.py", "--engine", "espeak" if args.skip_kokoro else "kokoro")
    soak = None if args.quick or float(args.soak_minutes) <= 0 else run(
        "bench_soak.py", "--minutes", args.soak_minutes, check=False)
    if args.json:
        data = {"machine": machine(), "load": load(), "offline": offline, "gtts": google,
                "batch": batch, "kokoro": kokoro, "cluster": cluster, "soak": soak}
        print(json.dumps(data, indent=2))
        return
    print(f"machine: {machine()}; load average {load()} (a shared machine: read the ratios)")
    print()
    rows = whole_rows(offline, google) + offline_rows(offline) + google_rows(google)
    if batch:
        rows += batch_rows(batch)
    if kokoro:
        rows += kokoro_rows(kokoro)
    if cluster:
        rows += cluster_rows(cluster)
    if soak:
        rows += soak_rows(soak)
    print(format_table(rows))
    print()
    print("commands timed (each a new process, as a user types it; wall clock and wait4 CPU):")
    for name, command in commands(offline, google):
        print(f"  {name:<14} {command}")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in __import__("os").getloadavg())


def commands(offline: dict[str, Any], google: dict[str, Any]) -> list[tuple[str, str]]:
    rows = offline["whole"]["rows"]
    out = [(f"espeak {name}", rows[name]["command"]) for name in ("floor", "cold", "warm")]
    out += [("start-up", rows["startup"]["command"]), ("encode", rows["encode"]["command"])]
    out += [(f"gtts {row['name'].split(',')[-1].strip()}", row["command"])
            for row in google["rows"][:3]]
    return out


def whole_rows(offline: dict[str, Any], google: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The whole-process figures: each command timed from fork to exit."""
    whole = offline["whole"]
    rows = whole["rows"]

    def took(row: dict[str, Any]) -> str:
        return f"{row['wall_s']:.2f} s (cpu {row['cpu_s']:.2f} s)"

    cli, cold, warm = google["rows"][0], google["rows"][1], google["rows"][2]
    return [
        ("whole process: floor (espeak 1 call + 1 encode)", took(rows["floor"]), ""),
        ("whole process: narrate build --engine espeak, cold",
         f"{took(rows['cold'])} = {whole['cold_vs_floor']:.2f}x floor"
         f" ({whole['cold_vs_floor_cpu']:.2f}x cpu)", "<= 1.3x"),
        ("whole process: narrate --version", took(rows["version"]), ""),
        ("whole process: narrate --help", took(rows["help"]), ""),
        ("whole process: start-up of a build (its imports)", took(rows["startup"]), ""),
        ("whole process: one encode of the episode", took(rows["encode"]), ""),
        ("whole process: espeak build --force, warm cache",
         f"{took(rows['warm'])} = {whole['warm_vs_startup_encode']:.2f}x start-up + encode",
         "<= 1.2x"),
        ("whole process: gtts-cli (body text)", f"{cli['wall_s']:.2f} s (cpu {cli['cpu_s']:.2f} s)",
         ""),
        ("whole process: narrate build --engine gtts, cold",
         f"{cold['wall_s']:.2f} s (cpu {cold['cpu_s']:.2f} s) = {google['speedup']:.1f}x faster",
         ">= 5x"),
        ("whole process: gtts build --force, warm cache",
         f"{warm['wall_s']:.2f} s = {google['warm_ratio']:.2f}x start-up + encode", "<= 1.2x"),
    ]


def offline_rows(offline: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The in-process breakdown of the offline path, and memory on a long article."""
    floor = offline["floor"]
    render = offline["render"]
    rows = [
        (
            "in-process: floor (espeak 1 call + 1 encode)",
            f"{floor['total_s']:.2f} s ({floor['audio_s']:.0f} s of audio)",
            "",
        ),
        (
            "in-process: espeak per chunk + render",
            f"{render['total_s']:.2f} s = {offline['floor_ratio']:.2f}x floor",
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
                "< 100 MB",
            )
        )
    return rows


def google_rows(google: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in google["rows"][1:4] + google["breakdown"]:
        rows.append(
            (
                f"gTTS: {row['name']}",
                f"{row['wall_s']:.2f} s, {row['requests']} requests on"
                f" {row['connections']} connections",
                "",
            )
        )
    rows.append(
        (
            "gTTS: requests against gtts-cli",
            f"{google['extra_requests']:+.0%}, longest {google['rows'][1]['max_chars']} chars",
            "<= +20%, <= 100",
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


def soak_rows(soak: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Concurrent builds SIGKILLed at random, then one clean run (see bench_soak.py)."""
    final = soak["final_run"]
    left = ", ".join(f"{k} {len(v)}" for k, v in soak["leftovers"].items() if v) or "nothing"
    return [
        (
            f"soak: {soak['builders']} builds at a time for {soak['seconds']:.0f} s"
            f" ({', '.join(soak['engines'])})",
            f"{soak['trials']} trials, {soak['kills']} SIGKILLed, {soak['failed_exits']} failed",
            "0 failed",
        ),
        (
            "soak: left over after one clean run",
            f"{soak['left_over']} ({left}); clean run exit {final['exit']}",
            "0, exit 0",
        ),
    ]


def kokoro_rows(kokoro: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Whole ``narrate build --engine kokoro`` processes (see bench_kokoro.py)."""
    cold, warm, floor, heard = kokoro["cold"], kokoro["warm"], kokoro["floor"], kokoro["listen"]
    where = " (unshare -n)" if kokoro["no_network"] else ""
    return [
        (
            "kokoro floor: chunks in one process + one encode",
            f"{floor['wall_s']:.1f} s, {floor['cpu_per_audio']:.2f} CPU s/audio s",
            "",
        ),
        (
            f"kokoro build, cold{where}",
            f"{cold['audio_s']:.0f} s audio in {cold['wall_s']:.1f} s ="
            f" {cold['audio_per_wall']:.2f}x real time, {cold['cpu_per_audio']:.2f} CPU s/audio s",
            ">= 2x real time",
        ),
        ("kokoro build, peak memory", f"{cold['peak_rss_mb']:.0f} MB", "< 1 GB"),
        (
            "kokoro build, warm re-run",
            f"{warm['wall_s']:.2f} s, {warm['new_syntheses']} syntheses",
            "0 syntheses",
        ),
        (
            "kokoro episode loudness / true peak / clipped",
            f"{heard['lufs']} LUFS / {heard['true_peak_db']} dBTP /"
            f" {heard['clipped_samples']} samples",
            "-19 +-1 / <= -1 / 0",
        ),
    ]


def cluster_rows(cluster: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in cluster["rows"]:
        rows.append((
            f"{cluster['articles']} articles ({cluster['engine']}), {row['variant']}",
            f"{row['wall_s']:.1f} s, {row['speed_up']:.2f}x one worker",
            f">= {cluster['target_speed_up']}x" if "cluster" in row["variant"] else "",
        ))
    if "cluster_vs_one_core_worker" in cluster:
        rows.append((
            f"{cluster['articles']} articles ({cluster['engine']}), workers running / one"
            " worker on one core",
            f"{cluster['cluster_vs_one_core_worker']:.2f}x", "",
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
