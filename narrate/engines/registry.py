"""Every engine narrate can use, by name: its own (:mod:`narrate.engines.builtin`) and those
other packages register, the way beets finds its plug-ins.

A package adds an engine by declaring an entry point in the ``narrate.engines`` group that
names its :class:`~narrate.engines.spec.EngineSpec` (a light module: the engine's code is
imported only when the engine is created, from the spec's ``factory``)::

    [project.entry-points."narrate.engines"]
    tone = "narrate_tone:SPEC"

The entry points are read once per process, when a spec is first asked for (never by
``narrate --help`` alone), and only the specs are imported. A broken plug-in (it cannot be
imported, or names no spec, or takes the name of an engine already known) is left out with
one warning; it never stops narrate.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Mapping
from typing import Any

from narrate.engines.base import Engine
from narrate.engines.builtin import BUILTIN
from narrate.engines.spec import EngineSpec
from narrate.errors import EngineUnavailable, UsageError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "narrate.engines"
#: ``auto`` chooses among the engines that have a place in its order (``EngineSpec.auto``):
#: the first online one that answers, else the first offline one that can be used.
AUTO = "auto"


@functools.cache
def registered() -> Mapping[str, EngineSpec]:
    """Every engine by name: narrate's own, then the plug-ins' by name. Read once per process
    (the installed packages are the process's, like the import system's own caches)."""
    specs = {spec.name: spec for spec in BUILTIN}
    for name, spec in sorted(_plugins().items()):
        if name in specs or name == AUTO:
            log.warning("engine %r from a plug-in is left out: narrate already has an engine "
                        "of that name", name)
            continue
        specs[name] = spec
    return specs


def _plugins() -> dict[str, EngineSpec]:
    """The specs the ``narrate.engines`` entry points name (each loaded: its module only)."""
    from importlib.metadata import entry_points

    found: dict[str, EngineSpec] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = point.load()
        except Exception as e:  # a plug-in's bug must not stop narrate
            log.warning("engine %r is left out: its entry point %s cannot be loaded (%s: %s)",
                        point.name, point.value, type(e).__name__, e)
            continue
        if not isinstance(spec, EngineSpec) or spec.name != point.name:
            log.warning("engine %r is left out: its entry point %s names no EngineSpec of "
                        "that name", point.name, point.value)
            continue
        found.setdefault(spec.name, spec)
    return found


def engine_names() -> tuple[str, ...]:
    """What ``--engine`` takes: ``auto``, then every engine by name."""
    return (AUTO, *registered())


def auto_order() -> tuple[EngineSpec, ...]:
    """The engines ``auto`` tries, in order."""
    ranked = [s for s in registered().values() if s.auto is not None]
    return tuple(sorted(ranked, key=lambda s: (s.auto, s.name)))


def engine_spec(name: str) -> EngineSpec:
    """The spec of engine ``name``; ``auto`` gives the strictest limits of the engines it
    may choose."""
    if name == AUTO:
        order = auto_order()
        first = order[0]
        said = [s.name if s.offline else f"{s.name} when {s.label} answers" for s in order]
        return EngineSpec(
            name=AUTO,
            factory="",
            description=", else ".join(said),
            label="auto",
            offline=all(s.offline for s in order),
            max_chars=min(s.max_chars for s in order),
            audio_format=first.audio_format,
            languages=first.languages,
            phonemes=all(s.phonemes for s in order),
        )
    try:
        return registered()[name]
    except KeyError:
        known = ", ".join(engine_names())
        raise UsageError(f"unknown engine {name!r}; choose one of: {known}") from None


def candidates(name: str) -> tuple[EngineSpec, ...]:
    """The engines a build with ``--engine name`` may use: that one, or ``auto``'s."""
    return auto_order() if name == AUTO else (engine_spec(name),)


def offline(engine: Engine) -> bool:
    """Whether ``engine`` sends no request anywhere, by its spec (an engine narrate does
    not know, such as a test's, is taken to need the network)."""
    spec = registered().get(engine.name)
    return spec is not None and spec.offline


def create_engine(name: str, **options: Any) -> Engine:
    """Import and build engine ``name`` with ``options`` (see
    :meth:`~narrate.engines.spec.EngineSpec.settings`)."""
    if name == AUTO:
        raise UsageError("'auto' is resolved by narrate.synth.resolve_engine, not created")
    spec = engine_spec(name)
    module_name, _, attribute = spec.factory.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise EngineUnavailable(f"engine {name!r} cannot be loaded: {e}", engine=name) from e
    engine: Engine = getattr(module, attribute)(**options)
    return engine
