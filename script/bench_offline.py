#!/usr/bin/env python3
"""Offline benchmark (espeak-ng, no network): whole processes first, then a breakdown.

0. Whole processes, as a user types them, each timed from fork to exit with its CPU and
   memory (``wait4``): the floor (a minimal process: espeak-ng says the whole text in one
   call, one ffmpeg encode), ``narrate build --engine espeak`` on a cold clip cache, the same
   with ``--force`` on a warm cache, start-up (``narrate --version``) and one encode of the
   episode's audio. Targets: the cold build at most 1.3x the floor; the warm re-run within
   1.2x of start-up plus the encode.
1. In-process breakdown, the floor measured in the same run: espeak-ng says the whole
   article in ONE call, and one ffmpeg run encodes that audio with the episode's settings.
   Against it: the article chunked as the pipeline chunks it, one espeak-ng call per chunk
   (written as WAV clips, as the clip cache would), then ``render_episode``. Target: at most
   2x the floor.
2. Peak memory of a child process that synthesizes and renders a one-hour article (the demo
   repeated). Target: below 100 MB.

Usage: .venv/bin/python script/bench_offline.py [--json] [--minutes 60] [--skip-hour]
       [--repeat N]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrate.ffmpeg import ffmpeg_exe  # noqa: E402
from narrate.mix import MixSettings, render_episode  # noqa: E402
from narrate.mix.loudness import measure_file  # noqa: E402
from narrate.model import Chunk, ChunkKind, Clip, Script, ScriptSection, Synthesis  # noqa: E402

DEMO = ROOT / "narrate" / "samples" / "demo-article.md"
FLOOR_RATIO_TARGET = 2.0
WHOLE_FLOOR_TARGET = 1.3
WARM_TARGET = 1.2
MEMORY_TARGET_MB = 100.0
ROUNDS = 3  # best of three for both sides


class Espeak:
    """espeak-ng through ctypes: 16-bit mono PCM at ``rate`` for a text."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        self.rate = self.lib.espeak_Initialize(2, 0, data, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
        if self.rate <= 0:
            raise RuntimeError("espeak-ng did not initialize")
        self._parts: list[bytes] = []
        callback_type = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
        )

        def collect(wav: ctypes._Pointer[ctypes.c_short], n: int, events: int) -> int:
            if n > 0:
                self._parts.append(ctypes.string_at(wav, n * 2))
            return 0

        self._callback = callback_type(collect)  # keep a reference: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)
        if self.lib.espeak_SetVoiceByName(b"hi") != 0:
            raise RuntimeError("espeak-ng has no Hindi voice")

    def say(self, text: str) -> bytes:
        self._parts = []
        data = text.encode("utf-8")
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, 0x1, None, None)  # espeakCHARS_UTF8
        self.lib.espeak_Synchronize()
        return b"".join(self._parts)


def load_script(path: Path) -> tuple[Script, str]:
    """The demo's script from the pipeline's own reader and script stage when they import,
    else a crude one (Markdown headings as sections, one chunk per sentence)."""
    try:
        from narrate.readers import read_article
        from narrate.script import build_script

        return build_script(read_article(str(path)), max_chars=100), "narrate.script"
    except Exception as e:  # the stages are young: a bench must still run without them
        fallback = f"crude split on । ({type(e).__name__} from the pipeline)"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A---.*?---\s*", "", text, flags=re.S)
    sections: list[ScriptSection] = []
    title = ""
    for block in re.split(r"^#+ ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        kind: ChunkKind = "title" if not title else "heading"
        title = title or heading
        chunks = [Chunk(heading, heading, kind, "paragraph")]
        for paragraph in filter(None, (p.strip() for p in body.split("\n\n"))):
            sentences = [s.strip() + "।" for s in paragraph.split("।") if s.strip()]
            chunks += [Chunk(s, s, "body", "sentence") for s in sentences]
        sections.append(ScriptSection(heading, tuple(chunks)))
    return Script(title=title, date=None, sections=tuple(sections)), fallback


def synthesize(script: Script, espeak: Espeak, folder: Path) -> Synthesis:
    """One espeak-ng call per chunk, each written as a WAV clip."""
    clips = []
    n = 0
    for s, section in enumerate(script.sections):
        for i, chunk in enumerate(section.chunks):
            path = folder / f"clip{n:05d}.wav"
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(espeak.rate)
                w.writeframes(espeak.say(chunk.text))
            clips.append(Clip(s, i, chunk, path, "wav"))
            n += 1
    return Synthesis("espeak", tuple(clips))


def floor(script: Script, espeak: Espeak, folder: Path, settings: MixSettings) -> dict[str, float]:
    text = " ".join(chunk.text for chunk in script.chunks)
    t0 = time.perf_counter()
    pcm = espeak.say(text)
    t1 = time.perf_counter()
    raw = folder / "floor.pcm"
    raw.write_bytes(pcm)  # an encoder reading a file, like render_episode's
    t2 = time.perf_counter()
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(espeak.rate),
         "-ac", "1", "-i", str(raw), "-c:a", "libmp3lame", "-b:a", settings.bitrate,
         "-ar", str(settings.sample_rate), "-ac", str(settings.channels), "-y",
         str(folder / "floor.mp3")],
        check=True,
    )
    t3 = time.perf_counter()
    return {
        "synth_s": t1 - t0,
        "encode_s": t3 - t2,
        "total_s": (t1 - t0) + (t3 - t2),
        "audio_s": len(pcm) / 2 / espeak.rate,
    }


def ours(script: Script, espeak: Espeak, folder: Path, settings: MixSettings) -> dict[str, float]:
    clips = folder / "clips"
    clips.mkdir()
    t0 = time.perf_counter()
    synthesis = synthesize(script, espeak, clips)
    t1 = time.perf_counter()
    mp3 = folder / "episode.mp3"
    timeline = render_episode(script, synthesis, mp3, settings)
    t2 = time.perf_counter()
    lufs, peak = measure_file(mp3)
    return {
        "synth_s": t1 - t0,
        "render_s": t2 - t1,
        "total_s": t2 - t0,
        "audio_s": timeline.duration_ms / 1000,
        "chunks": len(synthesis.clips),
        "chapters": len(timeline.chapters),
        "lufs": lufs,
        "true_peak_db": peak if peak is not None else float("nan"),
    }


def long_script(script: Script, repeats: int) -> Script:
    """``script`` with its sections repeated ``repeats`` times (the title said once)."""
    sections = list(script.sections)
    body = [ScriptSection(s.title, tuple(c for c in s.chunks if c.kind != "title"))
            for s in script.sections]
    for k in range(2, repeats + 1):
        sections += [replace(s, title=f"{s.title} ({k})") for s in body if s.chunks]
    return replace(script, sections=tuple(sections))


def hour_child(minutes: float, demo_seconds: float) -> dict[str, float]:
    """Run inside a child process: synthesize and render about ``minutes`` of speech."""
    script, _ = load_script(DEMO)
    repeats = max(1, round(minutes * 60 / demo_seconds))
    script = long_script(script, repeats)
    espeak = Espeak()
    settings = MixSettings()
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        result = ours(script, espeak, Path(tmp), settings)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result.update(peak_rss_mb=self_kb / 1024, ffmpeg_peak_rss_mb=children_kb / 1024)
    return result


# --- whole processes -----------------------------------------------------------------------


def floor_child(text_path: Path, out: Path) -> None:
    """The floor as a process of its own: the whole text in one espeak-ng call, piped to one
    ffmpeg encode with the episode's settings."""
    espeak = Espeak()
    pcm = espeak.say(text_path.read_text(encoding="utf-8"))
    settings = MixSettings()
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(espeak.rate),
         "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", settings.bitrate,
         "-ar", str(settings.sample_rate), "-ac", str(settings.channels), "-y", str(out)],
        input=pcm, check=True,
    )


def whole(script: Script, repeat: int) -> dict[str, Any]:
    """Whole-process timings (medians of ``repeat``), all in this one run."""
    from bench_gtts import (
        BUILD_STARTUP,
        build_startup_command,
        compile_narrate,
        encode_floor,
        narrate_exe,
        shown,
        timed,
    )

    compile_narrate()
    rows: dict[str, dict[str, Any]] = {}

    def record(name: str, command: list[str], runs: list[Any], note: str = "") -> None:
        ordered = sorted(runs, key=lambda t: t.wall_s)
        middle = ordered[len(ordered) // 2]
        rows[name] = {"command": command, "wall_s": middle.wall_s,
                      "cpu_s": middle.cpu_s, "max_rss_mb": middle.max_rss_mb,
                      "note": note}

    with tempfile.TemporaryDirectory(prefix="narrate-bench-whole-") as tmp:
        folder = Path(tmp)
        text = folder / "text.txt"
        text.write_text(" ".join(chunk.text for chunk in script.chunks), encoding="utf-8")
        floor_cmd = [sys.executable, __file__, "--floor-child", str(text), str(folder / "f.mp3")]
        record("floor", floor_cmd, [timed(floor_cmd) for _ in range(repeat)],
               "espeak-ng, the whole text in one call, then one encode")
        runs = []
        for n in range(repeat):
            command = [narrate_exe(), "build", str(DEMO), "--engine", "espeak", "--out",
                       str(folder / f"out{n}"), "--cache-dir", str(folder / f"cache{n}"), "-q"]
            runs.append(timed(command, cwd=folder))
        record("cold", command, runs, "empty clip cache")
        command = [*command, "--force"]
        record("warm", command, [timed(command, cwd=folder) for _ in range(repeat)],
               "every clip from the cache, rebuilt")
        version = [narrate_exe(), "--version"]
        record("version", version, [timed(version) for _ in range(repeat)], "lean start-up")
        record("startup", build_startup_command(),
               [timed(build_startup_command()) for _ in range(repeat)],
               "start-up of a build: the interpreter and the modules narrate build imports")
        help_cmd = [narrate_exe(), "--help"]
        record("help", help_cmd, [timed(help_cmd) for _ in range(repeat)], "start-up")
        episode = next((folder / f"out{repeat - 1}").glob("*.mp3"))
        encodes = [encode_floor(episode, folder) for _ in range(repeat)]
        record("encode", encodes[0][1].split(), [t for t, _ in encodes],
               "one ffmpeg encode of the episode's audio")
    for row in rows.values():
        row["command"] = shown(row["command"]).replace(
            str(Path(tempfile.gettempdir())), "")
    rows["startup"]["command"] = f'python -c "{BUILD_STARTUP}"'
    floor_s = float(rows["floor"]["wall_s"])
    base = float(rows["startup"]["wall_s"]) + float(rows["encode"]["wall_s"])
    return {
        "rows": rows,
        "cold_vs_floor": float(rows["cold"]["wall_s"]) / floor_s,
        "cold_vs_floor_cpu": float(rows["cold"]["cpu_s"]) / float(rows["floor"]["cpu_s"]),
        "warm_vs_startup_encode": float(rows["warm"]["wall_s"]) / base,
        "targets": {"cold_vs_floor": WHOLE_FLOOR_TARGET, "warm_vs_startup_encode": WARM_TARGET},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the long article")
    parser.add_argument("--skip-hour", action="store_true", help="only the floor comparison")
    parser.add_argument("--repeat", type=int, default=3, help="whole processes: median of N")
    parser.add_argument("--child-hour", type=float, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--floor-child", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_child:
        floor_child(*args.floor_child)
        return 0
    if args.child_hour:
        print(json.dumps(hour_child(*args.child_hour)))
        return 0

    settings = MixSettings()
    script, source = load_script(DEMO)
    processes = whole(script, max(1, args.repeat))
    espeak = Espeak()
    espeak.say("नमस्ते")  # warm up the voice data
    lows: list[dict[str, float]] = []
    mines: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        for run in range(ROUNDS + 1):  # round 0 warms caches and is not counted
            for name in ("floor", "ours"):
                (Path(tmp) / f"{name}{run}").mkdir()
            low = floor(script, espeak, Path(tmp) / f"floor{run}", settings)
            mine = ours(script, espeak, Path(tmp) / f"ours{run}", settings)
            if run:
                lows.append(low)
                mines.append(mine)
    low = min(lows, key=lambda r: r["total_s"])
    mine = min(mines, key=lambda r: r["total_s"])
    ratio = mine["total_s"] / low["total_s"]
    report: dict[str, object] = {
        "article": DEMO.name,
        "script_from": source,
        "floor": low,
        "render": mine,
        "floor_ratio": ratio,
        "floor_ratio_target": FLOOR_RATIO_TARGET,
        "whole": processes,
    }
    if not args.skip_hour:
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--child-hour", str(args.minutes), str(low["audio_s"])],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            return 1
        hour = json.loads(done.stdout.strip().splitlines()[-1])
        hour["wall_s"] = time.perf_counter() - t0
        report["long"] = hour
        report["memory_target_mb"] = MEMORY_TARGET_MB

    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        rows = [
            ("floor: espeak 1 call + 1 encode", f"{low['total_s']:.2f} s",
             f"synth {low['synth_s']:.2f} s, encode {low['encode_s']:.2f} s, "
             f"{low['audio_s']:.0f} s audio"),
            ("ours: chunked espeak + render", f"{mine['total_s']:.2f} s",
             f"synth {mine['synth_s']:.2f} s, render {mine['render_s']:.2f} s, "
             f"{mine['chunks']:.0f} chunks"),
            ("ratio to floor", f"{ratio:.2f}x", f"target ≤ {FLOOR_RATIO_TARGET:.0f}x "
             f"({'ok' if ratio <= FLOOR_RATIO_TARGET else 'MISSED'})"),
            ("loudness / true peak", f"{mine['lufs']:.1f} LUFS",
             f"{mine['true_peak_db']:.1f} dBTP"),
        ]
        if "long" in report:
            hour = report["long"]
            assert isinstance(hour, dict)
            ok = hour["peak_rss_mb"] < MEMORY_TARGET_MB
            rows += [
                (f"long article ({hour['audio_s'] / 60:.0f} min)", f"{hour['peak_rss_mb']:.0f} MB",
                 f"peak RSS, target < {MEMORY_TARGET_MB:.0f} MB ({'ok' if ok else 'MISSED'}); "
                 f"ffmpeg {hour['ffmpeg_peak_rss_mb']:.0f} MB"),
                ("long article time", f"{hour['total_s']:.1f} s",
                 f"synth {hour['synth_s']:.1f} s, render {hour['render_s']:.1f} s, "
                 f"{hour['chunks']:.0f} chunks, {hour['lufs']:.1f} LUFS"),
            ]
        width = max(len(r[0]) for r in rows)
        print(f"narrate offline bench ({DEMO.name}, script from {source}, {os.cpu_count()} cpus)")
        print("whole processes (median wall s, cpu s):")
        for name, row in processes["rows"].items():
            print(f"  {name:<8} {row['wall_s']:6.2f} {row['cpu_s']:6.2f}  {row['command']}")
        print(f"  cold build / floor: {processes['cold_vs_floor']:.2f}x wall,"
              f" {processes['cold_vs_floor_cpu']:.2f}x cpu (target <= {WHOLE_FLOOR_TARGET}x)")
        print(f"  warm re-run / (start-up + encode): {processes['warm_vs_startup_encode']:.2f}x"
              f" (target <= {WARM_TARGET}x)")
        print("in-process breakdown:")
        for name, value, detail in rows:
            print(f"  {name:<{width}}  {value:>9}  {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
