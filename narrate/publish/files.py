"""The files of an episode, declared once as data.

mutagen declares each ID3 frame as a list of field specs and lets one reader and one writer
walk it; an episode's files are declared the same way, in :data:`EPISODE_FILES`: the name
after the slug, the media type, what writes the file, and its role in the feed. Everything
else walks that table: staging (:func:`narrate.pipeline.stage_episode` writes every file
that has a ``write``), the episode switch and the sweep of old versions
(:mod:`narrate.publish.folder`), ``episodes.json`` (each entry's ``files``), the feed (each
file with a ``feed`` role), a cluster's workers (what they send back), the skip of
unchanged episodes (all files present) and ``narrate build --json``. Adding a file to
every episode is one entry here.

The first build of an episode has the plain names (``<slug>.mp3``, …); a rebuild adds its
version (``<slug>.<version>.mp3``). The embed page has one name for every version: it is
the episode's pointer, rewritten when a version is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from narrate.fsutil import inside
from narrate.model import Script, Timeline
from narrate.publish.chapters import MIME_TYPE as CHAPTERS_TYPE
from narrate.publish.chapters import chapters_json
from narrate.publish.transcript import transcript_text
from narrate.publish.vtt import captions_vtt, chapters_vtt

#: How the feed's ``<item>`` names a file: the ``<enclosure>``, the ``<podcast:chapters>``,
#: or a ``<podcast:transcript>``.
FeedRole = Literal["enclosure", "chapters", "transcript"]
#: A text file's writer: its text, from the script and the timeline every time comes from.
Writer = Callable[[Script, Timeline], str]


@dataclass(frozen=True)
class EpisodeFile:
    """One file of every episode.

    ``key`` names it everywhere (``Episode.files``, ``episodes.json``, ``--json``);
    ``suffix`` follows the slug (and the version); ``write`` makes its text when the
    episode is staged (None: the MP3, which the mixer renders and tags, and the page,
    written when a version is published); ``feed`` is its role in the feed, ``rel`` the
    transcript's ``rel`` there; ``versioned`` is False for the one file that keeps its name
    across versions (the page).
    """

    key: str
    suffix: str
    media_type: str
    write: Writer | None = None
    feed: FeedRole | None = None
    rel: str | None = None
    versioned: bool = True

    def name(self, slug: str, version: str = "") -> str:
        stem = f"{slug}.{version}" if version and self.versioned else slug
        return f"{stem}{self.suffix}"


def _chapters_json(script: Script, timeline: Timeline) -> str:
    return chapters_json(timeline, title=script.title)


def _captions(script: Script, timeline: Timeline) -> str:
    return captions_vtt(timeline)


def _chapters_track(script: Script, timeline: Timeline) -> str:
    return chapters_vtt(timeline)


EPISODE_FILES: tuple[EpisodeFile, ...] = (
    EpisodeFile("audio", ".mp3", "audio/mpeg", feed="enclosure"),
    EpisodeFile("chapters_json", ".chapters.json", CHAPTERS_TYPE, _chapters_json,
                feed="chapters"),
    EpisodeFile("captions", ".vtt", "text/vtt", _captions, feed="transcript", rel="captions"),
    EpisodeFile("chapters_vtt", ".chapters.vtt", "text/vtt", _chapters_track),
    EpisodeFile("transcript", ".txt", "text/plain", transcript_text, feed="transcript"),
    EpisodeFile("page", ".html", "text/html", versioned=False),
)
#: The files of one version: staged together, switched in together, deleted together.
MEDIA: tuple[EpisodeFile, ...] = tuple(f for f in EPISODE_FILES if f.versioned)


def episode_paths(out_dir: Path, slug: str, version: str = "") -> dict[str, Path]:
    """Every file of version ``version`` of episode ``slug`` (``""``: the plain names) by
    key, each checked to stay inside ``out_dir``."""
    return {f.key: inside(out_dir, f.name(slug, version)) for f in EPISODE_FILES}


def media_paths(folder: Path, slug: str, version: str = "") -> dict[str, Path]:
    """The files of one version of episode ``slug`` in ``folder`` (no page), by key."""
    return {f.key: inside(folder, f.name(slug, version)) for f in MEDIA}
