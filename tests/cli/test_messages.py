"""What a new user meets, line by line: each message with its exit code, as the user sees it
(the real entry point in-process, or a real process where the environment matters: no
network, no ffmpeg on the PATH).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from narrate.config import read_config
from narrate.engines.kokoro_engine import MODEL_ENV

ARTICLE = """# नदी का जलस्तर

शहर में बारिश हो रही है। नदी का जलस्तर बढ़ गया है।

## राहत

नगर निगम ने राहत शिविर बनाए हैं।
"""


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def published(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every public file with its inode, modification time and digest."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in folder.iterdir() if p.is_file()
    }


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "river.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


# -- the feed step, --force and settings -----------------------------------------------------


def test_after_init_a_build_with_a_base_url_writes_the_feed_whatever_the_episodes(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").code == 0
    first = run_cli("build", "river.md", "--engine", "espeak")
    assert first.code == 0, first.err
    assert not (here / "audio" / "feed.xml").exists()  # no base URL yet
    second = run_cli("build", "river.md", "--engine", "espeak",
                     "--base-url", "https://news.example.com/pod/")
    assert second.code == 0, second.err
    assert lines(second.out) == [
        "river.md  unchanged since the last build; skipped (नदी-का-जलस्तर)",
        "audio/feed.xml  1 episode · https://news.example.com/pod/feed.xml",
    ]
    feed = (here / "audio" / "feed.xml").read_text(encoding="utf-8")
    assert "https://news.example.com/pod/नदी" not in feed  # URLs are percent-encoded
    assert "<link>https://news.example.com/pod/</link>" in feed
    assert (here / "audio" / "index.html").is_file()  # what the channel link names
    # a new address: the feed follows it, nothing is rebuilt
    third = run_cli("build", "river.md", "--engine", "espeak",
                    "--base-url", "https://radio.example.org/")
    assert "unchanged since the last build; skipped" in third.out
    assert "https://radio.example.org/feed.xml" in third.out
    # the same settings again: not one file written, and nothing said of the feed
    before = published(here / "audio")
    fourth = run_cli("build", "river.md", "--engine", "espeak",
                     "--base-url", "https://radio.example.org/")
    assert lines(fourth.out) == ["river.md  unchanged since the last build; skipped "
                                 "(नदी-का-जलस्तर)"]
    assert published(here / "audio") == before


def test_a_forced_rebuild_with_identical_output_changes_no_published_file(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").code == 0
    args = ("build", "river.md", "--engine", "espeak", "--base-url", "https://x.example.org/")
    assert run_cli(*args).code == 0
    before = published(here / "audio")
    forced = run_cli(*args, "--force")
    assert forced.code == 0, forced.err
    assert published(here / "audio") == before  # same names, same bytes, not even rewritten
    assert not [name for name in before if name.count(".") > 1 and ".chapters." not in name]


def test_a_new_author_in_the_settings_rebuilds_the_episode_that_shows_it(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    from mutagen.id3 import ID3

    assert run_cli("init").code == 0
    signed = here / "signed.md"
    signed.write_text("---\ntitle: हस्ताक्षर\nauthor: सीमा वर्मा\n---\n\nएक ख़बर है।\n",
                      encoding="utf-8")
    assert run_cli("build", "river.md", "signed.md", "--engine", "espeak").code == 0
    toml = here / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'author = "समाचार डेस्क"', 'author = "नई टीम"'), encoding="utf-8")
    again = run_cli("build", "river.md", "signed.md", "--engine", "espeak")
    assert again.code == 0, again.err
    said = lines(again.out)
    assert any(line.startswith(str(here / "audio" / "नदी-का-जलस्तर")) for line in said)
    assert "signed.md  unchanged since the last build; skipped (हस्ताक्षर)" in said
    index = json.loads((here / "audio" / "episodes.json").read_text(encoding="utf-8"))
    live = {e["title"]: e["files"]["audio"] for e in index["episodes"]}
    assert ID3(here / "audio" / live["नदी का जलस्तर"])["TPE1"].text == ["नई टीम"]
    assert ID3(here / "audio" / live["हस्ताक्षर"])["TPE1"].text == ["सीमा वर्मा"]


# -- settings a careful publisher would not publish with -------------------------------------


def test_the_starter_settings_lock_nothing_and_say_so_truly(run_cli, here: Path  # type: ignore[no-untyped-def]
                                                             ) -> None:
    assert run_cli("init").code == 0
    text = (here / "narrate.toml").read_text(encoding="utf-8")
    assert "locked = false" in text and '"yes"' not in text
    assert "# true asks other platforms" in text
    assert read_config(here / "narrate.toml").locked is False


def test_a_placeholder_owner_is_one_warning_and_a_locked_feed_says_so(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").code == 0
    result = run_cli("build", "river.md", "--engine", "espeak", "--quiet",
                     "--base-url", "https://x.example.org/")
    assert result.code == 0
    assert lines(result.err) == [
        f"narrate: warning: {here / 'narrate.toml'}: podcast.owner_email podcast@example.com"
        " is a placeholder: podcast directories write to this address; set your own"]
    toml = here / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("locked = false", "locked = true"),
                    encoding="utf-8")
    locked = run_cli("feed", "--base-url", "https://x.example.org/")
    assert locked.code == 0
    assert "and podcast:locked names it as the feed's owner; set your own" in locked.err
    toml.write_text(toml.read_text(encoding="utf-8").replace("podcast@example.com",
                                                             "desk@khabar.in"), encoding="utf-8")
    mine = run_cli("feed", "--base-url", "https://x.example.org/")
    assert mine.code == 0 and mine.err == ""


@pytest.mark.parametrize(("url", "warned"), [
    ("http://news.example.org/pod/", True),
    ("https://news.example.org/pod/", False),
    ("http://127.0.0.1:8765/", False),  # a preview on this machine
    ("http://192.168.1.20:8000/", False),  # ... or on its network
])
def test_a_plain_http_base_url_is_one_warning(  # type: ignore[no-untyped-def]
    run_cli, here: Path, url: str, warned: bool
) -> None:
    assert run_cli("init").code == 0
    toml = here / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("podcast@example.com",
                                                             "desk@khabar.in"), encoding="utf-8")
    result = run_cli("build", "river.md", "--engine", "espeak", "--quiet", "--base-url", url)
    assert result.code == 0
    expected = [f"narrate: warning: base_url {url} is plain http: podcast apps and directories"
                " expect https; serve the folder over https"] if warned else []
    assert lines(result.err) == expected


def test_feed_names_a_missing_folder_first_and_refuses_an_empty_one(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").code == 0  # no base_url in the starter
    missing = run_cli("feed", "nowhere")
    assert missing.code == 1
    assert lines(missing.err) == [
        "narrate: error: nowhere is not a folder. Probable cause: nothing built yet (narrate"
        " build ARTICLE --out FOLDER), or another folder was meant"]
    (here / "empty").mkdir()
    empty = run_cli("feed", "empty", "--base-url", "https://x.example.org/")
    assert empty.code == 1
    assert lines(empty.err)[-1] == (
        "narrate: error: empty has no episode: a feed without one is refused by podcast"
        " directories. Probable cause: nothing built yet (narrate build ARTICLE --out empty)")
    assert not (here / "empty" / "feed.xml").exists()


# -- usage -------------------------------------------------------------------------------------


def test_a_misspelled_command_names_the_closest(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("biuld", "river.md")
    assert result.code == 2
    assert lines(result.err) == [
        "narrate: error: no command 'biuld'; did you mean build? (narrate --help lists them)"]


@pytest.mark.parametrize(("args", "line"), [
    (("--voice", "hm_psi", "--engine", "espeak"),
     "--voice hm_psi: engine espeak does not take it; espeak takes --rate, --pitch"
     " (hm_psi is a voice of kokoro: --engine kokoro)"),
    (("--rate", "200", "--engine", "kokoro"),
     "--rate 200: engine kokoro does not take it; kokoro takes --voice"
     " hf_alpha/hf_beta/hm_omega/hm_psi, --speed 0.5-2 (--rate is for espeak)"),
    (("--speed", "1.2", "--engine", "gtts"),
     "--speed 1.2: engine gtts does not take it; gtts takes --tld, --slow"),
])
def test_a_setting_the_engine_cannot_honour_is_a_usage_error(  # type: ignore[no-untyped-def]
    run_cli, here: Path, args: tuple[str, ...], line: str
) -> None:
    result = run_cli("build", "river.md", *args)
    assert result.code == 2
    assert lines(result.err) == [f"narrate: error: {line}"]
    assert not (here / "audio").exists()


def test_a_setting_for_another_engine_in_the_table_gives_way_to_the_command_line(
    run_cli, here: Path  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").code == 0
    toml = here / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        '# engine = "kokoro"', 'engine = "kokoro"').replace(
        '# voice = "hf_alpha"', 'voice = "hm_psi"'), encoding="utf-8")
    assert run_cli("build", "river.md", "--engine", "espeak", "--quiet").code == 0
    # the table's engine and voice together are fine; the table's voice with its engine
    # set aside by the command line is not an error either: only a voice given with
    # an engine that cannot take it is
    wrong = run_cli("build", "river.md", "--engine", "espeak", "--voice", "hm_psi")
    assert wrong.code == 2


@pytest.mark.parametrize(("args", "line"), [
    (("missing.md",), "missing.md: no such file"),
    (("empty",), "empty: a folder with no article in it (no .txt, .md, .html or .json file)"),
    (("nothing/*.md",), "nothing/*.md: no file matches"),
])
def test_nothing_to_narrate_is_exit_code_1_with_one_line(  # type: ignore[no-untyped-def]
    run_cli, here: Path, args: tuple[str, ...], line: str
) -> None:
    (here / "empty").mkdir()
    result = run_cli("build", *args)  # auto: no engine is asked before the inputs are
    assert result.code == 1
    assert lines(result.err) == [f"narrate: error: {line}"]


def test_autos_choice_is_said_only_when_an_article_is_spoken(
    run_cli, here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """The suite's socket guard refuses Google; without Kokoro's model auto takes espeak-ng
    and says so, once, for the run that speaks, and not for a run that builds nothing."""
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "no-model.onnx"))
    first = run_cli("build", "river.md")
    assert first.code == 0, first.err
    (note,) = lines(first.err)
    assert note.startswith("narrate: Google did not answer (cannot reach translate.google.com")
    assert "using espeak-ng offline voice" in note
    again = run_cli("build", "river.md")
    assert again.code == 0 and again.err == ""
    assert "unchanged since the last build; skipped" in again.out


# -- the environment: no network, no ffmpeg on the PATH ---------------------------------------


def narrate_process(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, float]:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "narrate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    return done.returncode, done.stderr, time.monotonic() - start


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


NO_DNS = textwrap.dedent("""
    # A machine without a network: no name resolves (what getaddrinfo says then).
    import socket
    _real = socket.getaddrinfo
    def _no_dns(host, *args, **kwargs):
        if host in ("localhost", "127.0.0.1", "::1"):
            return _real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    socket.getaddrinfo = _no_dns
""")


@pytest.mark.parametrize("network", ["no DNS", "a closed proxy"])
def test_gtts_without_a_network_fails_in_about_two_seconds_naming_it(
    here: Path, tmp_path: Path, network: str
) -> None:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    if network == "no DNS":
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(NO_DNS, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
        reached = "cannot reach translate.google.com: its name does not resolve"
    else:
        env["HTTPS_PROXY"] = f"http://127.0.0.1:{closed_port()}"
        reached = ("cannot reach translate.google.com: the proxy in HTTPS_PROXY cannot be"
                   " reached (the connection was refused)")
    code, err, took = narrate_process("build", "river.md", "--engine", "gtts", cwd=here,
                                      env=env)
    assert code == 1
    (line,) = lines(err)
    assert line.startswith(f"narrate: error: {reached} (tried for 2.")
    assert line.endswith("use --engine kokoro (Kokoro-82M, the natural offline voice), or"
                         " --engine auto, which takes it when Google does not answer")
    assert "chunk" not in line and "cached" not in line
    assert took < 5.0, f"{took:.1f} s"  # the process's start, then two seconds of tries


def test_no_library_warning_without_ffmpeg_on_the_path(here: Path, tmp_path: Path) -> None:
    """ffmpeg comes from imageio-ffmpeg: on a PATH without one pydub has nothing to warn."""
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bare)}
    code, err, _ = narrate_process("build", "river.md", "--engine", "espeak", cwd=here, env=env)
    assert code == 0, err
    assert err == ""
    assert list((here / "audio").glob("*.mp3"))
