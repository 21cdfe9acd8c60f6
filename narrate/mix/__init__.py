"""Clips to one produced MP3: pauses, loudness, encoding, ID3 tags and chapters.

The pipeline calls :func:`render_episode` (returns the :class:`~narrate.model.Timeline` every
published time comes from), then :func:`write_tags` once the MP3 is final.
"""

from __future__ import annotations

from narrate.mix.render import render_episode as render_episode
from narrate.mix.settings import MixSettings as MixSettings
from narrate.mix.tags import write_tags as write_tags
