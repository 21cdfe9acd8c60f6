"""A starter podcast artwork drawn from the podcast's title: square, 1400 px, JPEG.

``narrate init`` writes one beside the starter ``narrate.toml`` so that the settings work as
written (Apple Podcasts wants a square JPEG or PNG of 1400 to 3000 px in RGB; see
:mod:`narrate.publish.artwork`). The bundled ffmpeg draws it: its ``drawtext`` filter shapes
text with HarfBuzz, so Devanagari conjuncts, the pre-base ``ि`` and the reph come out right,
in the bundled Lohit Devanagari font (SIL OFL 1.1; its hash is checked before use).

The title is wrapped at spaces into at most :data:`MAX_LINES` lines and sized to fit. The
text goes to ffmpeg in files (``textfile``, with ``expansion=none``), never through the
filter graph, so no character of a title is ever read as filter syntax.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from narrate.errors import AudioError, PublishError
from narrate.fsutil import atomic_path

SIZE = 1400
FONT = "Lohit-Devanagari.ttf"
FONT_SHA256 = "245eef612b94246c6ab9640d07ce21d3d886fabeba6d4ba5beaa859ba58bc7d0"
BACKGROUND = "0x0a58ca"
FOREGROUND = "white"
SUBTITLE_COLOUR = "0xdde8ff"
#: The line under the title.
SUBTITLE = "पॉडकास्ट"
MAX_LINES = 4
#: Width of the drawn text, as a share of the picture.
_TEXT_WIDTH = 0.8
#: About how wide a Devanagari letter of Lohit is, in ems (measured on news headlines).
_EM_PER_LETTER = 0.55


@cache
def font_bytes() -> bytes:
    """The bundled font, after checking it is the file this module was written for."""
    try:
        data = resources.files("narrate.publish").joinpath("assets", FONT).read_bytes()
    except OSError as e:  # pragma: no cover - a broken installation
        raise PublishError(f"the artwork font {FONT} is missing: {e}") from e
    if hashlib.sha256(data).hexdigest() != FONT_SHA256:
        raise PublishError(f"the artwork font {FONT} is not the expected file (hash differs)")
    return data


def letters(text: str) -> int:
    """How many spacing letters ``text`` has (vowel signs, viramas and nuktas take no room
    of their own)."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Mc", "Cf"))


def wrap(title: str, max_lines: int = MAX_LINES, width: int = 14) -> list[str]:
    """``title`` in lines of at most ``width`` letters (more when it needs more than
    ``max_lines`` lines), broken at spaces only: never inside a word or a grapheme cluster."""
    words = title.split()
    if not words:
        return []
    width = max(width, -(-letters(" ".join(words)) // max_lines))
    lines: list[str] = []
    for word in words:
        if lines and letters(lines[-1]) + 1 + letters(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:  # very long words: the rest goes on the last line
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return lines


def font_size(lines: list[str], size: int = SIZE) -> int:
    longest = max((letters(line) for line in lines), default=1)
    fitted = int(size * _TEXT_WIDTH / (max(longest, 1) * _EM_PER_LETTER))
    return max(48, min(fitted, size // 7))


def draw_cover(title: str, path: Path, *, size: int = SIZE) -> Path:
    """Draw the artwork for ``title`` into ``path`` (JPEG, ``size`` px square), atomically."""
    from narrate.ffmpeg import QUIET, ffmpeg_exe, last_line

    lines = wrap(unicodedata.normalize("NFC", title)) or [SUBTITLE]
    big = font_size(lines, size)
    line_height = int(big * 1.45)
    small = max(32, size // 18)
    block = line_height * len(lines) + small * 2
    top = (size - block) // 2
    with tempfile.TemporaryDirectory(prefix="narrate-cover-") as tmp:
        work = Path(tmp)
        (work / "font.ttf").write_bytes(font_bytes())
        filters = []
        for i, line in enumerate([*lines, SUBTITLE]):
            (work / f"line{i}.txt").write_text(line, encoding="utf-8")
            last = i == len(lines)
            y = top + len(lines) * line_height + small // 2 if last else top + i * line_height
            filters.append(
                f"drawtext=fontfile=font.ttf:textfile=line{i}.txt:expansion=none:"
                f"fontsize={small if last else big}:"
                f"fontcolor={SUBTITLE_COLOUR if last else FOREGROUND}:x=(w-text_w)/2:y={y}"
            )
        try:
            with atomic_path(path, suffix=".jpg") as out:
                command = [
                    ffmpeg_exe(), *QUIET, "-y", "-f", "lavfi",
                    "-i", f"color=c={BACKGROUND}:s={size}x{size}:d=1",
                    "-vf", ",".join(filters), "-frames:v", "1", "-update", "1",
                    "-q:v", "2", "-pix_fmt", "yuvj444p", str(out.resolve()),
                ]
                done = subprocess.run(command, cwd=work, capture_output=True, check=False)
                if done.returncode != 0:
                    stderr = done.stderr.decode("utf-8", "replace")
                    raise PublishError(f"cannot draw the artwork {path}: ffmpeg exited with "
                                       f"code {done.returncode}: {last_line(stderr)}")
        except (AudioError, OSError) as e:
            raise PublishError(f"cannot draw the artwork {path}: {e}") from e
    return path
