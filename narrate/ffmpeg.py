"""narrate's ffmpeg (the one imageio-ffmpeg bundles): finding it, running it, decoding with
it. The mixer encodes with it, synthesis decodes Google's MP3 answers with it, and
``narrate init`` draws the artwork with it.

Every failure becomes an :class:`AudioError` that keeps the command and ffmpeg's stderr.
"""

from __future__ import annotations

import functools
import logging
import subprocess
import tempfile
from pathlib import Path

from narrate.errors import AudioError

log = logging.getLogger(__name__)

#: Options every call starts with: never read the terminal, print only errors.
QUIET = ("-nostdin", "-hide_banner", "-nostats", "-loglevel", "error")


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary imageio-ffmpeg ships (or ``IMAGEIO_FFMPEG_EXE``)."""
    try:
        import imageio_ffmpeg
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise AudioError(
            "imageio-ffmpeg is not installed. Probable cause: run script/setup."
        ) from e
    try:
        exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:
        raise AudioError(
            f"ffmpeg was not found ({e}). Probable cause: imageio-ffmpeg has no binary for "
            "this platform; set IMAGEIO_FFMPEG_EXE to an ffmpeg."
        ) from e
    return exe


def last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


#: Options of a run whose log is read: ffmpeg's filters (ebur128) print their results there.
LOGGED = ("-nostdin", "-hide_banner", "-nostats", "-loglevel", "info")


def _run(
    command: list[str], what: str, data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` (``data`` on its stdin); an AudioError naming ``what`` and ffmpeg's
    last word if it fails."""
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as e:
        raise AudioError(f"{what}: cannot run ffmpeg ({e})", command=command) from e
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        raise AudioError(
            f"{what}: ffmpeg exited with code {done.returncode}: {last_line(stderr)}",
            command=command,
            stderr=stderr,
        )
    return done


def run_ffmpeg(args: list[str], *, what: str, data: bytes | None = None) -> bytes:
    """Run ffmpeg with ``args`` (after the quiet options, ``data`` on its stdin); return its
    stdout."""
    return _run([ffmpeg_exe(), *QUIET, *args], what, data).stdout


def ffmpeg_log(args: list[str], *, what: str) -> tuple[list[str], str]:
    """Run ffmpeg with ``args`` (after :data:`LOGGED`); return the command and its log."""
    command = [ffmpeg_exe(), *LOGGED, *args]
    return command, _run(command, what).stderr.decode("utf-8", "replace")


def decode_pcm(path: Path, *, rate: int, channels: int, max_ms: int | None = None) -> bytes:
    """Decode any audio file to signed 16-bit little-endian PCM at ``rate`` and ``channels``
    (only its first ``max_ms`` when given: a long song under a short title)."""
    limit = ["-t", f"{max_ms / 1000:.3f}"] if max_ms is not None else []
    return run_ffmpeg(
        ["-i", str(path), *limit, "-vn", "-map", "0:a:0", "-f", "s16le", "-acodec", "pcm_s16le",
         "-ar", str(rate), "-ac", str(channels), "pipe:1"],
        what=f"decoding {path.name}",
    )


def mp3s_to_wavs(clips: list[tuple[Path, int]], *, tmp_dir: Path | None = None) -> list[bytes]:
    """Engines' MP3 files decoded to 16-bit mono PCM WAVs, each at its given rate (its own:
    nothing is resampled), all in one ffmpeg run. The WAVs are written in a temporary
    folder in ``tmp_dir`` (pass one a later run sweeps: a kill leaves them there)."""
    if not clips:
        return []
    inputs: list[str] = []
    outputs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="narrate-decode-", dir=tmp_dir) as tmp:
        names = [Path(tmp) / f"{n}.wav" for n in range(len(clips))]
        for n, ((path, rate), name) in enumerate(zip(clips, names, strict=True)):
            inputs += ["-f", "mp3", "-i", str(path)]
            outputs += ["-map", f"{n}:a:0", "-c:a", "pcm_s16le", "-ar", str(rate), "-ac", "1",
                        "-f", "wav", "-bitexact", str(name)]
        run_ffmpeg([*inputs, *outputs], what=f"decoding {len(clips)} clips")
        return [name.read_bytes() for name in names]
