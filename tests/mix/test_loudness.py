"""Loudness decisions (with fake measurements) and ebur128 parsing."""

from __future__ import annotations

import pytest

from narrate.mix.loudness import (
    CODEC_LOSS_DB,
    MAX_GAIN_DB,
    Loudness,
    gain_db,
    limiter_filter,
    parse_integrated,
    parse_peak,
    settle_gain,
)

SUMMARY = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -21.4 LUFS
    Threshold: -31.5 LUFS

  Loudness range:
    LRA:         1.7 LU

  Sample peak:
    Peak:       -0.3 dBFS
"""


def test_parse_summary() -> None:
    assert parse_integrated(SUMMARY) == -21.4
    assert parse_peak(SUMMARY, "Sample") == -0.3
    assert parse_peak(SUMMARY, "True") is None
    assert parse_integrated("no summary") is None


def test_gain() -> None:
    assert gain_db(-21.4, -19.0) == pytest.approx(2.4)
    assert gain_db(-70.0, -19.0) == 0.0  # silence is not blown up
    assert gain_db(-60.0, -19.0) == 30.0  # clamped


def test_limiter_sits_below_the_true_peak_ceiling_and_keeps_timing() -> None:
    spec = limiter_filter(-1.0)
    assert "limit=0.79433" in spec  # -2 dBFS
    assert "level=0" in spec and "latency=1" in spec


def _never(gain: float) -> float:
    raise AssertionError("the whole episode should not be measured")


def test_light_limiting_adds_only_what_the_encoder_takes() -> None:
    gain = settle_gain(Loudness(-21.0, -6.0), target_lufs=-19.0, true_peak_db=-1.0,
                       measure=_never)
    assert gain == pytest.approx(2.0 + CODEC_LOSS_DB)


def test_heavy_limiting_measures_the_whole_episode() -> None:
    measured: list[float] = []

    def measure(gain: float) -> float:
        measured.append(gain)
        return -19.0 - 4.0 + 0.5 * (gain - 13.0)  # the limiter eats half of every extra dB

    gain = settle_gain(Loudness(-32.0, -0.5), target_lufs=-19.0, true_peak_db=-1.0,
                       measure=measure)
    assert measured == [13.0, 17.0, 21.0]  # 1:1 first, then the slope learnt: 0.5
    assert gain == pytest.approx(21.0 + CODEC_LOSS_DB)  # the codec's loss on top


def test_silence_is_left_alone() -> None:
    assert settle_gain(Loudness(-70.0, None), target_lufs=-19.0, true_peak_db=-1.0,
                       measure=_never) == 0.0


def test_gain_never_passes_the_clamp() -> None:
    assert settle_gain(Loudness(-55.0, -40.0), target_lufs=-19.0, true_peak_db=-1.0,
                       measure=_never) == MAX_GAIN_DB
