"""Hostile input: edited messages never move a step, nor change a sent report.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.models import Step
from tests.support import factories as f
from tests.support.hostile import (
    Env,
    bot_texts,
    draft_of,
    hostile,
    mark,
    reach,
    report_state,
    said,
    same_draft,
    submit,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


EDIT_TO = {
    Step.CATEGORY: "kebakaran",
    Step.LOCATION: "Jl. Pemuda 150 dekat Lawang Sewu",
    Step.DETAILS: "Api besar di lantai dua",
    Step.PHONE: "0812 9999 8888",
    Step.CONFIRM: "tambahan keterangan",
}


@hostile
async def test_editing_text_at_every_step_changes_nothing(env: Env) -> None:
    for step in Step:
        r = await reach(env, step)
        before = await draft_of(env, r)
        mine = [m for m in env.w.tg.messages(r) if not m.is_from_bot and "text" in m.raw]
        for m in mine:
            await r.edit(m, EDIT_TO[step])
        sent = await r.send("/help")
        await said(env, r, "Perintah", sent.message_id)
        same_draft(before, await draft_of(env, r))
        since = mine[0].message_id
        assert not [t for t in bot_texts(env, r, since) if "tidak dikenal" in t]


@hostile
async def test_editing_a_message_into_batal_does_not_cancel(env: Env) -> None:
    r = await reach(env, Step.DETAILS)
    before = await draft_of(env, r)
    first = next(m for m in env.w.tg.messages(r) if not m.is_from_bot)
    await r.edit(first, "/batal")
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    same_draft(before, await draft_of(env, r))


@hostile
async def test_editing_the_location_or_details_after_sending_changes_no_report(env: Env) -> None:
    r = await reach(env, Step.CONFIRM, details="Rumah roboh")
    pin = next(m for m in env.w.tg.messages(r) if m.location is not None)
    words = next(m for m in env.w.tg.messages(r) if m.text == "Rumah roboh")
    ticket, _ = await submit(env, r)
    since = mark(env, env.w.dispatch)
    env.w.tg.world.edit_message(pin.stored, {"location": {"latitude": -7.0, "longitude": 110.3}})
    env.w.tg.world.enqueue_update("edited_message", pin.raw)
    await r.edit(words, "Rumah roboh, DUA korban <b>meninggal</b>")
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    state = await report_state(env, ticket)
    assert state.report.details == "Rumah roboh"
    assert state.report.location is not None and state.report.location.lat == f.SIMPANG_LIMA[0]
    await asyncio.sleep(0.2)
    assert not [t for t in bot_texts(env, env.w.dispatch, since) if "korban" in t]
