"""narrate.toml's ``[build]`` table: defaults for ``narrate build``'s options, checked as the
command line checks them; a flag given (or an environment variable) wins."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from narrate.config import STARTER
from narrate.engines.builtin import ESPEAK

ARTICLE = "# बारिश की खबर\n\nआज सुबह तेज़ बारिश हुई।\n\n## आगे\n\nकल धूप निकलेगी।\n"
PODCAST = ('[podcast]\ntitle = "t"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
           'owner_email = "o@example.com"\n')


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with an article and a narrate.toml whose [build] table says espeak, an
    output folder, a rate and a pause; the working folder is elsewhere."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.md").write_text(ARTICLE, encoding="utf-8")
    (site / "narrate.toml").write_text(
        PODCAST + '\n[build]\nengine = "espeak"\nout = "public"\ncache-dir = "cache"\n'
        'rate = 220\npause = ["sentence=600"]\n', encoding="utf-8")
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("NARRATE_CACHE_DIR", raising=False)
    return site


def built(result: object) -> dict[str, object]:
    episode: dict[str, object] = json.loads(result.out)["episodes"][0]  # type: ignore[attr-defined]
    return episode


def test_the_table_gives_defaults_paths_beside_the_file(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", str(site / "a.md"), "--config", str(site / "narrate.toml"),
                     "--json")
    assert result.code == 0, result.err
    episode = built(result)
    assert episode["engine"] == "espeak"
    assert Path(str(episode["audio"])).parent == site / "public"  # beside narrate.toml
    assert (site / "cache").is_dir()
    # rate 220 words a minute reached the engine: the same article at the default rate,
    # given as a flag, takes longer to say
    slower = run_cli("build", str(site / "a.md"), "--config", str(site / "narrate.toml"),
                     "--rate", str(ESPEAK.option("rate").default), "--out",
                     str(site / "slower"), "--json")
    assert slower.code == 0, slower.err
    assert float(str(built(slower)["duration_s"])) > float(str(episode["duration_s"])) + 0.3


def test_a_flag_given_overrides_the_table(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = site / "other"
    result = run_cli("build", str(site / "a.md"), "--config", str(site / "narrate.toml"),
                     "--out", str(out), "--json")
    assert result.code == 0, result.err
    assert Path(str(built(result)["audio"])).parent == out
    assert not (site / "public").exists()


def test_the_environment_overrides_the_table(  # type: ignore[no-untyped-def]
    site: Path, run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path / "env-cache"))
    result = run_cli("build", str(site / "a.md"), "--config", str(site / "narrate.toml"))
    assert result.code == 0, result.err
    assert (tmp_path / "env-cache").is_dir() and not (site / "cache").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("wrokers = 2", "build.wrokers: narrate build has no option --wrokers. Probable "
                        "cause: a typo; the keys are: "),
        ("workers = 0", "build.workers: Invalid value for '--workers': 0 is not in the range"
                        " 1<=x<=256."),
        ('engine = "festival"', "build.engine: Invalid value for '--engine': 'festival' is "
                                "not one of"),
        ("config = 'other.toml'", "build.config: narrate build has no option --config."),
    ],
)
def test_a_wrong_key_or_value_is_one_line_and_exit_code_2(  # type: ignore[no-untyped-def]
    site: Path, run_cli, line: str, message: str
) -> None:
    (site / "narrate.toml").write_text(PODCAST + f"\n[build]\n{line}\n", encoding="utf-8")
    result = run_cli("build", str(site / "a.md"), "--config", str(site / "narrate.toml"))
    assert result.code == 2
    assert result.err.startswith(f"narrate: error: {site / 'narrate.toml'}: {message}")
    assert len(result.err.strip().splitlines()) == 1
    assert not (site / "audio").exists()


def test_the_starter_file_has_an_empty_build_table() -> None:
    data = tomllib.loads(STARTER)
    assert data["build"] == {}
    assert "# engine = " in STARTER and "# pause = " in STARTER  # examples, commented
