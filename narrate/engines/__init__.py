"""Speech engines behind one small Protocol, registered by name and imported lazily."""

from narrate.engines.base import (
    ENGINES,
    Engine,
    EngineSpec,
    create_engine,
    engine_spec,
)

__all__ = ["ENGINES", "Engine", "EngineSpec", "create_engine", "engine_spec"]
