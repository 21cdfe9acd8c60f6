"""The local news site every follow test reads, and the in-process ``narrate``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.conftest import run_cli
from tests.follow.site import NewsSite, Served, serve

__all__ = ["run_cli", "site"]


@pytest.fixture
def site() -> Iterator[Served]:
    yield from serve(NewsSite())
