"""The local news site every follow test reads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.follow.site import NewsSite, Served, serve


@pytest.fixture
def site() -> Iterator[Served]:
    yield from serve(NewsSite())
