"""The build fingerprint follows every setting that reaches an episode's files, and only
those: a property over all settings.

For every field of :class:`BuildSettings` and of the :class:`MixSettings` inside it (the
table below must name each one: a new setting cannot be forgotten), the setting is changed
to another valid value and three episodes are built for real (espeak-ng, the mixer,
ID3 tags, the sidecars): an article that names its author, one that does not, and the
latter with an intro and an outro. For each, the fingerprint changes exactly when some byte
of the episode's files changes: no stale episode is skipped, and no unchanged one rebuilt.
"""

from __future__ import annotations

import dataclasses
import shutil
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from narrate.batch.changes import fingerprint
from narrate.engines.registry import create_engine
from narrate.model import Article, Section
from narrate.pipeline import BuildSettings, load_script, stage_episode
from narrate.text.lexicon import load_lexicon
from tests.mix.test_music import tone
from tests.publish.test_artwork import png_bytes

pytestmark = pytest.mark.slow

#: Every pause of the mix is heard: a title, a heading, paragraphs, sentences, a sentence
#: longer than a chunk (espeak-ng's 300 characters) cut at its comma, and one cut between
#: phrases.
BODY = (
    "## बारिश का हाल\n\n"
    "आज सुबह शहर के लगभग सभी इलाकों में तेज़ बारिश हुई और निचले हिस्सों में पानी भर गया। "
    "दोपहर तक कई प्रमुख सड़कों पर पानी भरा रहा और लोग परेशान रहे।\n\n"
    "मौसम विभाग ने कहा है कि अगले दो दिनों तक प्रदेश के उत्तरी और पूर्वी हिस्सों के कई ज़िलों में "
    "मध्यम से भारी बारिश होगी और कुछ जगहों पर बिजली गिरने की आशंका भी बनी रहेगी, "
    "इसलिए किसानों को खेतों से पानी निकालने का इंतज़ाम पहले से रखना चाहिए और "
    "नदी किनारे रहने वाले परिवारों को प्रशासन के निर्देश मिलते ही सुरक्षित जगहों पर "
    "जाने के लिए तैयार रहना चाहिए।\n\n"
    "## यातायात\n\nकई रास्तों पर जाम लगा रहा।\n\n"
    "राज्य सरकार ने आज बाढ़ प्रभावित इलाकों में राहत सामग्री पहुंचाने के लिए सेना के "
    "हेलिकॉप्टरों की मदद लेने का फैसला किया है जिससे दूर दराज़ के गांवों में फंसे हुए "
    "लोगों तक खाना पानी दवाइयां और ज़रूरी सामान समय पर पहुंचाया जा सके और बीमार लोगों को "
    "नज़दीकी अस्पतालों तक ले जाने की व्यवस्था भी की जा सके जिसके लिए ज़िला प्रशासन ने "
    "हर प्रखंड में अलग अलग दल बनाए हैं।\n"
)
AUTHORED = "---\ntitle: बारिश से राहत\nauthor: सीमा वर्मा\n---\n\n" + BODY
UNSIGNED = "# बारिश से राहत\n\n" + BODY


def field_paths(cls: type, prefix: str = "") -> list[str]:
    """Every field of the settings dataclass ``cls``, nested ones as ``mix.name``."""
    out = []
    for f in dataclasses.fields(cls):
        kind = f.default_factory if f.default_factory is not dataclasses.MISSING else None
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            out += field_paths(kind, f"{prefix}{f.name}.")
        else:
            out.append(prefix + f.name)
    return out


def _copy_of_cache(d: Path) -> Path:
    """Another cache folder with the same clips: espeak-ng says a text a little differently
    each time it is asked, so a cache without them would change the audio."""
    other = d / "other-cache"
    if not other.exists():
        shutil.copytree(d / "cache", other)
    return other


def _other_article(source: str) -> Article:
    return Article("दूसरी खबर", (Section("", ("कुछ और हुआ।",), heading=False),))


#: Another valid value of each setting, as a function of the test's folder.
CHANGES: dict[str, Callable[[Path], Any]] = {
    "engine": lambda d: "auto",  # the name alone: the engine used is what counts
    "cache_dir": lambda d: _copy_of_cache(d),
    "lexicon": lambda d: load_lexicon(d / "rules.tsv"),
    "jobs": lambda d: 3,
    "podcast": lambda d: "दूसरा पॉडकास्ट",
    "cover": lambda d: d / "cover-b.png",
    "author": lambda d: "संपादक",
    "fmt": lambda d: "txt",
    "timeout": lambda d: 3.0,
    "engine_options": lambda d: {"espeak": {"rate": 220}},
    "article_reader": lambda d: _other_article,
    "mix.clause_pause_ms": lambda d: 600,
    "mix.phrase_pause_ms": lambda d: 400,
    "mix.sentence_pause_ms": lambda d: 900,
    "mix.paragraph_pause_ms": lambda d: 1500,
    "mix.section_pause_ms": lambda d: 2500,
    "mix.heading_pause_ms": lambda d: 1200,
    "mix.title_pause_ms": lambda d: 2000,
    "mix.lead_in_ms": lambda d: 900,
    "mix.tail_ms": lambda d: 2000,
    "mix.chapter_lead_ms": lambda d: 500,
    "mix.loudness_lufs": lambda d: -23.0,
    "mix.true_peak_db": lambda d: -12.0,
    "mix.bitrate": lambda d: "128k",
    "mix.stereo": lambda d: True,
    "mix.sample_rate": lambda d: 48000,
    "mix.intro": lambda d: d / "intro-b.wav",
    "mix.outro": lambda d: d / "outro-b.wav",
    "mix.music_fade_in_ms": lambda d: 600,
    "mix.music_fade_out_ms": lambda d: 1500,
    "mix.music_gap_ms": lambda d: 1200,
    "mix.music_lead_ms": lambda d: 3000,
    "mix.music_duck_db": lambda d: 20.0,
    "mix.music_duck_ramp_ms": lambda d: 700,
    "mix.music_swell_ms": lambda d: 2000,
    "mix.music_level_db": lambda d: -12.0,
    "mix.trim_silence_db": lambda d: -20.0,
    "mix.trim_keep_ms": lambda d: 200,
}


def test_the_table_names_every_setting() -> None:
    assert sorted(CHANGES) == sorted(field_paths(BuildSettings))


def write_wav(path: Path, freq: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(tone(44100, 12_000, freq, 0.3))
    return path


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("fingerprint")
    (d / "authored.md").write_text(AUTHORED, encoding="utf-8")
    (d / "unsigned.md").write_text(UNSIGNED, encoding="utf-8")
    (d / "rules.tsv").write_text("बारिश\tवर्षा\n", encoding="utf-8")
    (d / "cover-a.png").write_bytes(png_bytes(64, 64))
    (d / "cover-b.png").write_bytes(png_bytes(64, 64, colour_type=0))
    for name, freq in (("intro-a", 440.0), ("intro-b", 660.0), ("outro-a", 330.0),
                       ("outro-b", 550.0)):
        write_wav(d / f"{name}.wav", freq)
    return d


def base(d: Path) -> BuildSettings:
    return BuildSettings(engine="espeak", cache_dir=d / "cache", cover=d / "cover-a.png",
                         author="समाचार डेस्क")


#: The three episodes: (article, with music).
CASES = (("authored.md", False), ("unsigned.md", False), ("unsigned.md", True))


def replaced(settings: BuildSettings, path: str, value: Any) -> BuildSettings:
    if path.startswith("mix."):
        return dataclasses.replace(
            settings, mix=dataclasses.replace(settings.mix, **{path[4:]: value}))
    return dataclasses.replace(settings, **{path: value})


def with_music(settings: BuildSettings, d: Path) -> BuildSettings:
    mix = settings.mix
    return dataclasses.replace(settings, mix=dataclasses.replace(
        mix, intro=mix.intro or d / "intro-a.wav", outro=mix.outro or d / "outro-a.wav"))


def build(d: Path, source: str, settings: BuildSettings, work: Path
          ) -> tuple[str, dict[str, bytes]]:
    """The fingerprint and the files of the episode, as a batch makes them: the engine
    from the settings, the script read with them."""
    engine = create_engine("espeak", **settings.engine_options.get("espeak", {}))
    script = load_script(str(d / source), engine.name, settings)
    stage = work / f"stage-{len(list(work.iterdir()))}"
    stage.mkdir()
    episode = stage_episode(str(d / source), engine, settings, script=script, slug="ep",
                            stage_dir=stage)
    return (fingerprint(script, engine, settings),
            {key: path.read_bytes() for key, path in episode.files.items()})


@pytest.fixture(scope="module")
def baseline(place: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[tuple[str, bool], tuple[str, dict[str, bytes]]]:
    work = tmp_path_factory.mktemp("work")
    settings = base(place)
    return {
        (source, music): build(place, source,
                               with_music(settings, place) if music else settings, work)
        for source, music in CASES
    }


@pytest.mark.parametrize("path", sorted(CHANGES))
def test_a_setting_rebuilds_exactly_the_episodes_it_reaches(
    path: str, place: Path, baseline: dict[tuple[str, bool], tuple[str, dict[str, bytes]]],
    tmp_path: Path,
) -> None:
    changed = replaced(base(place), path, CHANGES[path](place))
    for source, music in CASES:
        settings = with_music(changed, place) if music else changed
        fp, files = build(place, source, settings, tmp_path)
        old_fp, old_files = baseline[(source, music)]
        output_changed = files != old_files
        assert (fp != old_fp) == output_changed, (
            f"{path} on {source}{' with music' if music else ''}: the output "
            f"{'changed' if output_changed else 'did not change'} but the fingerprint "
            f"{'did not' if output_changed else 'did'}")


def test_a_file_setting_counts_by_its_bytes(place: Path, tmp_path: Path) -> None:
    """The cover at the same path with other bytes is another cover."""
    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(64, 64))
    settings = dataclasses.replace(base(place), cover=cover)
    first, _ = build(place, "unsigned.md", settings, tmp_path)
    cover.write_bytes(png_bytes(32, 32))
    second, _ = build(place, "unsigned.md", settings, tmp_path)
    assert first != second


def test_a_pause_counts_only_where_the_article_makes_it(place: Path) -> None:
    """Short sentences never cut at a comma: the comma's pause reaches nothing; the
    sentence's pause reaches every article with two sentences."""
    article = place / "short.md"
    article.write_text("# छोटी ख़बर\n\nबारिश रुकी। धूप निकली, पर ठंड रही।\n", encoding="utf-8")
    engine = create_engine("espeak")
    settings = base(place)
    script = load_script(str(article), engine.name, settings)
    assert all(c.ends != "clause" for s in script.sections for c in s.chunks)
    first = fingerprint(script, engine, settings)
    for name, same in (("clause_pause_ms", True), ("phrase_pause_ms", True),
                       ("sentence_pause_ms", False)):
        changed = replaced(settings, f"mix.{name}", 999)
        assert (fingerprint(script, engine, changed) == first) == same, name
