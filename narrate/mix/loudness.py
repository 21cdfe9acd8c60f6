"""Loudness: measure integrated loudness (EBU R128) while the episode is written, then bring it
to the target with one constant gain and a peak limiter.

ffmpeg's ``loudnorm`` would do both in one pass, but it resamples to 192 kHz and adjusts gain
dynamically. Here:

1. the ``ebur128`` filter reads a copy of the PCM as it is streamed (on the other core):
   integrated loudness and sample peak (:class:`LoudnessMeter`);
2. the gain is ``target - measured``. Two things then take loudness away: the limiter (when
   the gain pushes peaks over the ceiling) and the MP3 encoder (LAME drops high-frequency
   detail K-weighting counts: about half a unit on speech at 96 kbit/s). Both are measured
   on a 20-second excerpt from the middle (:func:`probe`): levelled, limited, encoded and
   decoded again; the gain is corrected by what was lost;
3. only when the limiter works hard (peaks far over the ceiling: clicks, shouting) is the
   whole limited episode measured and the gain corrected until it lands
   (:func:`settle_gain`), since an excerpt says little about scattered peaks.

The encode applies ``volume`` (speech dynamics untouched) and ``alimiter``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from narrate.errors import AudioError
from narrate.mix.ffmpeg import failure, ffmpeg_exe
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
#: Seconds of the episode the probe levels, limits, encodes and measures…
PROBE_S = 20.0
#: …and the largest correction it is believed for (more means the excerpt is unusual).
MAX_PROBE_CORRECTION_LU = 2.0

_SUMMARY = re.compile(r"Summary:.*?Integrated loudness:\s*I:\s*(-?[\d.]+|-?inf|nan)\s*LUFS", re.S)
_HEAD = ("-nostdin", "-hide_banner", "-nostats", "-loglevel", "info")


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


def _summaries(stderr: str) -> dict[str, float]:
    """Integrated loudness per ebur128 instance, by the instance's name (``Parsed_ebur128_3``)."""
    found: dict[str, float] = {}
    for part in re.split(r"(?=\[Parsed_ebur128_\d+ @ [^\]]*\] Summary:)", stderr):
        name = re.match(r"\[(Parsed_ebur128_\d+) @", part)
        value = parse_integrated(part)
        if name and value is not None:
            found[name.group(1)] = value
    return found


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


class LoudnessMeter:
    """An ffmpeg ``ebur128`` process fed the episode's PCM through a pipe.

    Use as a context manager; :meth:`write` the PCM, then :meth:`finish` for the integrated
    loudness and the sample peak. Leaving the block early kills the process.
    """

    def __init__(self, fmt: PcmFormat, *, dualmono: bool = False) -> None:
        spec = "ebur128=framelog=quiet:peak=sample" + (":dualmono=1" if dualmono else "")
        self.command = [
            ffmpeg_exe(), *_HEAD,
            "-f", "s16le", "-ar", str(fmt.rate), "-ac", str(fmt.channels), "-i", "pipe:0",
            "-af", spec, "-f", "null", "-",
        ]
        self._stderr: IO[bytes] | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LoudnessMeter:
        self._stderr = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
            )
        except OSError as e:
            self._stderr.close()
            raise AudioError(
                f"measuring loudness: cannot run ffmpeg ({e})", command=self.command
            ) from e
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc = self._proc
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdin is not None and not proc.stdin.closed:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        if self._stderr is not None:
            self._stderr.close()

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def write(self, pcm: bytes) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise RuntimeError("LoudnessMeter used outside its with-block")
        try:
            proc.stdin.write(pcm)
        except OSError as e:  # BrokenPipeError: ffmpeg stopped reading
            code = proc.wait()
            raise failure("measuring loudness", self.command, code, self._stderr_text()) from e

    def finish(self) -> Loudness:
        """Close the input, wait for ffmpeg, return what it measured."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise RuntimeError("LoudnessMeter used outside its with-block")
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        code = proc.wait()
        stderr = self._stderr_text()
        if code != 0:
            raise failure("measuring loudness", self.command, code, stderr)
        value = parse_integrated(stderr)
        if value is None:
            raise AudioError(
                "measuring loudness: ffmpeg's ebur128 printed no summary. Probable cause: an "
                "ffmpeg build whose log format differs.",
                command=self.command,
                stderr=stderr,
            )
        return Loudness(value, parse_peak(stderr, "Sample"))


def _pcm_input(pcm: Path, fmt: PcmFormat) -> list[str]:
    return ["-f", "s16le", "-ar", str(fmt.rate), "-ac", str(fmt.channels), "-i", str(pcm)]


def measure_pcm(pcm: Path, fmt: PcmFormat, filters: list[str]) -> float:
    """Integrated loudness (LUFS) of a raw PCM file after ``filters``."""
    command = [
        ffmpeg_exe(), *_HEAD, *_pcm_input(pcm, fmt),
        "-af", ",".join([*filters, "ebur128=framelog=quiet"]), "-f", "null", "-",
    ]
    done = subprocess.run(command, capture_output=True, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise failure("checking loudness after the limiter", command, done.returncode, stderr)
    value = parse_integrated(stderr)
    if value is None:
        raise AudioError("checking loudness: no ebur128 summary", command=command, stderr=stderr)
    return value


@dataclass(frozen=True)
class Probe:
    """Loudness of one excerpt at three points: levelled, limited, encoded and decoded."""

    levelled: float
    limited: float
    encoded: float


def probe(
    pcm: Path,
    fmt: PcmFormat,
    *,
    level: list[str],
    limiter: str,
    encode_args: list[str],
    seconds: float = PROBE_S,
) -> Probe:
    """Measure :data:`PROBE_S` seconds from the middle of the episode at three points.

    One ffmpeg levels (``level`` filters), measures, limits, measures, encodes to a pipe; a
    second decodes the MP3 from the pipe and measures it.
    """
    total = pcm.stat().st_size / (fmt.frame_bytes * fmt.rate)
    start = max(0.0, total / 2 - seconds / 2)
    graph = (
        f"[0:a]{','.join(level)},asplit=2[a][m1];[m1]ebur128=framelog=quiet[o1];"
        f"[a]{limiter},asplit=2[enc][m2];[m2]ebur128=framelog=quiet[o2]"
    )
    encode = [
        ffmpeg_exe(), *_HEAD, "-ss", f"{start:.3f}", "-t", f"{seconds:.3f}",
        *_pcm_input(pcm, fmt), "-filter_complex", graph,
        "-map", "[enc]", *encode_args, "-f", "mp3", "pipe:1",
        "-map", "[o1]", "-f", "null", "-",
        "-map", "[o2]", "-f", "null", "-",
    ]
    decode = [
        ffmpeg_exe(), *_HEAD, "-f", "mp3", "-i", "pipe:0",
        "-af", "ebur128=framelog=quiet", "-f", "null", "-",
    ]
    with tempfile.TemporaryFile() as enc_err, tempfile.TemporaryFile() as dec_err:
        enc = subprocess.Popen(encode, stdout=subprocess.PIPE, stderr=enc_err)
        try:
            dec = subprocess.Popen(
                decode, stdin=enc.stdout, stdout=subprocess.DEVNULL, stderr=dec_err
            )
            if enc.stdout is not None:
                enc.stdout.close()  # the decoder holds the pipe now
            dec_code = dec.wait()
            enc_code = enc.wait()
        finally:
            if enc.poll() is None:
                enc.kill()
                enc.wait()
        texts = []
        for handle in (enc_err, dec_err):
            handle.seek(0)
            texts.append(handle.read().decode("utf-8", "replace"))
    if enc_code != 0:
        raise failure("probing loudness through the encoder", encode, enc_code, texts[0])
    if dec_code != 0:
        raise failure("probing loudness through the encoder", decode, dec_code, texts[1])
    found = sorted(_summaries(texts[0]).items(), key=lambda kv: int(kv[0].rsplit("_", 1)[1]))
    encoded = parse_integrated(texts[1])
    if len(found) != 2 or encoded is None:
        raise AudioError("probing loudness: ffmpeg printed no ebur128 summary",
                         command=encode, stderr=texts[0] + texts[1])
    return Probe(levelled=found[0][1], limited=found[1][1], encoded=encoded)


def settle_gain(
    first: Loudness,
    *,
    target_lufs: float,
    true_peak_db: float,
    measure: Callable[[float], float],
    excerpt: Callable[[float], Probe],
) -> float:
    """The gain for the encode (see the module docstring).

    ``measure(gain)`` is the loudness of the whole episode after gain and limiter;
    ``excerpt(gain)`` probes an excerpt through gain, limiter and encoder.
    """
    gain = gain_db(first.integrated_lufs, target_lufs)
    if first.integrated_lufs <= SILENT_LUFS:
        return gain
    heavy = heavy_limiting(first, gain, true_peak_db)
    if heavy:
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
    probed = excerpt(gain)
    if min(probed.levelled, probed.limited, probed.encoded) <= SILENT_LUFS:
        return gain  # the middle of the episode is silent: nothing to learn from it
    # After heavy limiting the whole-episode passes already paid for the limiter.
    lost = (probed.limited if heavy else probed.levelled) - probed.encoded
    lost = max(-MAX_PROBE_CORRECTION_LU, min(MAX_PROBE_CORRECTION_LU, lost))
    log.debug("probe: levelled %.1f, limited %.1f, encoded %.1f LUFS; +%.2f dB",
              probed.levelled, probed.limited, probed.encoded, lost)
    return clamp_gain(gain + lost)


def measure_file(path: Path, *, true_peak: bool = True) -> tuple[float, float | None]:
    """Integrated loudness (LUFS) and, if asked, true peak (dBTP) of any audio file, as a
    listener's player decodes it (tests and the benchmark check the encoded episode)."""
    spec = "ebur128=framelog=quiet" + (":peak=true" if true_peak else "")
    command = [ffmpeg_exe(), *_HEAD, "-i", str(path), "-af", spec, "-f", "null", "-"]
    done = subprocess.run(command, capture_output=True, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise failure(f"measuring {path.name}", command, done.returncode, stderr)
    integrated = parse_integrated(stderr)
    if integrated is None:
        raise AudioError(
            f"measuring {path.name}: no ebur128 summary", command=command, stderr=stderr
        )
    return integrated, parse_peak(stderr, "True") if true_peak else None
