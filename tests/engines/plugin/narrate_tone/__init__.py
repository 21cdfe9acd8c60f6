"""A speech engine from another package, for narrate's tests: it "says" a chunk as a pure
tone, one beep whose length follows the text. Only this module is imported to list it;
the engine itself (:mod:`narrate_tone.engine`) is imported when a build uses it.

It joins narrate through the ``narrate.engines`` entry point group, declared in
``narrate_tone-1.0.dist-info/entry_points.txt`` beside this folder (what ``pip install``
writes for a package whose pyproject.toml declares the entry point).
"""

from narrate.engines.spec import EngineSpec, Option, Voice

SPEC = EngineSpec(
    name="tone",
    factory="narrate_tone.engine:ToneEngine",
    description="a pure tone for each chunk (a test plug-in, offline)",
    label="tone",
    offline=True,
    max_chars=80,
    audio_format="wav",
    voices=(Voice("low", "220 Hz"), Voice("high", "440 Hz")),
    default_voice="low",
    speed=(0.5, 3.0),
    options=(Option("octave", "tone: octaves above the voice's pitch.", 0, range=(0, 2)),),
)
