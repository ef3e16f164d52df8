"""Shared fixtures: a fresh SQLite store per test and the real bot for SimCord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import HearthBot
from bot.config import Settings
from bot.demo.sim import simulated_bot, simulated_settings
from bot.store import Store


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'hearth.db'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return simulated_settings(database_url)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    async with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def simcord_bot(store: Store, settings: Settings) -> HearthBot:
    return simulated_bot(store, settings)
