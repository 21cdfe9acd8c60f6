"""PCM helpers: finding sound, trimming, fading, reading WAV."""

from __future__ import annotations

from array import array
from pathlib import Path

from narrate.mix import pcm
from narrate.mix.pcm import PcmFormat

from .conftest import burst, wav_to_mp3, write_wav

F = PcmFormat(22050, 1)


def samples(values: list[int]) -> bytes:
    return array("h", values).tobytes()


def test_sound_span_finds_the_exact_samples() -> None:
    data = samples([0] * 1000 + [5, -300, 40] + [0] * 500 + [200] + [0] * 2000)
    assert pcm.sound_span(data, F, 100) == (1001, 1504)
    assert pcm.sound_span(samples([0, 50, -99] * 1000), F, 100) is None
    assert pcm.sound_span(b"", F, 100) is None


def test_sound_span_in_stereo_counts_frames() -> None:
    stereo = PcmFormat(44100, 2)
    data = samples([0, 0] * 100 + [0, 900] + [0, 0] * 10)
    assert pcm.sound_span(data, stereo, 100) == (100, 101)


def test_trim_keeps_a_margin_around_the_sound() -> None:
    data = burst(22050, 300, lead_ms=400, tail_ms=600)
    trimmed = pcm.trim(data, F, silence_db=-50, keep_ms=20)
    kept_ms = len(trimmed) / 2 / 22.05
    assert 300 + 40 - 15 < kept_ms < 300 + 40 + 1
    lead = pcm.sound_span(trimmed, F, pcm.threshold(-50))
    assert lead is not None and lead[0] == F.frames(20)


def test_trim_leaves_silence_alone() -> None:
    quiet = samples([3, -3] * 500)
    assert pcm.trim(quiet, F, silence_db=-50, keep_ms=20) == quiet


def test_threshold() -> None:
    assert pcm.threshold(0) == 32768
    assert pcm.threshold(-50) == 104


def test_fade_in_and_out() -> None:
    data = samples([10000] * 22050)
    faded = array("h")
    faded.frombytes(pcm.fade(data, F, in_ms=100, out_ms=200))
    assert faded[0] == 0 and faded[-1] == 0
    assert abs(faded[F.frames(50)] - 5000) < 5
    assert faded[F.frames(100)] == 10000
    assert abs(faded[-F.frames(100) - 1] - 5000) < 5
    assert len(faded) == 22050


def test_formats() -> None:
    assert F.frames(1000) == 22050
    assert F.frames(1) == 22  # 22.05 rounds to 22
    assert F.ms_ceil(22051) == 1001
    assert PcmFormat(44100, 2).frame_bytes == 4


def test_read_wav_only_when_already_in_the_working_format(tmp_path: Path) -> None:
    data = burst(22050, 100)
    wav = write_wav(tmp_path / "a.wav", data, 22050)
    assert pcm.read_wav(wav, F) == data
    assert pcm.wav_rate(wav) == 22050
    assert pcm.read_wav(wav, PcmFormat(44100, 1)) is None
    stereo = write_wav(tmp_path / "s.wav", data, 11025, channels=2)
    assert pcm.read_wav(stereo, F) is None
    assert pcm.wav_rate(stereo) is None
    mp3 = wav_to_mp3(write_wav(tmp_path / "m.wav", data, 22050))
    assert pcm.read_wav(mp3, F) is None
    assert pcm.wav_rate(mp3) is None
    assert pcm.wav_rate(tmp_path / "missing.wav") is None
