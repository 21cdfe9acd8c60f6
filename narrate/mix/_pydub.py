"""pydub, told where narrate's ffmpeg is before it looks for one.

pydub looks for ``ffmpeg`` (or ``avconv``) on ``PATH`` when it is first imported, and on a
machine without a system ffmpeg it warns with two lines pointing into the virtualenv
("Couldn't find ffmpeg or avconv - defaulting to ffmpeg, but may not work"). narrate's
ffmpeg is the one imageio-ffmpeg ships (:func:`narrate.ffmpeg.ffmpeg_exe`): that warning is
not true of narrate, so it is not shown, and pydub's converter is set to that ffmpeg, so
whatever pydub ever runs is narrate's ffmpeg. :mod:`narrate.mix` imports this module before
anything that imports pydub.
"""

from __future__ import annotations

import contextlib
import warnings

from narrate.errors import AudioError
from narrate.ffmpeg import ffmpeg_exe

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Couldn't find ffmpeg or avconv",
                            category=RuntimeWarning)
    from pydub import AudioSegment


def use_narrates_ffmpeg() -> None:
    """Point pydub at narrate's ffmpeg (found when first asked; an ffmpeg that cannot be
    found is said by the first run of narrate's own, with its probable cause)."""
    with contextlib.suppress(AudioError):
        AudioSegment.converter = ffmpeg_exe()


use_narrates_ffmpeg()
