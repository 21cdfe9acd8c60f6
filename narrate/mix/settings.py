"""How an episode sounds: pauses, loudness, encoding. Every number is configurable."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from narrate.errors import UsageError
from narrate.model import reaches

MONO_TARGET_LUFS = -19.0
#: The settings that hold music: the music's own settings reach the MP3 only with them.
MUSIC = ("intro", "outro")
STEREO_TARGET_LUFS = -16.0


@dataclass(frozen=True)
class MixSettings:
    """Settings for :func:`narrate.mix.render_episode`. Every field reaches the MP3 (see
    :data:`narrate.model.Reach`: the music by its bytes, the pauses by the pauses they make
    between the script's chunks, the rest by value), the music's settings only with music,
    the lead-in only without an intro.

    Pauses are the silence between one clip's last sound and the next clip's first sound
    (the engines' own padding is trimmed away first). The most specific rule applies: before a
    section it is ``section_pause_ms`` whatever the last sentence ended with; after a heading,
    ``heading_pause_ms``; after the title, ``title_pause_ms``.
    """

    #: After a chunk cut mid-sentence at clause punctuation (``ends`` is ``clause``).
    clause_pause_ms: int = field(default=250, metadata=reaches("pauses"))
    #: After a chunk cut mid-sentence where the text has no punctuation (``ends`` is
    #: ``phrase`` or ``word``): no pause a reader would make, only the shortest join that
    #: does not run the two clips' sounds together.
    phrase_pause_ms: int = field(default=60, metadata=reaches("pauses"))
    #: After a sentence.
    sentence_pause_ms: int = field(default=550, metadata=reaches("pauses"))
    #: After a paragraph.
    paragraph_pause_ms: int = field(default=900, metadata=reaches("pauses"))
    #: Before the first sound of a new section (its heading, or its text when untitled).
    section_pause_ms: int = field(default=1400, metadata=reaches("pauses"))
    #: After a heading, before the section's text.
    heading_pause_ms: int = field(default=750, metadata=reaches("pauses"))
    #: After the title and date that open the episode.
    title_pause_ms: int = field(default=1300, metadata=reaches("pauses"))
    #: Silence before the first sound of the episode (when there is no intro).
    lead_in_ms: int = field(default=300, metadata=reaches(unless=("intro",)))
    #: Silence after the last sound of the episode.
    tail_ms: int = 800
    #: A chapter starts this long before its section's first sound (at most half the pause):
    #: a player that jumps to it lands in silence, never on a clipped first syllable.
    chapter_lead_ms: int = 300

    #: Integrated loudness target in LUFS; None means −19 for mono and −16 for stereo.
    loudness_lufs: float | None = None
    #: Ceiling for the true peak, in dBTP.
    true_peak_db: float = -1.0
    #: MP3 bit rate (constant), as ffmpeg spells it.
    bitrate: str = "96k"
    stereo: bool = False
    sample_rate: int = 44100

    #: Music under the opening title (a bed) and after the last words (any format ffmpeg
    #: reads). The intro plays alone for ``music_lead_ms``, goes down by ``music_duck_db``
    #: while the title is spoken, comes back up for ``music_swell_ms`` and fades out; the
    #: text begins when it has faded. The outro follows the last words after ``music_gap_ms``.
    intro: Path | None = field(default=None, metadata=reaches("file"))
    outro: Path | None = field(default=None, metadata=reaches("file"))
    #: Fades applied to the intro and outro; and the silence between speech and the outro.
    music_fade_in_ms: int = field(default=150, metadata=reaches(needs=MUSIC))
    music_fade_out_ms: int = field(default=700, metadata=reaches(needs=MUSIC))
    music_gap_ms: int = field(default=500, metadata=reaches(needs=("outro",)))
    #: The intro alone before the title is heard.
    music_lead_ms: int = field(default=2000, metadata=reaches(needs=("intro",)))
    #: How far the intro goes down under the spoken title, in dB (0: not at all).
    music_duck_db: float = field(default=12.0, metadata=reaches(needs=("intro",)))
    #: How long the intro takes to go down before the title, and to come back up after it.
    music_duck_ramp_ms: int = field(default=300, metadata=reaches(needs=("intro",)))
    #: The intro at full level after the title, before its fade-out.
    music_swell_ms: int = field(default=1200, metadata=reaches(needs=("intro",)))
    #: The music's loudness (RMS) relative to the speech next to it (the title for the
    #: intro, the last words for the outro), in dB, before any ducking.
    music_level_db: float = field(default=-6.0, metadata=reaches(needs=MUSIC))

    #: Sound quieter than this (peak, dBFS) at a clip's ends is engine padding and is trimmed.
    trim_silence_db: float = -50.0
    #: How much of the quiet edge to keep around a clip's first and last sound.
    trim_keep_ms: int = 20

    @property
    def target_lufs(self) -> float:
        if self.loudness_lufs is not None:
            return self.loudness_lufs
        return STEREO_TARGET_LUFS if self.stereo else MONO_TARGET_LUFS

    @property
    def channels(self) -> int:
        return 2 if self.stereo else 1

    def validate(self) -> None:
        """Raise UsageError (a ValueError) when a setting cannot work."""
        pauses = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name.endswith("_ms")
        }
        for name, value in pauses.items():
            if not isinstance(value, int) or value < 0:
                raise UsageError(f"{name} must be a whole number of ms ≥ 0, not {value!r}")
        if self.sample_rate not in (22050, 24000, 32000, 44100, 48000):
            raise UsageError(f"sample_rate {self.sample_rate} is not an MP3 rate narrate uses")
        if not -40.0 <= self.target_lufs <= -5.0:
            raise UsageError(f"loudness {self.target_lufs} LUFS is outside −40…−5")
        if not -20.0 <= self.true_peak_db <= 0.0:
            raise UsageError(f"true peak {self.true_peak_db} dBTP is outside −20…0")
        if not self.bitrate.rstrip("k").isdigit():
            raise UsageError(f"bitrate {self.bitrate!r} is not like '96k'")
        if not 0.0 <= self.music_duck_db <= 40.0:
            raise UsageError(f"music ducking {self.music_duck_db} dB is outside 0…40")
        if not -30.0 <= self.music_level_db <= 10.0:
            raise UsageError(f"music level {self.music_level_db} dB is outside −30…+10")
        for name, music in (("intro", self.intro), ("outro", self.outro)):
            if music is not None and not music.is_file():
                raise UsageError(f"{name} {music} is not a file")
