"""Kokoro-82M, timed as a user runs it: whole ``narrate build`` processes, cold and warm.

    python script/bench_kokoro.py                 # one article, cold then warm, plus the floor
    python script/bench_kokoro.py long.txt --repeat 3   # median of three cold builds
    python script/bench_kokoro.py --voices        # listen-by-numbers for the four voices
    python script/bench_kokoro.py --layouts       # threads per run against runs at once
    python script/bench_kokoro.py --json

Cold: a fresh clip cache and output folder, so the process loads the model and speaks every
chunk (``--repeat N``: N such builds, each with its own cache and folder, and the median of
each figure; every run is listed in ``--json`` with the load average before it). Warm: the
same command again; it must speak nothing. Each process is measured from
outside (wall time, CPU time of the process and its children, peak resident memory). The
floor is the same chunks through the engine in one process (no cache, no mix) plus one
ffmpeg encode of the audio. The machine may be shared: CPU seconds per audio second is the
figure that holds when other work runs; audio seconds per wall second is what a user feels.

Listening by numbers reads an episode back with the bundled ffmpeg: integrated loudness and
true peak (ebur128), pauses (silencedetect at -45 dB, 250 ms and more), clipped samples
(16-bit decode at full scale), and speaking pace (spoken characters per second).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "narrate" / "samples" / "demo-article.md"
NARRATE = [sys.executable, "-m", "narrate"]


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


_REAPER = """
import os, subprocess, sys, json, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"wall_s": time.perf_counter() - start, "rc": child.returncode,
                  "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024}), file=sys.stderr)
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` to the end: its wall time, and the CPU time and peak memory of that one
    process tree's top process (``os.wait4`` in a small reaper, so each run is its own)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", _REAPER, *cmd], capture_output=True,
                          text=True, errors="replace", env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = proc.stderr.strip().splitlines()
    stats = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {"rc": -1}
    if proc.returncode != 0 or stats["rc"] != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.strip()}")
    # CPU of the whole tree (ffmpeg children included), less the reaper's own start-up.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": stats["wall_s"], "cpu_s": cpu, "peak_rss_mb": stats["peak_rss_mb"],
            "stdout": proc.stdout, "stderr": "\n".join(lines[:-1])}


def build(article: Path, out: Path, cache: Path, *extra: str,
          prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    cmd = [*prefix, *NARRATE, "build", str(article), "--engine", "kokoro", "--out", str(out),
           "--cache-dir", str(cache), "--json", *extra]
    result = timed(cmd)
    data = json.loads(result["stdout"])
    episode = data["episodes"][0] if data["episodes"] else None
    result["audio_s"] = episode["duration_s"] if episode else 0.0
    result["audio"] = episode["audio"] if episode else None
    result["synthesized"] = len(list(cache.rglob("*.wav")))
    return result


def listen(mp3: Path, text_chars: int) -> dict[str, Any]:
    """Loudness, true peak, pauses, clipped samples and pace of an episode."""
    proc = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostats", "-i", str(mp3), "-af",
         "silencedetect=n=-45dB:d=0.25,ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, errors="replace", check=True,
    )
    log = proc.stderr
    summary = log[log.rfind("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    pauses = [float(x) for x in re.findall(r"silence_duration: ([\d.]+)", log)]
    pcm = subprocess.run(
        [ffmpeg(), "-hide_banner", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1",
         "-"], capture_output=True, check=True,
    ).stdout
    import array

    samples = array.array("h", pcm)
    clipped = sum(1 for s in samples if s >= 32767 or s <= -32768)
    duration = len(samples) / 44100
    return {
        "lufs": lufs,
        "true_peak_db": peak,
        "pauses": len(pauses),
        "mean_pause_s": round(sum(pauses) / len(pauses), 2) if pauses else 0.0,
        "longest_pause_s": max(pauses, default=0.0),
        "clipped_samples": clipped,
        "duration_s": round(duration, 1),
        "chars_per_s": round(text_chars / duration, 1) if duration else 0.0,
    }


def spoken_chars(article: Path) -> int:
    """Characters of the narration script (what the voice is asked to say)."""
    proc = subprocess.run([*NARRATE, "script", str(article), "--engine", "kokoro", "--json"],
                          capture_output=True, text=True, check=True)
    script = json.loads(proc.stdout)
    return sum(len(c["text"]) for s in script["sections"] for c in s["chunks"])


def floor(article: Path, tmp: Path) -> dict[str, Any]:
    """The same chunks through the engine in one process, then one ffmpeg encode."""
    code = f"""
import io, json, subprocess, sys, time, wave
from narrate.engines.kokoro_engine import KokoroEngine
from narrate.script import build_script
from narrate.readers import read_article
import imageio_ffmpeg
from concurrent.futures import ThreadPoolExecutor
script = build_script(read_article({str(article)!r}), max_chars=KokoroEngine.max_chars)
texts = [c.text for s in script.sections for c in s.chunks]
engine = KokoroEngine()
start = time.perf_counter()
with ThreadPoolExecutor(4) as pool:
    clips = list(pool.map(engine.synthesize, texts))
pcm = b"".join(wave.open(io.BytesIO(c)).readframes(10**9) for c in clips)
subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar",
                "24000", "-ac", "1", "-i", "-", "-b:a", "96k", {str(tmp / 'floor.mp3')!r}],
               input=pcm, check=True)
print(json.dumps({{"audio_s": len(pcm) / 48000, "in_process_s": time.perf_counter() - start}}))
"""
    result = timed([sys.executable, "-c", code])
    data = json.loads(result["stdout"].strip().splitlines()[-1])
    return {**data, "wall_s": result["wall_s"], "cpu_s": result["cpu_s"],
            "peak_rss_mb": result["peak_rss_mb"]}


def offline_prefix() -> tuple[str, ...]:
    """``unshare -n`` (no network at all) when this machine allows it, else nothing."""
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
    return (unshare, "-n") if probe.returncode == 0 else ()


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The last run, with its wall time, CPU time and peak memory the medians of ``runs``."""
    figures = ("wall_s", "cpu_s", "peak_rss_mb")
    return {**runs[-1], **{f: statistics.median(r[f] for r in runs) for f in figures}}


def bench(article: Path, repeat: int = 1) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        prefix = offline_prefix()
        runs = []
        for n in range(repeat):
            load = os.getloadavg()
            fresh = tmp / f"run{n}"
            runs.append({**build(article, fresh / "out", tmp / "cache", prefix=prefix),
                         "load_average": load})
            if n < repeat - 1:
                shutil.rmtree(tmp / "cache")
        cold = median_run(runs)
        synthesized = cold["synthesized"]
        out = tmp / f"run{repeat - 1}" / "out"
        warm = build(article, out, tmp / "cache", prefix=prefix)
        warm["new_syntheses"] = warm["synthesized"] - synthesized
        forced = build(article, out, tmp / "cache", "--force", prefix=prefix)
        forced["new_syntheses"] = forced["synthesized"] - synthesized
        numbers = listen(Path(cold["audio"]), spoken_chars(article))
        base = floor(article, tmp)
    for run in (cold, warm, forced, *runs):
        run.pop("stdout", None)
        run.pop("stderr", None)
    audio = cold["audio_s"]
    return {
        "article": article.name,
        "cores": len(os.sched_getaffinity(0)),
        "no_network": bool(prefix),
        "load_average": os.getloadavg(),
        "cold": {**cold, "audio_per_wall": audio / cold["wall_s"],
                 "cpu_per_audio": cold["cpu_s"] / audio, "repeat": repeat},
        "cold_runs": [{"wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "peak_rss_mb": r["peak_rss_mb"],
                       "load_average": r["load_average"]} for r in runs],
        "warm": warm,
        "warm_forced": forced,
        "floor": {**base, "cpu_per_audio": base["cpu_s"] / base["audio_s"]},
        "listen": numbers,
    }


_LAYOUT = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
import narrate.engines.kokoro_engine as k
from narrate.readers import read_article
from narrate.script import build_script
threads, runs = int(sys.argv[1]), int(sys.argv[2])
real_init = k._Model.__init__
def init(self, data, parallel, threads_=None):
    real_init(self, data, runs, threads)
k._Model.__init__ = init
k.load_model()
script = build_script(read_article(sys.argv[3]), max_chars=k.MAX_CHARS)
texts = [c.text for s in script.sections for c in s.chunks][:8]
engine = k.KokoroEngine()
start, cpu = time.perf_counter(), time.process_time()
with ThreadPoolExecutor(4) as pool:
    clips = list(pool.map(engine.synthesize, texts))
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
audio = sum(len(c) - 44 for c in clips) / 48000
print(json.dumps({"threads": threads, "runs": runs, "audio_s": audio, "wall_s": wall,
                  "audio_per_wall": audio / wall, "cpu_per_audio": cpu / audio}))
"""


def layouts(article: Path) -> list[dict[str, Any]]:
    """Every core on one article: intra-op threads in one run at a time, one thread per
    run and runs side by side, or both (the engine's layout); the first eight chunks, the
    budget of tokens in flight as the engine has it, the model loaded before the clock."""
    rows = []
    n = len(os.sched_getaffinity(0))
    for threads, runs in ((n, 1), (1, n), (n, n)):
        proc = subprocess.run([sys.executable, "-c", _LAYOUT, str(threads), str(runs),
                               str(article)], capture_output=True, text=True, check=True)
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return rows


def voices(article: Path) -> dict[str, Any]:
    chars = spoken_chars(article)
    rows = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for voice in ("hf_alpha", "hf_beta", "hm_omega", "hm_psi"):
            run = build(article, tmp / voice, tmp / "cache", "--voice", voice)
            rows[voice] = listen(Path(run["audio"]), chars)
            rows[voice]["cpu_s"] = round(run["cpu_s"], 1)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("article", nargs="?", type=Path, default=ARTICLE)
    parser.add_argument("--voices", action="store_true", help="compare the four voices")
    parser.add_argument("--layouts", action="store_true",
                        help="intra-op threads vs. chunks side by side")
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold builds to run (each with a fresh cache): median of N")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.layouts:
        for row in layouts(args.article):
            print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in row.items()))
        return
    data = voices(args.article) if args.voices else bench(args.article, max(1, args.repeat))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if args.voices:
        for voice, row in data.items():
            print(voice, " ".join(f"{k}={v}" for k, v in row.items()))
        return
    cold, warm, base = data["cold"], data["warm"], data["floor"]
    print(f"{data['article']} on {data['cores']} cores (load average {data['load_average']}),"
          f" {'inside unshare -n' if data['no_network'] else 'with the network'}")
    if cold["repeat"] > 1:
        print(f"cold, median of {cold['repeat']}: " + "; ".join(
            f"{r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, {r['peak_rss_mb']:.0f} MB"
            f" (load {r['load_average'][0]:.1f})" for r in data["cold_runs"]))
    print(f"cold: {cold['audio_s']:.0f} s of audio in {cold['wall_s']:.1f} s ="
          f" {cold['audio_per_wall']:.2f} audio s per wall s; {cold['cpu_per_audio']:.2f} CPU s"
          f" per audio s; peak {cold['peak_rss_mb']:.0f} MB")
    print(f"warm: {warm['wall_s']:.2f} s, {warm['new_syntheses']} syntheses")
    print(f"floor: {base['audio_s']:.0f} s of audio, {base['wall_s']:.1f} s wall,"
          f" {base['cpu_per_audio']:.2f} CPU s per audio s, peak {base['peak_rss_mb']:.0f} MB")
    print("listen: " + " ".join(f"{k}={v}" for k, v in data["listen"].items()))


if __name__ == "__main__":
    main()
