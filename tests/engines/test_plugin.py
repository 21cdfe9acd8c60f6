"""An engine from another package joins narrate through the ``narrate.engines`` entry point
group, with no narrate file changed.

The package is ``tests/engines/plugin/narrate_tone`` with its ``.dist-info`` (metadata and
``entry_points.txt``, as ``pip install`` writes them) beside it: a folder on ``sys.path``
holding a distribution is exactly what ``importlib.metadata`` reads in site-packages. The
commands run as a user runs them (``python -m narrate``), with that folder on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import mutagen.id3
import numpy as np
import pytest
from click.testing import CliRunner

from narrate.cli import cli
from narrate.engines import registry
from narrate.engines.builtin import BUILTIN
from narrate.ffmpeg import ffmpeg_exe
from tests.fakes.google import FakeGoogle

PLUGIN = Path(__file__).parent / "plugin"
ARTICLE = "# घंटी की आवाज़\n\nआज सुबह घंटी बजी।\n\n## फिर\n\nशाम को फिर बजी।\n"


def narrate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(PLUGIN), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "narrate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plug-in installed in this process: its folder on sys.path, the registry read
    again (and once more afterwards, without it)."""
    monkeypatch.syspath_prepend(str(PLUGIN))
    registry.registered.cache_clear()
    yield
    monkeypatch.undo()
    registry.registered.cache_clear()
    sys.modules.pop("narrate_tone.engine", None)
    sys.modules.pop("narrate_tone", None)


def test_narrate_engines_lists_it(with_plugin: None, google: FakeGoogle) -> None:
    result = CliRunner().invoke(cli, ["engines", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)["engines"]}
    assert list(rows) == [*(s.name for s in BUILTIN), "tone"]
    tone = rows["tone"]
    assert tone["usable"] and tone["detail"] == "a 220 Hz tone"
    assert (tone["voices"], tone["default_voice"], tone["speed"]) == (["low", "high"], "low",
                                                                      [0.5, 3.0])
    assert tone["options"] == ["octave", "speed", "voice"]  # what it takes: one lookup
    text = CliRunner().invoke(cli, ["engines"]).output
    assert "tone: a pure tone for each chunk" in text
    assert "tone voices: low (220 Hz, default), high (440 Hz)" in text
    # auto never picks an engine that did not ask for a place in its order
    assert json.loads(result.output)["auto"] == "gtts"


def test_help_shows_it_without_importing_it(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from narrate.cli import cli\n"
        "try:\n"
        "    cli.main(['build', '--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('engine module imported:', 'narrate_tone.engine' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PLUGIN)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    shown = " ".join(done.stdout.split())
    assert "[auto|gtts|espeak|kokoro|tone]" in shown
    assert "|low|high]" in shown and "tone: low (220 Hz), high (440 Hz) [default: low]" in shown
    assert "--octave INTEGER RANGE tone: octaves above the voice's pitch." in shown
    assert "tone 0.5-3" in shown  # --speed's range for it
    assert shown.endswith("engine module imported: False")


def dominant_hertz(mp3: Path) -> float:
    """The pitch of ``mp3``: the peak of its decoded samples' spectrum."""
    pcm = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac",
                          "1", "-ar", "44100", "-"], capture_output=True, check=True).stdout
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * 44100 / len(samples))


def test_narrate_build_speaks_with_it(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    built = narrate("build", "a.md", "--engine", "tone", "--voice", "high", "--octave", "1",
                    "--out", "out", "--cache-dir", "cache", "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (episode,) = json.loads(built.stdout)["episodes"]
    assert episode["engine"] == "tone"
    mp3 = tmp_path / episode["audio"]
    tags = mutagen.id3.ID3(mp3)
    assert tags.getall("TXXX:narrate engine")[0].text == ["tone"]
    assert len(episode["chapters"]) == 2
    assert dominant_hertz(mp3) == pytest.approx(880, rel=0.01)  # high, an octave up
    # the default voice, on another folder: the spec's default reached the engine
    again = narrate("build", "a.md", "--engine", "tone", "--out", "low", "--cache-dir",
                    "cache", "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    low = tmp_path / json.loads(again.stdout)["episodes"][0]["audio"]
    assert dominant_hertz(low) == pytest.approx(220, rel=0.01)


def test_a_voice_another_engine_has_is_one_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    wrong = narrate("build", "a.md", "--engine", "kokoro", "--voice", "high", "--out", "o",
                    cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "narrate: error: kokoro has no voice 'high'; choose one of: hf_alpha, hf_beta, "
        "hm_omega, hm_psi")
    too_fast = narrate("build", "a.md", "--engine", "tone", "--speed", "4", "--out", "o",
                       cwd=tmp_path)
    assert too_fast.returncode == 2 and "Traceback" not in too_fast.stderr
    assert not (tmp_path / "o").exists()


def test_a_broken_plugin_is_left_out_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    group = registry.ENTRY_POINT_GROUP
    points = [
        EntryPoint("missing", "narrate_missing_plugin:SPEC", group),  # cannot be imported
        EntryPoint("notaspec", "narrate.engines.builtin:BUILTIN", group),  # names no spec
        EntryPoint("gtts", "narrate.engines.builtin:GTTS", group),  # narrate's own name
    ]
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: points)
    registry.registered.cache_clear()
    try:
        assert list(registry.registered()) == [s.name for s in BUILTIN]
    finally:
        registry.registered.cache_clear()
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "'missing' is left out" in said and "'notaspec' is left out" in said
    assert "'gtts' from a plug-in is left out" in said
