"""``narrate build --intro --duck``: the music bed from the command line, measured on the
episode with ebur128 (the music's band isolated), as in tests/mix/test_music.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.mix.conftest import write_wav
from tests.mix.test_music import band_lufs, tone

#: Real speech (espeak's voice) has formants at 2 kHz: the music here is a 50 Hz hum, below
#: the voice's fundamental, measured through a narrow band around it.
HUM_HZ = 50
HUM_BAND = f"bandpass=f={HUM_HZ}:width_type=h:width=8," * 3

ARTICLE = """# मेट्रो की नई लाइन

शहर में आज से नई मेट्रो लाइन शुरू हो गई। पहले दिन बारह हज़ार यात्रियों ने सफ़र किया।
"""


@pytest.mark.parametrize("duck", ["20", "0"])
def test_build_ducks_the_intro_under_the_title_by_duck_db(
    run_cli, tmp_path: Path, duck: str  # type: ignore[no-untyped-def]
) -> None:
    article = tmp_path / "metro.md"
    article.write_text(ARTICLE, encoding="utf-8")
    music = write_wav(tmp_path / "bed.wav", tone(44100, 10000, HUM_HZ, 0.3), 44100)
    result = run_cli("build", str(article), "--engine", "espeak", "--out", str(tmp_path / "o"),
                     "--cache-dir", str(tmp_path / "c"), "--intro", str(music),
                     "--duck", duck, "--json", "-q")
    assert result.code == 0, result.err
    episode = json.loads(result.out)["episodes"][0]
    mp3 = Path(episode["audio"])
    chapters = json.loads(Path(episode["chapters_json"]).read_text(encoding="utf-8"))
    assert chapters["chapters"][0]["startTime"] == 0
    title_start = 2000  # MixSettings.music_lead_ms: the title is heard from there
    alone = band_lufs(mp3, 300, title_start - 400, HUM_BAND)
    under = band_lufs(mp3, title_start + 100, title_start + 900, HUM_BAND)
    assert alone - under == pytest.approx(float(duck), abs=1.5)


def test_duck_outside_its_range_is_a_usage_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "x.md", "--duck", "50")
    assert result.code == 2
    assert "--duck" in result.err
