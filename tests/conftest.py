"""Fixtures shared by the tests (helpers to import by name are in ``helpers.py``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefer.settings import Settings

from .feedserver import FeedServer
from .helpers import SEEDS, make_settings


@pytest.fixture
def settings(tmp_path: Path):
    """Factory: ``settings(**overrides)``."""

    def factory(**overrides: Any) -> Settings:
        return make_settings(tmp_path, **overrides)

    return factory


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No BRIEFER_* variable from the caller's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("BRIEFER_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on loopback serving the feeds and pages a test adds."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def fault_server(feed_server: FeedServer) -> FeedServer:
    """:func:`feed_server` with every misbehaving endpoint under ``/fault/``."""
    feed_server.add_faults()
    return feed_server
