"""What changed since an episode was built: its fingerprint, and the episodes that may be
skipped.

Each build records a fingerprint of everything that shapes the episode: the script read
from the article (the text after reading, normalizing and the pronunciation rules), the
engine's identity, narrate's version, and every setting that reaches the episode's files,
read from the settings' own dataclass fields as they declare it
(:data:`narrate.model.Reach`): a new setting is fingerprinted the moment it exists, and a
setting is counted only for the episodes it reaches (the podcast's author only for an
article that names none). When the fingerprint is the same, the episode's files are all
present and the index lists it, the article is skipped without asking the engine for
anything and without touching a file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from narrate import __version__
from narrate.engines.base import Engine
from narrate.errors import PublishError
from narrate.fsutil import open_regular
from narrate.mix.timeline import pauses
from narrate.model import REACHES, Script
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


def reaching(settings: Any, script: Script) -> dict[str, Any]:
    """What of the settings dataclass ``settings`` reaches the episode of ``script``, by
    field name (nested settings nested), as its fields declare it."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        how = f.metadata.get(REACHES, "value")
        value = getattr(settings, f.name)
        if how in ("none", "script", "engine", "pauses"):
            continue
        needs = f.metadata.get("needs", ())
        if needs and all(getattr(settings, name) is None for name in needs):
            continue
        if any(getattr(settings, name) is not None for name in f.metadata.get("unless", ())):
            continue
        if how == "fallback" and getattr(script, f.name, None):
            continue
        if how == "file":
            out[f.name] = _file_digest(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out[f.name] = reaching(value, script)
        else:
            out[f.name] = repr(value)
    return out


def fingerprint(script: Script, engine: Engine, settings: BuildSettings) -> str:
    """A digest of everything that shapes the episode of ``script`` (see the module doc)."""
    parts = {
        "narrate": __version__,
        "script": repr(script),
        "engine": json.dumps(dict(engine.identity()), sort_keys=True),
        "settings": reaching(settings, script),
        "pauses": pauses(script, settings.mix),  # the pause settings, as this script uses them
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
