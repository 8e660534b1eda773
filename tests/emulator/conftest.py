"""Fixtures for the emulator's own tests: a fresh server, a driver and a PTB ``Bot``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from emulator import BotApiServer, Driver

TOKEN = "123456:TEST-token"


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


@pytest.fixture
def tg(server: BotApiServer) -> Driver:
    return Driver(server, TOKEN)


def make_bot(server: BotApiServer, token: str = TOKEN) -> telegram.Bot:
    return telegram.Bot(
        token,
        base_url=f"{server.root_url}/bot",
        base_file_url=f"{server.root_url}/file/bot",
    )


@pytest.fixture
async def bot(server: BotApiServer, tg: Driver) -> AsyncIterator[telegram.Bot]:
    async with make_bot(server) as client:
        yield client
