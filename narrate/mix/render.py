"""Clips to one MP3: decode, trim, lay out on the timeline, stream, measure, level, encode.

Audio goes through pydub one clip at a time: each clip and each music file is an
``AudioSegment`` (decoded, trimmed with ``pydub.silence``, faded, leveled); the intro is a
music bed with the spoken title laid over it by ``overlay(..., gain_during_overlay=…)``.
Memory stays flat whatever the length: the episode's PCM is streamed to a temporary file
from the segments' raw data, which ffmpeg measures and then encodes. No step builds the
episode as one ``AudioSegment``, and no time is derived by summing clip lengths: every
sample is written at the frame its timeline millisecond names.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import tempfile
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import mutagen.mp3
from pydub import AudioSegment, silence
from pydub.exceptions import CouldntDecodeError

from narrate.errors import AudioError, PublishError
from narrate.ffmpeg import decode_pcm, run_ffmpeg
from narrate.fsutil import atomic_path
from narrate.mix import lame
from narrate.mix import pcm as pcmlib
from narrate.mix.loudness import (
    limiter_filter,
    measure_pcm,
    settle_gain,
    volume_filter,
)
from narrate.mix.pcm import PcmFormat
from narrate.mix.settings import MixSettings
from narrate.mix.timeline import Span, build_timeline, duration_step_ms, pauses, round_up
from narrate.model import Clip, Script, Synthesis, Timeline

log = logging.getLogger(__name__)

#: The label the MP3's LAME tag carries. ffmpeg writes its own name there ("Lavc…"), and
#: readers such as mutagen then ignore the tag's encoder delay and padding and report the
#: file 30 ms too long. The audio *is* LAME's (ffmpeg's libmp3lame), so we say so; ffmpeg
#: does not tell which LAME it links, and 3.100 is the current release.
LAME_TAG_LABEL = "LAME3.100"

_ZEROS = bytes(1 << 16)
_mp3: Any = mutagen.mp3  # partial type hints: used through Any


def _clip_label(clip: Clip, n: int, total: int, script: Script) -> str:
    section = script.sections[clip.section].title if clip.section < len(script.sections) else "?"
    return f"clip {n} of {total} (section {section!r}, {clip.path.name})"


def check_clips(script: Script, synthesis: Synthesis) -> tuple[Clip, ...]:
    """The clips, after checking there is exactly one per script chunk, in script order."""
    chunks = script.chunks
    clips = synthesis.clips
    if len(clips) != len(chunks):
        raise ValueError(f"synthesis has {len(clips)} clips for {len(chunks)} script chunks")
    for n, (clip, chunk) in enumerate(zip(clips, chunks, strict=True), 1):
        if clip.chunk != chunk:
            raise ValueError(f"clip {n} is for {clip.chunk.text!r}, the script says {chunk.text!r}")
    if not clips:
        raise AudioError("the script has nothing to say. Probable cause: an empty article.")
    return clips


def working_format(clips: Sequence[Clip], settings: MixSettings) -> PcmFormat:
    """The PCM format the episode is assembled in.

    When every clip is a 16-bit mono WAV at one rate (espeak-ng) and there is no music, that
    rate: clips are read directly, no ffmpeg per clip, and the one encode resamples. Otherwise
    ``settings.sample_rate``, each clip decoded (and resampled) by ffmpeg. Speech is mono;
    the episode is assembled in stereo only when stereo music is mixed in.
    """
    music = settings.intro is not None or settings.outro is not None
    channels = 2 if settings.stereo and music else 1
    if not music and all(c.audio_format == "wav" for c in clips):
        rates = {pcmlib.wav_rate(c.path) for c in clips}
        if len(rates) == 1:
            rate = rates.pop()
            if rate is not None and duration_step_ms(rate, settings.sample_rate) <= 40:
                return PcmFormat(rate=rate, channels=1)
    return PcmFormat(rate=settings.sample_rate, channels=channels)


def load_audio(
    path: Path, fmt: PcmFormat, *, wav: bool, what: str, max_ms: int | None = None
) -> AudioSegment:
    """One file decoded into an ``AudioSegment`` in ``fmt``; AudioError when missing,
    unreadable or empty.

    A WAV already in ``fmt`` (espeak-ng's clips) is read by pydub without starting a
    process; anything else is decoded and resampled by the bundled ffmpeg (one process, and
    its command and stderr kept when it fails).
    """
    if not path.is_file():
        raise AudioError(f"{what}: {path} does not exist. Probable cause: it was moved or "
                         "deleted during the build (a cleared clip cache); build again.")
    segment: AudioSegment | None = None
    if wav and max_ms is None:
        try:
            segment = AudioSegment.from_wav(str(path))
        except OSError as e:
            raise AudioError(f"{what}: {path} cannot be read ({e.strerror or e}).") from e
        except (CouldntDecodeError, EOFError, ValueError):
            segment = None  # ffmpeg says what is wrong with it below
        if segment is not None and not fmt.matches(segment):
            segment = None
    if segment is None:
        try:
            data = decode_pcm(path, rate=fmt.rate, channels=fmt.channels, max_ms=max_ms)
        except AudioError as e:
            raise AudioError(f"{what}: {e}", command=e.command, stderr=e.stderr) from e
        segment = fmt.segment(data)
    if pcmlib.frames(segment) == 0:
        raise AudioError(f"{what}: {path.name} decodes to no audio. Probable cause: a damaged "
                         "or empty file; delete it (or the clip cache) and build again.")
    return segment


def _load_clip(clip: Clip, fmt: PcmFormat, settings: MixSettings, what: str) -> AudioSegment:
    segment = load_audio(clip.path, fmt, wav=clip.audio_format == "wav", what=what)
    quiet = settings.trim_silence_db
    if pcmlib.is_silent(segment, quiet):
        log.warning("%s is silent below %s dBFS; kept as it is", what, quiet)
        return segment
    return pcmlib.trim(segment, silence_db=quiet, keep_ms=settings.trim_keep_ms)


def _load_music(
    path: Path, fmt: PcmFormat, settings: MixSettings, what: str, *, max_ms: int | None = None
) -> AudioSegment:
    """The music trimmed of leading and trailing silence and faded in and out."""
    music = load_audio(path, fmt, wav=False, what=what, max_ms=max_ms)
    music = pcmlib.trim(music, silence_db=settings.trim_silence_db, keep_ms=0)
    return music.fade_in(settings.music_fade_in_ms).fade_out(settings.music_fade_out_ms)


def level(music: AudioSegment, speech: AudioSegment, relative_db: float) -> AudioSegment:
    """``music`` with its loudness (RMS, dBFS) ``relative_db`` from ``speech``'s sound."""
    if pcmlib.is_silent(music, -90.0) or pcmlib.is_silent(speech, -90.0):
        return music
    return music.apply_gain(float(speech.dBFS) + relative_db - float(music.dBFS))


def intro_bed(
    music: AudioSegment,
    opening: Sequence[AudioSegment],
    gaps: Sequence[int],
    fmt: PcmFormat,
    settings: MixSettings,
) -> tuple[AudioSegment, list[Span]]:
    """The episode's opening: ``music`` alone for ``music_lead_ms``, ducked by
    ``music_duck_db`` under the spoken title (the clips of ``opening``, ``gaps[k]`` ms
    between clip ``k`` and ``k + 1``), back up for ``music_swell_ms``, faded out.

    The duck itself is pydub's ``overlay(..., gain_during_overlay=-music_duck_db)`` over
    the span of the voice; short pydub fades on either side turn the step into a ramp.
    Returns the bed (it starts at 0 ms of the episode) and where each opening clip is heard.
    """
    lead = min(settings.music_lead_ms, len(music))
    # The voice: the opening clips with their pauses, frame-exact, from the first sound.
    spans: list[Span] = []
    parts: list[bytes] = []
    first = fmt.frames(lead)
    position = first  # frames, in the episode
    for k, clip in enumerate(opening):
        start = lead if k == 0 else spans[-1].end_ms + gaps[k - 1]
        parts += [bytes((fmt.frames(start) - position) * fmt.frame_bytes), clip.raw_data]
        position = fmt.frames(start) + pcmlib.frames(clip)
        spans.append(Span(start, start + fmt.ms_ceil(pcmlib.frames(clip))))
    voice = fmt.segment(b"".join(parts))
    after = first + pcmlib.frames(voice)
    length = max(after, min(pcmlib.frames(music),
                            fmt.frames(spans[-1].end_ms + settings.music_swell_ms
                                       + settings.music_fade_out_ms)))
    bed = music.get_sample_slice(0, min(length, pcmlib.frames(music)))
    if pcmlib.frames(bed) < pcmlib.frames(music):  # cut short: fade out where it stops
        bed = bed.fade_out(settings.music_fade_out_ms)
    bed = bed + fmt.silence(length - pcmlib.frames(bed))
    duck = settings.music_duck_db
    ramp = settings.music_duck_ramp_ms
    head = bed.get_sample_slice(0, first)
    middle = bed.get_sample_slice(first, after)
    tail = bed.get_sample_slice(after, length)
    if duck > 0:
        if ramp and len(head):
            head = head.fade(to_gain=-duck, start=max(0, len(head) - ramp), end=len(head))
        middle = middle.overlay(voice, gain_during_overlay=-duck)
        if len(tail):
            tail = tail.fade(from_gain=-duck, to_gain=0, start=0, end=min(ramp, len(tail)))
    else:
        middle = middle.overlay(voice)
    return head + middle + tail, spans


def _workers() -> int:
    return max(2, min(4, os.cpu_count() or 2))


def iter_clips(
    clips: Sequence[Clip], fmt: PcmFormat, settings: MixSettings, script: Script
) -> Generator[AudioSegment, None, None]:
    """Each clip as a trimmed ``AudioSegment``, in order, decoded by a small thread pool
    (ffmpeg runs in its own process, so threads overlap). At most ``2 × workers`` clips are
    in flight, so memory does not grow with the episode."""
    workers = _workers()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="narrate-decode")
    pending: collections.deque[Future[AudioSegment]] = collections.deque()
    total = len(clips)
    try:
        upcoming = iter(enumerate(clips, 1))
        for n, clip in upcoming:
            what = _clip_label(clip, n, total, script)
            pending.append(pool.submit(_load_clip, clip, fmt, settings, what))
            if len(pending) >= 2 * workers:
                break
        for n, clip in upcoming:
            yield pending.popleft().result()
            what = _clip_label(clip, n, total, script)
            pending.append(pool.submit(_load_clip, clip, fmt, settings, what))
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _Stream:
    """Writes the episode's PCM to a file, placing each piece at the frame its timeline
    millisecond names and filling the gaps with silence."""

    def __init__(self, out: BinaryIO, fmt: PcmFormat) -> None:
        self.out = out
        self.fmt = fmt
        self.frames = 0

    def silence_until(self, ms: int) -> None:
        target = self.fmt.frames(ms)
        if target < self.frames:
            raise RuntimeError(f"timeline overlap at {ms} ms ({self.frames} > {target} frames)")
        todo = (target - self.frames) * self.fmt.frame_bytes
        while todo > 0:
            part = min(todo, len(_ZEROS))
            self.out.write(_ZEROS[:part])
            todo -= part
        self.frames = target

    def place(self, start_ms: int, segment: AudioSegment) -> Span:
        """Write ``segment``'s raw data from ``start_ms``; return where it is heard, in
        whole ms."""
        self.silence_until(start_ms)
        data = segment.raw_data
        self.out.write(data)
        n = len(data) // self.fmt.frame_bytes
        self.frames += n
        return Span(start_ms, start_ms + self.fmt.ms_ceil(n))


def _filters(fmt: PcmFormat, settings: MixSettings, gain: float) -> list[str]:
    """The encode's whole filter chain: resample, (up/down-mix), gain, limiter."""
    filters: list[str] = []
    if fmt.rate != settings.sample_rate:
        filters.append(f"aresample={settings.sample_rate}")
    if settings.channels == 2 and fmt.channels == 1:
        filters.append("pan=stereo|c0=c0|c1=c0")  # same level in both ears; no -3 dB pan law
    elif settings.channels == 1 and fmt.channels == 2:
        filters.append("pan=mono|c0=0.5*c0+0.5*c1")
    return [*filters, volume_filter(gain), limiter_filter(settings.true_peak_db)]


def _encoder_args(settings: MixSettings) -> list[str]:
    """Codec, rate, channels and bit rate, all explicit; a LAME/Info header; no tags."""
    return [
        "-c:a", "libmp3lame", "-b:a", settings.bitrate,
        "-ar", str(settings.sample_rate), "-ac", str(settings.channels),
        "-write_xing", "1", "-id3v2_version", "0", "-write_id3v1", "0",
        "-metadata:s:a:0", f"encoder={LAME_TAG_LABEL}",
    ]


def _encode(pcm: Path, fmt: PcmFormat, out: Path, settings: MixSettings, gain: float) -> None:
    """One ffmpeg run: the filter chain, then MP3 CBR."""
    run_ffmpeg(
        [
            "-f", "s16le", "-ar", str(fmt.rate), "-ac", str(fmt.channels), "-i", str(pcm),
            "-af", ",".join(_filters(fmt, settings, gain)),
            "-map_metadata", "-1",
            *_encoder_args(settings),
            "-f", "mp3", "-y", str(out),
        ],
        what=f"encoding {out.name}",
    )


def _settle(pcm: Path, fmt: PcmFormat, settings: MixSettings) -> float:
    """The encode's gain: the episode's loudness measured, brought to the target, with
    what the limiter and the encoder take away (see :mod:`narrate.mix.loudness`)."""
    dualmono = settings.channels == 2 and fmt.channels == 1
    measured = measure_pcm(pcm, fmt, dualmono=dualmono)
    gain = settle_gain(
        measured,
        target_lufs=settings.target_lufs,
        true_peak_db=settings.true_peak_db,
        measure=lambda g: measure_pcm(pcm, fmt, _filters(fmt, settings, g)).integrated_lufs,
    )
    log.info("loudness %.1f LUFS, gain %+.2f dB to reach %.1f LUFS",
             measured.integrated_lufs, gain, settings.target_lufs)
    return gain


def _check_encoded(path: Path, duration_ms: int) -> None:
    """The MP3 exists, has audio, and readers see the timeline's duration."""
    try:
        length = float(_mp3.MP3(path).info.length)
    except (_mp3.HeaderNotFoundError, OSError) as e:
        raise AudioError(f"the encoded episode {path.name} is not a readable MP3 ({e})") from e
    if abs(length * 1000 - duration_ms) > 1:
        log.warning("encoded duration %.3f s differs from the timeline's %d ms",
                    length, duration_ms)


#: A pause inside a clip, for its caption cues: this long at least, this far below the
#: clip's average level (a comma's pause in Kokoro's or Google's voice, not a stop consonant).
PAUSE_MIN_MS = 120
PAUSE_BELOW_DB = 20.0


def pauses_inside(segment: AudioSegment) -> tuple[int, ...]:
    """The middle of each pause inside ``segment`` (a trimmed clip), in ms from its start."""
    found = silence.detect_silence(segment, min_silence_len=PAUSE_MIN_MS,
                                   silence_thresh=segment.dBFS - PAUSE_BELOW_DB, seek_step=10)
    return tuple((a + b) // 2 for a, b in found if a > 0 and b < len(segment))


def _opening(script: Script) -> int:
    """How many chunks the intro's bed carries: the title (and date) that open the episode."""
    chunks = script.chunks
    n = 0
    while n < len(chunks) and chunks[n].kind == "title":
        n += 1
    return max(1, n)


def _assemble(
    script: Script,
    clips: Sequence[Clip],
    fmt: PcmFormat,
    settings: MixSettings,
    pcm_path: Path,
) -> tuple[list[Span], int]:
    """Stream the episode's PCM to ``pcm_path``: where each clip is heard, and the
    duration in ms."""
    gaps = pauses(script, settings)
    spans: list[Span] = []
    with pcm_path.open("wb") as out:
        stream = _Stream(out, fmt)
        with contextlib.closing(iter_clips(clips, fmt, settings, script)) as loaded:
            k = 0
            earliest = settings.lead_in_ms
            last: AudioSegment | None = None
            if settings.intro is not None:
                opening = [next(loaded) for _ in range(_opening(script))]
                k = len(opening)
                speech = opening[0]
                longest = (settings.music_lead_ms + sum(len(c) for c in opening)
                           + sum(gaps[1:k]) + settings.music_swell_ms
                           + settings.music_fade_out_ms + settings.music_fade_in_ms + 1000)
                music = _load_music(settings.intro, fmt, settings,
                                    f"intro {settings.intro.name}", max_ms=longest)
                bed, spans = intro_bed(level(music, speech, settings.music_level_db),
                                       opening, gaps[1:k], fmt, settings)
                earliest = stream.place(0, bed).end_ms
                last = opening[-1]
            for data in loaded:
                start = earliest if k == 0 else max(earliest, spans[-1].end_ms + gaps[k])
                span = stream.place(start, data)
                if clips[k].chunk.captions:  # cued in pieces: where the voice pauses
                    span = replace(span, pauses=pauses_inside(data))
                spans.append(span)
                k += 1
                last = data
        end = spans[-1].end_ms
        if settings.outro is not None:
            outro = _load_music(settings.outro, fmt, settings, f"outro {settings.outro.name}")
            if last is not None:
                outro = level(outro, last, settings.music_level_db)
            end = stream.place(end + settings.music_gap_ms, outro).end_ms
        step = duration_step_ms(fmt.rate, settings.sample_rate)
        duration = round_up(end + settings.tail_ms, step)
        stream.silence_until(duration)
        return spans, duration


def render_episode(
    script: Script,
    synthesis: Synthesis,
    out_mp3: Path,
    settings: MixSettings,
    *,
    work_dir: Path | None = None,
) -> Timeline:
    """Render ``synthesis`` (one clip per chunk of ``script``) into ``out_mp3``.

    Returns the timeline the file was built from: chapters (one per section with something
    to say) and cues (one per chunk) in whole milliseconds; ``duration_ms`` is the encoded
    file's exact duration. The MP3 is written to a temporary file beside ``out_mp3`` and
    renamed into place; on any exception (KeyboardInterrupt included) no file is left at
    ``out_mp3`` or beside it, and the PCM scratch file (about 160 MB an hour; in ``work_dir`` when
    given, else the system temporary folder) is removed. Tags are not written here: see
    :func:`narrate.mix.write_tags`.
    """
    settings.validate()
    if not out_mp3.parent.is_dir():
        raise PublishError(f"{out_mp3.parent} is not a folder. Probable cause: the output "
                           "folder was not created or was removed.")
    clips = check_clips(script, synthesis)
    fmt = working_format(clips, settings)
    with tempfile.TemporaryDirectory(prefix="narrate-mix-", dir=work_dir) as tmp:
        pcm_path = Path(tmp) / "episode.pcm"
        try:
            spans, duration = _assemble(script, clips, fmt, settings, pcm_path)
        except OSError as e:
            raise AudioError(f"writing the episode's audio to {pcm_path.parent} failed "
                             f"({e.strerror or e}). Probable cause: a full disk; set TMPDIR "
                             "to a folder with more room.") from e
        gain = _settle(pcm_path, fmt, settings)
        try:
            with atomic_path(out_mp3, suffix=".mp3") as tmp_mp3:
                _encode(pcm_path, fmt, tmp_mp3, settings, gain)
                lame.set_exact_length(tmp_mp3, duration * settings.sample_rate // 1000)
                _check_encoded(tmp_mp3, duration)
        except OSError as e:
            raise PublishError(f"cannot write {out_mp3} ({e.strerror or e}).") from e
    return build_timeline(script, spans, duration_ms=duration, settings=settings)
