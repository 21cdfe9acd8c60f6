"""What changed since an episode was built: its fingerprint, and the episodes that may be
skipped.

Each build records a fingerprint of everything that shapes the episode (the script read
from the article, the engine's identity, the mix settings, the podcast name, the bytes of
the intro, outro and cover, and narrate's version) in the store's build manifest. When the
fingerprint is the same, the episode's files are all present and the index lists it, the
article is skipped without asking the engine for anything and without touching a file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from narrate import __version__
from narrate.engines.base import Engine
from narrate.errors import PublishError
from narrate.fsutil import open_regular
from narrate.model import Script
from narrate.pipeline import BuildSettings
from narrate.publish.folder import OutputFolder

log = logging.getLogger(__name__)


def _file_digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        with open_regular(path) as f:  # streamed: music of any length costs no memory
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return "unreadable"


def fingerprint(script: Script, engine: Engine, settings: BuildSettings) -> str:
    """A digest of everything that shapes the episode of ``script`` (see the module doc).

    The script already carries the article's text after reading, normalizing and the
    lexicon, so a change in any of those changes it; the cache folder and ``jobs`` do not
    change the episode and are left out.
    """
    mix = settings.mix
    parts = {
        "narrate": __version__,
        "script": repr(script),
        "engine": json.dumps(dict(engine.identity()), sort_keys=True),
        "mix": repr(mix),
        "intro": _file_digest(mix.intro),
        "outro": _file_digest(mix.outro),
        "cover": _file_digest(settings.cover),
        "podcast": settings.podcast,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def up_to_date(folder: OutputFolder) -> dict[str, str]:
    """Source key to fingerprint of the episodes that may be skipped: recorded in the
    build manifest, listed in the index under the same slug, and with all their files
    present."""
    store = folder.store
    try:
        builds = store.builds()
        indexed = {row["key"]: (row["slug"], row["version"]) for row in store.episodes()}
    except PublishError as e:
        log.warning("%s; every article will be rebuilt", e)
        return {}
    done = {}
    for key, (slug, fp) in builds.items():
        live = indexed.get(key)
        if live is None or live[0] != slug or not slug:
            continue
        if all(p.is_file() for p in folder.paths(slug, live[1]).values()):
            done[key] = fp
    return done
