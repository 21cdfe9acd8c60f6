#!/usr/bin/env python3
"""Offline benchmark of the episode renderer (espeak-ng, no network).

1. The floor, measured in the same run: espeak-ng says the whole article in ONE call, and one
   ffmpeg run encodes that audio with the episode's settings. Against it: the article chunked
   as the pipeline chunks it, one espeak-ng call per chunk (written as WAV clips, as the clip
   cache would), then ``render_episode``. Target: at most 2x the floor.
2. Peak memory of a child process that synthesizes and renders a one-hour article (the demo
   repeated). Target: below 250 MB.

Usage: .venv/bin/python script/bench_offline.py [--json] [--minutes 60] [--skip-hour]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrate.mix import MixSettings, render_episode  # noqa: E402
from narrate.mix.ffmpeg import ffmpeg_exe  # noqa: E402
from narrate.mix.loudness import measure_file  # noqa: E402
from narrate.model import Chunk, ChunkKind, Clip, Script, ScriptSection, Synthesis  # noqa: E402

DEMO = ROOT / "narrate" / "samples" / "demo-article.md"
FLOOR_RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 250.0
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the long article")
    parser.add_argument("--skip-hour", action="store_true", help="only the floor comparison")
    parser.add_argument("--child-hour", type=float, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_hour:
        print(json.dumps(hour_child(*args.child_hour)))
        return 0

    settings = MixSettings()
    script, source = load_script(DEMO)
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
        for name, value, detail in rows:
            print(f"  {name:<{width}}  {value:>9}  {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
