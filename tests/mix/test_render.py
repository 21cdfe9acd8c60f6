"""render_episode end to end on synthetic clips, read back with ffmpeg and mutagen."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from narrate.errors import AudioError, PublishError, UsageError
from narrate.mix import MixSettings, render_episode, write_tags
from narrate.mix.loudness import measure_file
from narrate.model import Clip, Synthesis, Timeline
from narrate.publish.chapters import chapters_json
from narrate.publish.vtt import captions_vtt, chapters_vtt

from .conftest import (
    FFMPEG,
    LONG_TITLE,
    Episode,
    decode,
    decoded_samples,
    ffmpeg_chapters,
    ffmpeg_info,
    make_episode,
    stream_line,
    write_wav,
)


@dataclass(frozen=True)
class Rendered:
    episode: Episode
    mp3: Path
    timeline: Timeline


DEFAULT = MixSettings()
#: How close to the target loudness an episode must land (EBU R 128 asked ±0.5 LU until
#: 2020; it now allows ±1 LU in production).
TOLERANCE_LU = 0.5


def _render(folder: Path, settings: MixSettings = DEFAULT, **episode: object) -> Rendered:
    made = make_episode(folder / "clips", **episode)  # type: ignore[arg-type]
    out = folder / "out"
    out.mkdir(exist_ok=True)
    mp3 = out / "episode.mp3"
    timeline = render_episode(made.script, made.synthesis, mp3, settings)
    write_tags(mp3, script=made.script, timeline=timeline, podcast="narrate",
               description="एक परीक्षण", engine="espeak")
    return Rendered(made, mp3, timeline)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(tmp_path_factory.mktemp("episode"))


# --- duration -------------------------------------------------------------------------------


def test_the_duration_is_exact_for_ffmpeg_and_mutagen(rendered: Rendered) -> None:
    duration = rendered.timeline.duration_ms
    assert duration % 10 == 0  # a whole number of samples at 44.1 kHz
    assert decoded_samples(rendered.mp3) == duration * 441 // 10
    assert MP3(rendered.mp3).info.length * 1000 == pytest.approx(duration, abs=0.01)
    seconds = duration / 1000
    shown = f"{int(seconds // 3600):02d}:{int(seconds // 60 % 60):02d}:{seconds % 60:05.2f}"
    assert f"Duration: {shown}" in ffmpeg_info(rendered.mp3)


@pytest.mark.parametrize("tail_ms", [0, 10, 260, 590, 970])
def test_the_duration_is_exact_whatever_the_length(tmp_path: Path, tail_ms: int) -> None:
    """ffmpeg's muxer writes the LAME padding short for some lengths; we fix it."""
    made = make_episode(tmp_path / "clips", sections=(("एक", (("title", "paragraph"),)),))
    mp3 = tmp_path / "e.mp3"
    timeline = render_episode(made.script, made.synthesis, mp3, MixSettings(tail_ms=tail_ms))
    assert decoded_samples(mp3) == timeline.duration_ms * 441 // 10
    assert MP3(mp3).info.length * 1000 == pytest.approx(timeline.duration_ms, abs=0.01)


# --- chapters -------------------------------------------------------------------------------


def test_chapters_one_per_section_contiguous_from_zero_to_the_end(rendered: Rendered) -> None:
    chapters = rendered.timeline.chapters
    assert [c.title for c in chapters] == [s.title for s in rendered.episode.script.sections]
    assert chapters[0].start_ms == 0
    assert chapters[-1].end_ms == rendered.timeline.duration_ms
    for a, b in itertools.pairwise(chapters):
        assert a.end_ms == b.start_ms
        assert a.start_ms < a.end_ms


def test_mutagen_reads_every_chapter_in_order(rendered: Rendered) -> None:
    tags = ID3(rendered.mp3)
    assert tags.version == (2, 3, 0)
    chaps = tags.getall("CHAP")
    by_id = {c.element_id: c for c in chaps}
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == [f"ch{i}" for i in range(len(rendered.timeline.chapters))]
    for i, chapter in enumerate(rendered.timeline.chapters):
        chap = by_id[f"ch{i}"]
        assert (chap.start_time, chap.end_time) == (chapter.start_ms, chapter.end_ms)
        assert (chap.start_offset, chap.end_offset) == (0xFFFFFFFF, 0xFFFFFFFF)
        assert chap.sub_frames["TIT2"].text == [chapter.title]
    assert chaps[-1].end_time == round(MP3(rendered.mp3).info.length * 1000)


def test_ffmpeg_reads_every_chapter_with_its_hindi_title(rendered: Rendered) -> None:
    expected = [(c.start_ms, c.end_ms, c.title) for c in rendered.timeline.chapters]
    assert ffmpeg_chapters(rendered.mp3) == expected
    assert LONG_TITLE in [title for _, _, title in expected]
    # the demuxer's own view (what ffprobe shows)
    info = ffmpeg_info(rendered.mp3)
    found = re.findall(r"Chapter #0:\d+: start (\d+\.\d+), end (\d+\.\d+)", info)
    assert [(round(float(s) * 1000), round(float(e) * 1000)) for s, e in found] == [
        (s, e) for s, e, _ in expected
    ]


@pytest.mark.skipif(shutil.which("ffprobe") is None,
                    reason="no system ffprobe installed (imageio-ffmpeg ships only ffmpeg)")
def test_system_ffprobe_reads_every_chapter(rendered: Rendered) -> None:
    """An older ffprobe (Debian 12 has 5.1) finds every chapter and decodes exactly our
    samples. Its *reported* duration still counts the encoder delay and padding (the whole
    MP3 frames: newer ffmpeg subtracts them), so it may exceed ours by up to two frames."""
    ffprobe = shutil.which("ffprobe")
    assert ffprobe is not None
    done = subprocess.run(
        [ffprobe, "-v", "error", "-show_chapters", "-show_format", "-of", "json",
         str(rendered.mp3)],
        capture_output=True, text=True, check=True,
    )
    probed = json.loads(done.stdout)
    found = [
        (round(float(c["start_time"]) * 1000), round(float(c["end_time"]) * 1000),
         c.get("tags", {}).get("title"))
        for c in probed["chapters"]
    ]
    assert found == [(c.start_ms, c.end_ms, c.title) for c in rendered.timeline.chapters]
    duration_ms = float(probed["format"]["duration"]) * 1000
    assert 0 <= duration_ms - rendered.timeline.duration_ms < 2 * 1152 / 44.1
    system_ffmpeg = Path(ffprobe).with_name("ffmpeg")
    if system_ffmpeg.exists():
        pcm = subprocess.run(
            [str(system_ffmpeg), "-v", "error", "-i", str(rendered.mp3), "-f", "s16le", "-"],
            capture_output=True, check=True,
        ).stdout
        assert len(pcm) // 2 == rendered.timeline.duration_ms * 441 // 10


def test_json_vtt_and_id3_agree_to_the_millisecond(rendered: Rendered) -> None:
    timeline = rendered.timeline
    chaps = sorted(ID3(rendered.mp3).getall("CHAP"), key=lambda c: c.start_time)
    id3_times = [(c.start_time, c.end_time, c.sub_frames["TIT2"].text[0]) for c in chaps]
    doc = json.loads(chapters_json(timeline))
    json_times = [(round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"])
                  for c in doc["chapters"]]

    def vtt_times(text: str) -> list[tuple[int, int]]:
        def ms(stamp: str) -> int:
            h, m, s = stamp.split(":")
            return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)

        return [(ms(a), ms(b)) for a, b in re.findall(r"(\S+) --> (\S+)", text)]

    assert json_times == id3_times
    assert vtt_times(chapters_vtt(timeline)) == [(s, e) for s, e, _ in id3_times]
    assert vtt_times(captions_vtt(timeline)) == [(c.start_ms, c.end_ms) for c in timeline.cues]


# --- where sound is -------------------------------------------------------------------------


def _loud(samples: object, start_ms: int, end_ms: int, limit: int = 300) -> bool:
    part = samples[start_ms * 441 // 10 : end_ms * 441 // 10]  # type: ignore[index]
    return bool(part) and (max(part) > limit or min(part) < -limit)


def test_each_chapter_starts_in_a_pause_before_its_section_is_heard(rendered: Rendered) -> None:
    samples = decode(rendered.mp3)
    settings = MixSettings()
    cues = rendered.timeline.cues
    for chapter in rendered.timeline.chapters[1:]:
        first = next(c for c in cues if c.start_ms >= chapter.start_ms)
        previous = max((c for c in cues if c.end_ms <= chapter.start_ms), key=lambda c: c.end_ms)
        # silence on both sides of the boundary, sound right after it
        assert not _loud(samples, previous.end_ms + 30, first.start_ms)
        assert first.start_ms - chapter.start_ms == settings.chapter_lead_ms
        assert chapter.start_ms - previous.end_ms >= settings.section_pause_ms // 2
        assert _loud(samples, first.start_ms, first.start_ms + 150)


def test_every_clip_is_heard_exactly_where_its_cue_says(rendered: Rendered) -> None:
    """No drift: onset of sound = cue start + the kept edge, within 2 ms, to the end."""
    samples = decode(rendered.mp3)
    keep = MixSettings().trim_keep_ms
    limit = 1500
    previous = None
    pieces = 0
    for cue in rendered.timeline.cues:
        inside = previous is not None and cue.start_ms == previous.end_ms
        previous = cue
        if inside:
            pieces += 1
            continue  # a caption piece inside its clip (the clip's onset is its first)
        lo = (cue.start_ms - 5) * 441 // 10
        hi = (cue.start_ms + keep + 60) * 441 // 10
        onset = next(i for i in range(lo, hi) if abs(samples[i]) > limit)
        assert abs(onset * 10 / 441 - (cue.start_ms + keep)) <= 3, cue
    assert pieces == len(rendered.timeline.cues) - len(rendered.episode.script.chunks) > 0


def test_pauses_follow_the_boundaries(rendered: Rendered) -> None:
    settings = MixSettings()
    cues = rendered.timeline.cues
    chunks = rendered.episode.script.chunks
    gaps = [b.start_ms - a.end_ms for a, b in itertools.pairwise(cues)]
    assert gaps[0] == settings.title_pause_ms  # title -> body in section 0
    assert gaps[1] == settings.clause_pause_ms  # chunk ends at a clause
    assert gaps[2] == settings.sentence_pause_ms
    assert gaps[3] == settings.section_pause_ms  # paragraph, then a new section
    assert gaps[4] == settings.heading_pause_ms
    assert chunks[4].kind == "heading"


# --- sound ----------------------------------------------------------------------------------


def test_loudness_is_on_target_and_true_peak_below_the_ceiling(rendered: Rendered) -> None:
    integrated, peak = measure_file(rendered.mp3)
    assert integrated == pytest.approx(-19.0, abs=TOLERANCE_LU)
    assert peak is not None and peak <= -1.0


def test_any_file_name_reaches_the_encoder_intact(tmp_path: Path) -> None:
    """Quotes, pipes, brackets and colons in the output's name reach ffmpeg intact."""
    made = make_episode(tmp_path / "clips", sections=(("एक", (("title", "paragraph"),)),))
    folder = tmp_path / "it's [a|b]"
    folder.mkdir()
    mp3 = folder / "समाचार's [x|y]:z.mp3"
    timeline = render_episode(made.script, made.synthesis, mp3, DEFAULT)
    assert sorted(p.name for p in folder.iterdir()) == [mp3.name]
    assert decoded_samples(mp3) == timeline.duration_ms * 441 // 10


def test_the_stream_is_mp3_44100_hz_mono_96k_cbr(rendered: Rendered) -> None:
    line = stream_line(rendered.mp3)
    assert "Audio: mp3" in line and "44100 Hz" in line and "mono" in line and "96 kb/s" in line
    info = MP3(rendered.mp3).info
    assert (info.sample_rate, info.channels, info.bitrate) == (44100, 1, 96000)
    assert info.bitrate_mode == BitrateMode.CBR


@pytest.mark.slow
def test_mp3_clips_at_24_khz(tmp_path: Path) -> None:
    result = _render(tmp_path, audio_format="mp3")
    assert decoded_samples(result.mp3) == result.timeline.duration_ms * 441 // 10
    assert ffmpeg_chapters(result.mp3) == [
        (c.start_ms, c.end_ms, c.title) for c in result.timeline.chapters
    ]
    integrated, peak = measure_file(result.mp3)
    assert integrated == pytest.approx(-19.0, abs=TOLERANCE_LU)
    assert peak is not None and peak <= -1.0


def test_stereo_targets_minus_16(tmp_path: Path) -> None:
    result = _render(tmp_path, MixSettings(stereo=True))
    assert "stereo" in stream_line(result.mp3)
    integrated, peak = measure_file(result.mp3)
    assert integrated == pytest.approx(-16.0, abs=TOLERANCE_LU)
    assert peak is not None and peak <= -1.0


def test_peaky_quiet_speech_is_raised_and_limited(tmp_path: Path) -> None:
    result = _render(tmp_path, level=0.03, peaky=True)
    integrated, peak = measure_file(result.mp3)
    assert integrated == pytest.approx(-19.0, abs=TOLERANCE_LU)
    assert peak is not None and peak <= -1.0


def test_custom_loudness_and_bitrate(tmp_path: Path) -> None:
    result = _render(tmp_path, MixSettings(loudness_lufs=-23.0, bitrate="64k"))
    integrated, _ = measure_file(result.mp3, true_peak=False)
    assert integrated == pytest.approx(-23.0, abs=TOLERANCE_LU)
    assert MP3(result.mp3).info.bitrate == 64000


# --- failures -------------------------------------------------------------------------------


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("where", ["streaming", "encoding"])
def test_an_interrupted_render_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    made = make_episode(tmp_path / "clips")
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    import narrate.mix.render as render

    if where == "streaming":
        real_place = render._Stream.place
        calls = []

        def place(self: render._Stream, start_ms: int, data: bytes) -> object:
            calls.append(start_ms)
            if len(calls) == 5:
                raise KeyboardInterrupt
            return real_place(self, start_ms, data)

        monkeypatch.setattr(render._Stream, "place", place)
    else:
        real_encode = render._encode

        def encode(*args: object) -> None:
            real_encode(*args)  # type: ignore[arg-type]
            assert any(p.suffix == ".mp3" for p in out.iterdir())  # a temp file was written
            raise KeyboardInterrupt

        monkeypatch.setattr(render, "_encode", encode)

    with pytest.raises(KeyboardInterrupt):
        render_episode(made.script, made.synthesis, out / "episode.mp3", MixSettings())
    assert _files(out) == []
    assert _files(scratch) == []


def test_an_existing_episode_survives_a_failed_render(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips")
    mp3 = tmp_path / "episode.mp3"
    mp3.write_bytes(b"the old episode")
    broken = replace(made.synthesis.clips[3], path=tmp_path / "missing.wav")
    clips = (*made.synthesis.clips[:3], broken, *made.synthesis.clips[4:])
    with pytest.raises(AudioError, match=r"clip 4 of \d+ .*missing.wav"):
        render_episode(made.script, Synthesis("espeak", clips), mp3, MixSettings())
    assert mp3.read_bytes() == b"the old episode"
    assert _files(tmp_path) == ["clips", "episode.mp3"]


def test_a_clip_that_decodes_to_nothing_is_an_error(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips")
    empty = write_wav(tmp_path / "empty.wav", b"", 22050)
    clips = list(made.synthesis.clips)
    clips[2] = replace(clips[2], path=empty)
    with pytest.raises(AudioError, match="decodes to no audio"):
        render_episode(made.script, Synthesis("espeak", tuple(clips)), tmp_path / "e.mp3",
                       MixSettings())


def test_ffmpeg_failures_keep_the_command_and_stderr(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips")
    garbage = tmp_path / "garbage.mp3"
    garbage.write_bytes(b"\x00not an mp3 at all" * 50)
    clips = list(made.synthesis.clips)
    clips[1] = Clip(clips[1].section, clips[1].index, clips[1].chunk, garbage, "mp3")
    with pytest.raises(AudioError) as caught:
        render_episode(made.script, Synthesis("gtts", tuple(clips)), tmp_path / "e.mp3",
                       MixSettings())
    assert caught.value.command[0] == FFMPEG
    assert str(garbage) in caught.value.command
    assert caught.value.stderr
    assert "clip 2 of" in str(caught.value)


def test_clips_must_match_the_script(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips")
    with pytest.raises(ValueError, match="clips for"):
        render_episode(made.script, Synthesis("espeak", made.synthesis.clips[:-1]),
                       tmp_path / "e.mp3", MixSettings())


@pytest.mark.parametrize(
    "settings",
    [MixSettings(sentence_pause_ms=-1), MixSettings(sample_rate=12345),
     MixSettings(loudness_lufs=3.0), MixSettings(bitrate="fast")],
)
def test_impossible_settings_are_usage_errors(tmp_path: Path, settings: MixSettings) -> None:
    made = make_episode(tmp_path / "clips", sections=(("एक", (("title", "paragraph"),)),))
    with pytest.raises(UsageError):
        render_episode(made.script, made.synthesis, tmp_path / "e.mp3", settings)


def test_ffmpeg_is_the_bundled_one() -> None:
    assert Path(FFMPEG).is_file()


def test_a_missing_output_folder_is_a_publish_error(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips", sections=(("एक", (("title", "paragraph"),)),))
    with pytest.raises(PublishError, match="not a folder"):
        render_episode(made.script, made.synthesis, tmp_path / "nope" / "e.mp3", MixSettings())


def test_missing_music_is_a_usage_error(tmp_path: Path) -> None:
    made = make_episode(tmp_path / "clips", sections=(("एक", (("title", "paragraph"),)),))
    with pytest.raises(UsageError, match="intro"):
        render_episode(made.script, made.synthesis, tmp_path / "e.mp3",
                       MixSettings(intro=tmp_path / "jingle.mp3"))
