"""``narrate script`` with a pronunciation file: the engine named on the first line, that
engine's chunks, the rules applied per chunk, and narrate.toml naming the file."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.text.test_pronunciation import RULES


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "pronunciation.tsv"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_narrate_script_names_the_engine_and_shows_rules(
    run_cli, rules: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("UPI और Kokoro\n\nKokoro ने UPI से ₹500 भेजे। भाजपा ने कहा।\n", "utf-8")
    result: Run = run_cli("script", str(article), "--engine", "kokoro", "--lexicon", str(rules))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "engine kokoro"
    assert "limit 300 characters" in result.out
    assert nfc("⟦kəkoːɾoː⟧ ने यू पी आई से पाँच सौ रुपये भेजे।") in result.out
    # each sentence is a chunk, with the rules that changed it
    assert "rules: Kokoro (ipa), UPI (letters), money" in result.out
    assert "rules: भाजपा (letters)" in result.out
    gtts = run_cli("script", str(article), "--engine", "gtts", "--lexicon", str(rules), "--json")
    data = json.loads(gtts.out)
    assert data["engine"] == "gtts"
    assert all(len(c["text"]) <= 100 for s in data["sections"] for c in s["chunks"])
    assert "⟦" not in gtts.out and nfc("कोकोरो ने यू पी आई") in gtts.out


def test_auto_names_the_engine_it_picks_now(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Tests have no network: auto falls back to the offline voice, and says so."""
    article = tmp_path / "a.txt"
    article.write_text("शीर्षक\n\nआज बारिश हुई।\n", "utf-8")
    result = run_cli("script", str(article))
    first = result.out.splitlines()[0]
    assert first.startswith("engine kokoro (auto: Google did not answer"), first
    assert "limit 300 characters" in result.out


def test_narrate_toml_names_the_pronunciation_file(
    run_cli, rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "narrate.toml").write_text(
        '[podcast]\ntitle = "ख़बरें"\ndescription = "दिन की ख़बरें"\nauthor = "डेस्क"\n'
        'owner_name = "डेस्क"\nowner_email = "a@example.com"\n'
        f'pronunciation = "{rules.name}"\n',
        encoding="utf-8",
    )
    article = tmp_path / "a.txt"
    article.write_text("शीर्षक\n\nUPI से भुगतान हुआ।\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("script", str(article), "--engine", "espeak")
    assert result.code == 0, result.err
    assert "rules: UPI (letters)" in result.out
