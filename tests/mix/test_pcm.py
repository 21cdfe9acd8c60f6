"""The working format and the pydub helpers: trimming, silence, frame-exact segments."""

from __future__ import annotations

from array import array
from pathlib import Path

from pydub import AudioSegment

from narrate.mix import pcm
from narrate.mix.pcm import PcmFormat

from .conftest import burst, wav_to_mp3, write_wav

F = PcmFormat(22050, 1)


def samples(values: list[int]) -> bytes:
    return array("h", values).tobytes()


def first_loud(segment: AudioSegment, limit: int) -> int:
    values = array("h", segment.raw_data)
    return next(i for i, v in enumerate(values) if abs(v) > limit)


def test_segment_wraps_pcm_frame_exact() -> None:
    seg = F.segment(samples([1, 2, 3]) + b"\x00")  # a trailing half frame is dropped
    assert (seg.frame_rate, seg.channels, seg.sample_width) == (22050, 1, 2)
    assert pcm.frames(seg) == 3
    assert F.matches(seg)
    assert not PcmFormat(44100, 1).matches(seg)
    assert pcm.frames(F.silence(22051)) == 22051  # pydub's silent() would round to whole ms
    assert pcm.frames(PcmFormat(44100, 2).silence(7)) == 7


def test_trim_keeps_a_margin_around_the_sound() -> None:
    seg = F.segment(burst(22050, 300, lead_ms=400, tail_ms=600))
    trimmed = pcm.trim(seg, silence_db=-50, keep_ms=20)
    kept_ms = pcm.frames(trimmed) / 22.05
    # pydub.silence looks at 10 ms windows: the sound plus 20 ms each side, within a window
    assert 300 + 40 - 10 <= kept_ms <= 300 + 40 + 20
    onset = first_loud(trimmed, 104)
    assert F.frames(10) <= onset <= F.frames(30)
    assert trimmed.raw_data in seg.raw_data  # a slice of the clip, not a copy changed


def test_trim_keeps_soft_edges_and_leaves_silence_alone() -> None:
    quiet = F.segment(samples([3, -3] * 500))
    assert pcm.is_silent(quiet, -50)
    assert pcm.trim(quiet, silence_db=-50, keep_ms=20) is quiet
    assert pcm.is_silent(F.segment(b""), -50)
    loud = F.segment(burst(22050, 100, lead_ms=0, tail_ms=0))
    assert not pcm.is_silent(loud, -50)
    assert pcm.frames(pcm.trim(loud, silence_db=-50, keep_ms=20)) == pcm.frames(loud)


def test_trim_works_in_stereo_frames() -> None:
    stereo = PcmFormat(44100, 2)
    data = samples([0, 0] * 4410 + [0, 9000] * 441 + [0, 0] * 4410)
    trimmed = pcm.trim(stereo.segment(data), silence_db=-50, keep_ms=0)
    assert pcm.frames(trimmed) % 441 == 0 and 441 <= pcm.frames(trimmed) <= 3 * 441
    assert len(trimmed.raw_data) == 4 * pcm.frames(trimmed)


def test_formats() -> None:
    assert F.frames(1000) == 22050
    assert F.frames(1) == 22  # 22.05 rounds to 22
    assert F.ms_ceil(22051) == 1001
    assert PcmFormat(44100, 2).frame_bytes == 4


def test_wav_rate_reads_only_the_header(tmp_path: Path) -> None:
    data = burst(22050, 100)
    wav = write_wav(tmp_path / "a.wav", data, 22050)
    assert pcm.wav_rate(wav) == 22050
    stereo = write_wav(tmp_path / "s.wav", data, 11025, channels=2)
    assert pcm.wav_rate(stereo) is None
    mp3 = wav_to_mp3(write_wav(tmp_path / "m.wav", data, 22050))
    assert pcm.wav_rate(mp3) is None
    assert pcm.wav_rate(tmp_path / "missing.wav") is None
