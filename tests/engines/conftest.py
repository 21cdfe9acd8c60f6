"""Fake Google for engine tests: every HTTP request goes to ``responses``; an unmatched one
raises ConnectionError (and the suite-wide socket guard catches anything that slips by)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.fakes.google import FakeGoogle


@pytest.fixture(autouse=True)
def http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def google(http: responses.RequestsMock) -> FakeGoogle:
    return FakeGoogle(http)


class Sleeps:
    """An injected ``sleep`` that records and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
