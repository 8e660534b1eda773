"""The hostile suite's world: one running bot for the whole package, with two agency groups
(Damkar, BPBD) and a stranger's group; every ERROR log record is kept for the checks."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.runtime.app import BotRuntime
from tests.support.harness import routing_with_agency_groups, world
from tests.support.hostile import Env, ErrorLog


@pytest_asyncio.fixture(loop_scope="package", scope="package")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    tmp = tmp_path_factory.mktemp("hostile")
    errors = ErrorLog()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        async with world(tmp, start_bot=False) as w:
            damkar_officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
            bpbd_officer = w.tg.user("Wulan", username="bpbd_wulan", language_code="id")
            damkar = w.tg.group("Damkar — Piket", members=[damkar_officer])
            bpbd = w.tg.group("BPBD — Piket", members=[bpbd_officer])
            stranger = w.tg.group("Arisan RT 05", members=[w.member])
            routing = routing_with_agency_groups(tmp, {"damkar": damkar.id, "bpbd": bpbd.id})
            settings = w.settings.model_copy(update={"routing_path": routing})
            async with BotRuntime(settings, poll_timeout=1) as runtime:
                w.runtime = runtime
                yield Env(
                    w,
                    damkar,
                    bpbd,
                    damkar_officer,
                    bpbd_officer,
                    stranger,
                    errors,
                    tmp_path_factory,
                )
    finally:
        root.removeHandler(errors)
