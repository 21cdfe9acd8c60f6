"""Clips to one produced MP3: pauses, loudness, encoding, ID3 tags and chapters.

The pipeline calls :func:`render_episode` (returns the :class:`~narrate.model.Timeline` every
published time comes from), then :func:`write_tags` once the MP3 is final.
"""

from __future__ import annotations

# First: pydub meets narrate's ffmpeg before it looks for one on PATH.
from narrate.mix import _pydub  # noqa: F401  isort: skip
from narrate.mix.render import render_episode as render_episode
from narrate.mix.settings import MixSettings as MixSettings
from narrate.mix.tags import write_tags as write_tags
