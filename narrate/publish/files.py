"""The files of an episode: their names, for every version.

The first build of an episode has the plain names (``<slug>.mp3``, …); a rebuild adds its
version (``<slug>.<version>.mp3``). The embed page has one name for every version.
"""

from __future__ import annotations

from pathlib import Path

from narrate.fsutil import inside


def episode_paths(out_dir: Path, slug: str, version: str = "") -> dict[str, Path]:
    """The files of version ``version`` of episode ``slug`` (``""``: the plain names), each
    checked to stay inside ``out_dir``. The page has one name for every version."""
    stem = f"{slug}.{version}" if version else slug
    names = {
        "audio": f"{stem}.mp3",
        "chapters_json": f"{stem}.chapters.json",
        "captions": f"{stem}.vtt",
        "chapters_vtt": f"{stem}.chapters.vtt",
        "page": f"{slug}.html",
    }
    return {key: inside(out_dir, name) for key, name in names.items()}
