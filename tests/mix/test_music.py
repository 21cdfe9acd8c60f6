"""The intro as a podcast bed: music alone, ducked under the spoken title by the configured
amount, back up, faded out; the outro after the last words. Measured on the encoded file
with ffmpeg's ebur128 (the music band isolated by band-pass filters), never with the code
under test."""

from __future__ import annotations

import math
import re
import subprocess
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from narrate.mix import MixSettings, render_episode
from narrate.mix.loudness import measure_file
from narrate.model import Synthesis, Timeline

from .conftest import FFMPEG, decoded_samples, make_episode, write_wav

MUSIC_HZ = 2000
#: Two band-pass passes around the music's tone: the speech (a 150-450 Hz voice with no
#: noise) leaves nothing measurable there.
MUSIC_BAND = f"bandpass=f={MUSIC_HZ}:width_type=h:width=200," * 2


def tone(rate: int, ms: int, freq: float, level: float, *, wobble: bool = False) -> bytes:
    """A steady sine (the music), or a voice-like one with a syllable-rate envelope."""
    out = array("h")
    for i in range(rate * ms // 1000):
        t = i / rate
        env = 0.55 + 0.45 * math.sin(2 * math.pi * 4 * t) if wobble else 1.0
        x = math.sin(2 * math.pi * freq * t)
        if wobble:
            x = 0.8 * x + 0.2 * math.sin(2 * math.pi * 3 * freq * t)
        out.append(int(32767 * level * env * x))
    return out.tobytes()


def voice(rate: int, ms: int) -> bytes:
    pad = bytes(2 * rate // 10)
    return pad + tone(rate, ms, 150, 0.3, wobble=True) + pad


def band_lufs(mp3: Path, start_ms: int, end_ms: int, band: str = MUSIC_BAND) -> float:
    """Integrated loudness (ebur128) of ``[start_ms, end_ms)`` of the file after ``band``."""
    done = subprocess.run(
        [FFMPEG, "-nostdin", "-hide_banner", "-i", str(mp3), "-af",
         f"atrim=start={start_ms / 1000}:end={end_ms / 1000},{band}ebur128=framelog=quiet",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    match = re.search(r"Integrated loudness:\s*I:\s*(-?[\d.]+)", done.stderr)
    assert match, done.stderr
    return float(match.group(1))


def render_with_music(tmp_path: Path, settings: MixSettings) -> tuple[Path, Timeline]:
    made = make_episode(tmp_path / "clips")
    clips = list(made.synthesis.clips)
    # The title and the first body chunk say the same thing at the same level, with
    # nothing in the music's band; the music is a steady tone.
    for n in (0, 1):
        clips[n] = replace(clips[n], path=write_wav(tmp_path / f"voice{n}.wav",
                                                    voice(22050, 1500), 22050))
    music = write_wav(tmp_path / "music.wav", tone(44100, 12000, MUSIC_HZ, 0.2), 44100)
    settings = replace(settings, intro=music, outro=music)
    out = tmp_path / "episode.mp3"
    timeline = render_episode(made.script, Synthesis("espeak", tuple(clips)), out, settings)
    return out, timeline


@pytest.mark.parametrize("duck_db", [12.0, 20.0])
def test_the_intro_is_ducked_under_the_title_by_the_configured_amount(
    tmp_path: Path, duck_db: float
) -> None:
    settings = MixSettings(music_duck_db=duck_db)
    mp3, timeline = render_with_music(tmp_path, settings)
    title = timeline.cues[0]
    ramp = settings.music_duck_ramp_ms
    # The title is heard over the music, after the music played alone.
    assert title.kind == "title"
    assert title.start_ms == settings.music_lead_ms
    alone = band_lufs(mp3, settings.music_fade_in_ms + 100, title.start_ms - ramp - 50)
    under = band_lufs(mp3, title.start_ms + 50, title.end_ms - 50)
    back = band_lufs(mp3, title.end_ms + ramp + 50,
                     title.end_ms + settings.music_swell_ms - 50)
    assert alone - under == pytest.approx(duck_db, abs=1.0)
    assert back == pytest.approx(alone, abs=0.5)  # back up after the title
    # The text starts once the bed has faded out; nothing of the music is left under it.
    body = timeline.cues[1]
    assert body.start_ms >= title.end_ms + settings.music_swell_ms + settings.music_fade_out_ms
    assert band_lufs(mp3, body.start_ms, body.end_ms) < alone - 40


def test_the_music_sits_at_its_level_under_the_speech_and_the_episode_on_target(
    tmp_path: Path,
) -> None:
    settings = MixSettings()
    mp3, timeline = render_with_music(tmp_path, settings)
    title, body = timeline.cues[0], timeline.cues[1]
    speech = band_lufs(mp3, body.start_ms, body.end_ms, band="lowpass=f=1000,")
    music = band_lufs(mp3, settings.music_fade_in_ms + 100, title.start_ms - 400)
    # RMS levels, weighted by K-weighting: the 2 kHz tone gains about 3.5 dB on a 150 Hz
    # voice, so -6 dB of RMS reads about -2.5 LU.
    assert music - speech == pytest.approx(settings.music_level_db + 3.5, abs=1.5)
    integrated, peak = measure_file(mp3)
    assert integrated == pytest.approx(settings.target_lufs, abs=0.5)
    assert peak is not None and peak <= settings.true_peak_db


def test_chapters_hold_the_bed_and_the_outro_and_times_stay_exact(tmp_path: Path) -> None:
    settings = MixSettings()
    mp3, timeline = render_with_music(tmp_path, settings)
    assert timeline.chapters[0].start_ms == 0
    assert timeline.chapters[-1].end_ms == timeline.duration_ms
    last = timeline.cues[-1]
    # the outro: the whole tone (12 s), after the gap, then the tail
    assert timeline.duration_ms - last.end_ms >= settings.music_gap_ms + 11000
    assert band_lufs(mp3, last.end_ms + settings.music_gap_ms + 500,
                     last.end_ms + settings.music_gap_ms + 3000) > -40
    assert decoded_samples(mp3) == timeline.duration_ms * 441 // 10
    assert round(MP3(mp3).info.length * 1000) == timeline.duration_ms


def test_a_jingle_shorter_than_the_lead_ends_before_the_title(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips")
    jingle = write_wav(tmp_path / "jingle.wav", tone(44100, 900, MUSIC_HZ, 0.2), 44100)
    out = tmp_path / "episode.mp3"
    settings = MixSettings(intro=jingle)
    timeline = render_episode(made.script, made.synthesis, out, settings)
    assert timeline.cues[0].start_ms <= 900  # the title does not wait for the full lead
    assert decoded_samples(out) == timeline.duration_ms * 441 // 10


def test_music_settings_are_checked() -> None:
    from narrate.errors import UsageError

    with pytest.raises(UsageError, match="ducking"):
        MixSettings(music_duck_db=-3).validate()
    with pytest.raises(UsageError, match="music level"):
        MixSettings(music_level_db=20).validate()
