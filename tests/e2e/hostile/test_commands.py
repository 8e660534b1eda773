"""Hostile input: commands in the middle of the flow answer and leave the draft alone.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import re

import pytest

from bot.domain.models import Step
from storage import reports as store
from tests.support.hostile import (
    Env,
    draft_of,
    hostile,
    mark,
    reach,
    said,
    same_draft,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


COMMANDS: dict[str, str] = {
    "/start": "Halo",
    "/start@semarang112_bot": "Halo",
    "/start <b>x</b> extra": "Halo",
    "/start lapor": "sedang membuat laporan",
    "/lapor sekarang juga": "sedang membuat laporan",
    "/help": "Perintah",
    "/language": "Choose a language",
    "/status": "belum pernah membuat laporan",
    "/xyz": "Perintah tidak dikenal",
    "/start@othername_bot": "Perintah tidak dikenal",
}


def slug(command: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-")


@pytest.mark.parametrize("command", COMMANDS, ids=slug)
@hostile
async def test_a_command_mid_flow_is_answered_and_keeps_the_draft(env: Env, command: str) -> None:
    for step in Step:
        r = await reach(env, step)
        before = await draft_of(env, r)
        since = mark(env, r)
        await r.send(command)
        await said(env, r, COMMANDS[command], since)
        same_draft(before, await draft_of(env, r))


@hostile
async def test_batal_with_arguments_cancels_and_sends_nothing(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    since = mark(env, r)
    await r.send("/batal sekarang <b>juga</b>")
    await said(env, r, "Laporan dibatalkan", since)
    assert await draft_of(env, r) is None
    assert await store.reports_of(env.db, r.id) == []
