"""Speech engines: each described once by an :class:`~narrate.engines.spec.EngineSpec`,
found by name in :mod:`narrate.engines.registry` (narrate's own and other packages'), and
imported only when one is created."""
