"""The engines narrate ships, described once (see :class:`~narrate.engines.spec.EngineSpec`).

Each engine module reads its own spec from here (its name, chunk limit, voices, speed range
and option ranges), and the command line, ``auto``, a batch and ``narrate engines`` read the
same spec, so no fact about an engine is written twice. Engines from other packages join
through the ``narrate.engines`` entry point group (:mod:`narrate.engines.registry`).
"""

from __future__ import annotations

from narrate.engines.spec import EngineSpec, Option, Voice

GTTS = EngineSpec(
    name="gtts",
    factory="narrate.engines.gtts_engine:GTTSEngine",
    description="Google's Hindi voice through the gTTS library (online)",
    label="Google",
    offline=False,
    max_chars=100,
    audio_format="mp3",
    options=(
        Option("tld", "gTTS: Google host's top-level domain.", "com"),
        Option("slow", "gTTS: read slowly.", False),
    ),
    auto=0,
)

ESPEAK = EngineSpec(
    name="espeak",
    factory="narrate.engines.espeak_engine:EspeakEngine",
    description="espeak-ng's Hindi voice, bundled through espeakng-loader (offline)",
    label="espeak-ng",
    offline=True,
    max_chars=300,
    audio_format="wav",
    options=(
        Option("rate", "espeak: words per minute.", 175, range=(80, 450)),
        Option("pitch", "espeak: pitch (50 is the voice's own).", 50, range=(0, 100)),
    ),
    auto=2,
)

KOKORO = EngineSpec(
    name="kokoro",
    factory="narrate.engines.kokoro_engine:KokoroEngine",
    description="Kokoro-82M's natural Hindi voices, from PyPI and vendored files (offline)",
    label="Kokoro-82M",
    offline=True,
    # A whole sentence per run: Hindi news gives 1.4-1.6 phoneme tokens per character, so
    # 300 stays under the model's 510 tokens (kokoro_engine.MAX_CHARS).
    max_chars=300,
    audio_format="wav",
    voices=(
        Voice("hf_alpha", "female"),
        Voice("hf_beta", "female"),
        Voice("hm_omega", "male"),
        Voice("hm_psi", "male"),
    ),
    # Chosen by listening-by-numbers on the corpus (docs/benchmarks.md, "Kokoro voices").
    default_voice="hf_alpha",
    speed=(0.5, 2.0),
    auto=1,
    details="narrate.engines.kokoro_engine:details",
    phonemes=True,
)

#: In the order ``narrate engines`` lists them.
BUILTIN: tuple[EngineSpec, ...] = (GTTS, ESPEAK, KOKORO)
