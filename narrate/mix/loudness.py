"""Loudness: measure integrated loudness (EBU R128) of the assembled episode, then bring it
to the target with one constant gain and a peak limiter.

ffmpeg's ``loudnorm`` would do both in one pass, but it resamples to 192 kHz and adjusts gain
dynamically. Here:

1. ffmpeg's ``ebur128`` filter reads the episode's PCM once it is written: integrated
   loudness and sample peak (:func:`measure_pcm`). It runs after the assembly rather than
   beside it: fed through a pipe it would overlap the assembly on an idle core, but every
   byte copied through the pipe costs CPU, and a batch has no idle core;
2. the gain is ``target - measured``, plus what the MP3 encoder is known to take away
   (:data:`CODEC_LOSS_DB`: LAME drops detail K-weighting counts);
3. only when the limiter works hard (the gain pushes peaks far over the ceiling: clicks,
   shouting) is the whole limited episode measured and the gain corrected until it lands
   (:func:`settle_gain`).

The tests measure the encoded episodes as a player decodes them (:func:`measure_file`):
speech from either engine, mono and stereo, quiet and peaky, lands within 0.5 LU.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from narrate.errors import AudioError
from narrate.ffmpeg import ffmpeg_log
from narrate.mix.pcm import PcmFormat

log = logging.getLogger(__name__)

#: ebur128 reports this (its absolute gate) when nothing in the audio is loud enough to count.
SILENT_LUFS = -70.0
#: Never raise quiet audio by more than this: beyond it we would be amplifying noise.
MAX_GAIN_DB = 30.0
#: The limiter works on sample peaks; MP3 encoding and reconstruction between samples add
#: up to about half a decibel, so it is set this far below the true-peak ceiling.
LIMITER_MARGIN_DB = 1.0
#: Peaks this far over the limiter's threshold mean it works hard: measure the whole episode.
HEAVY_LIMITING_DB = 4.0
#: The whole-episode correction stops this close to the target…
TOLERANCE_LU = 0.3
#: …or after this many measurements.
MAX_PASSES = 3
#: What MP3 encoding takes from speech's integrated loudness, added to the gain: 0.5 LU,
#: measured on espeak-ng's voice and on Google's (decoded from its 24 kHz MP3) at 64, 96 and
#: 128 kbit/s alike.
CODEC_LOSS_DB = 0.5

_SUMMARY = re.compile(r"Summary:.*?Integrated loudness:\s*I:\s*(-?[\d.]+|-?inf|nan)\s*LUFS", re.S)


def parse_integrated(stderr: str) -> float | None:
    """The integrated loudness in ebur128's (first) summary, or None when there is none."""
    match = _SUMMARY.search(stderr)
    if match is None:
        return None
    try:
        return float(match.group(1))
    except ValueError:  # pragma: no cover - the regex only lets numbers through
        return None


def parse_peak(stderr: str, kind: str) -> float | None:
    """The ``Sample`` or ``True`` peak (dBFS) in ebur128's summary."""
    match = re.search(kind + r" peak:\s*Peak:\s*(-?[\d.]+|-?inf)\s*dBFS", stderr)
    return float(match.group(1)) if match else None


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    sample_peak_db: float | None = None


def gain_db(measured_lufs: float, target_lufs: float) -> float:
    """The constant gain that brings ``measured_lufs`` to ``target_lufs``: 0 for silence,
    clamped so near-silent audio is not blown up into noise."""
    if measured_lufs <= SILENT_LUFS:
        return 0.0
    return clamp_gain(target_lufs - measured_lufs)


def clamp_gain(gain: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain))


def volume_filter(gain: float) -> str:
    return f"volume={gain:.2f}dB:precision=double"


def limiter_filter(true_peak_db: float) -> str:
    """A peak limiter below ``true_peak_db``. ``level=0`` stops ``alimiter`` normalizing back
    to 0 dBFS; ``latency=1`` compensates its look-ahead so no sample moves (the timeline
    stays exact)."""
    limit = max(0.0625, min(1.0, 10 ** ((true_peak_db - LIMITER_MARGIN_DB) / 20)))
    return f"alimiter=limit={limit:.5f}:attack=5:release=80:level=0:latency=1"


def heavy_limiting(first: Loudness, gain: float, true_peak_db: float) -> bool:
    """True when ``gain`` pushes the loudest peak far over the limiter's threshold."""
    peak = first.sample_peak_db
    threshold = true_peak_db - LIMITER_MARGIN_DB
    return peak is not None and peak + gain > threshold + HEAVY_LIMITING_DB


def _ebur128(
    inputs: list[str], filters: Sequence[str], spec: str, what: str
) -> tuple[float, str]:
    """Run ``inputs`` through ``filters`` and the ``ebur128`` filter ``spec``: the integrated
    loudness it printed, and the whole log (for the peaks)."""
    command, log_text = ffmpeg_log(
        [*inputs, "-af", ",".join([*filters, spec]), "-f", "null", "-"], what=what
    )
    integrated = parse_integrated(log_text)
    if integrated is None:
        raise AudioError(
            f"{what}: ffmpeg's ebur128 printed no summary. Probable cause: an ffmpeg build "
            "whose log format differs.",
            command=command,
            stderr=log_text,
        )
    return integrated, log_text


def measure_pcm(
    pcm: Path, fmt: PcmFormat, filters: Sequence[str] = (), *, dualmono: bool = False
) -> Loudness:
    """Integrated loudness and sample peak of a raw PCM file after ``filters``.

    ``dualmono`` counts a mono signal as the two identical channels it will be played as.
    """
    spec = "ebur128=framelog=quiet:peak=sample" + (":dualmono=1" if dualmono else "")
    inputs = ["-f", "s16le", "-ar", str(fmt.rate), "-ac", str(fmt.channels), "-i", str(pcm)]
    integrated, log_text = _ebur128(inputs, filters, spec, "measuring loudness")
    return Loudness(integrated, parse_peak(log_text, "Sample"))


def settle_gain(
    first: Loudness,
    *,
    target_lufs: float,
    true_peak_db: float,
    measure: Callable[[float], float],
) -> float:
    """The gain for the encode (see the module docstring): the measured distance to
    the target, corrected by whole-episode measurements when the limiter works hard, plus
    :data:`CODEC_LOSS_DB`. ``measure(gain)`` is the loudness of the whole episode after
    gain and limiter.
    """
    gain = gain_db(first.integrated_lufs, target_lufs)
    if first.integrated_lufs <= SILENT_LUFS:
        return gain
    if heavy_limiting(first, gain, true_peak_db):
        # Secant steps: the limiter gives back only part of each extra decibel, and how
        # much is learnt from the last two measurements (assumed 1:1 before that).
        previous: tuple[float, float] | None = None
        for _ in range(MAX_PASSES):
            loudness = measure(gain)
            error = target_lufs - loudness
            if abs(error) <= TOLERANCE_LU:
                break
            slope = 1.0
            if previous is not None and gain != previous[0]:
                slope = max(0.1, min(1.0, (loudness - previous[1]) / (gain - previous[0])))
            previous = (gain, loudness)
            gain = clamp_gain(gain + error / slope)
    return clamp_gain(gain + CODEC_LOSS_DB)


def measure_file(path: Path, *, true_peak: bool = True) -> tuple[float, float | None]:
    """Integrated loudness (LUFS) and, if asked, true peak (dBTP) of any audio file, as a
    listener's player decodes it (tests and the benchmark check the encoded episode)."""
    spec = "ebur128=framelog=quiet" + (":peak=true" if true_peak else "")
    integrated, log_text = _ebur128(["-i", str(path)], (), spec, f"measuring {path.name}")
    return integrated, parse_peak(log_text, "True") if true_peak else None
