"""End to end: one update python-telegram-bot cannot parse is skipped with a warning, and
the bot answers the updates around it (``bot.runtime.updates``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.support.harness import world

BROKEN_MESSAGE = {"message_id": 2, "date": 1_700_000_000, "location": "sini"}


async def test_the_bot_answers_around_a_broken_update(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with world(tmp_path) as w:
        rep = w.reporter
        await rep.send("halo")
        await w.next(rep)
        w.tg.world.enqueue_update("message", BROKEN_MESSAGE | {"chat": rep.record.to_json()})
        await rep.send("/lapor")
        assert "Langkah 1" in (await w.next(rep)).text
    assert "cannot be parsed and is skipped" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
