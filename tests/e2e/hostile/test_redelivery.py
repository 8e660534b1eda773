"""Hostile input: the same update delivered twice is taken once.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.models import Step
from storage import reports as store
from tests.support.harness import press_forged
from tests.support.hostile import (
    PROMPT,
    STALE,
    Env,
    bot_texts,
    draft_of,
    forged_query,
    hostile,
    inject,
    mark,
    reach,
    said,
    settle,
    submit,
    summary_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


@hostile
async def test_a_details_message_delivered_twice_is_taken_once(env: Env) -> None:
    r = await reach(env, Step.DETAILS)
    since = mark(env, r)
    payload = inject(env, r, {"text": "Api di lantai dua"})
    await said(env, r, PROMPT[Step.PHONE], since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.details == "Api di lantai dua" and d.step is Step.PHONE
    assert d.phone is None
    assert not [t for t in bot_texts(env, r, since) if "tidak valid" in t]
    await r.send("⏭ Lewati")
    await said(env, r, PROMPT[Step.CONFIRM], sent.message_id)
    ticket, card = await submit(env, r)
    assert len(await store.reports_of(env.db, r.id)) == 1
    assert "Keterangan:\nApi di lantai dua\n" in card.text and ticket in card.text


@hostile
async def test_words_at_the_summary_delivered_twice_are_added_once(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    since = mark(env, r)
    payload = inject(env, r, {"text": "Ada korban terjebak"})
    await said(env, r, "Ada korban terjebak", since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.details == "Gudang terbakar\nAda korban terjebak"


@hostile
async def test_a_location_delivered_twice_is_taken_once(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    payload = inject(env, r, {"location": {"latitude": -6.98, "longitude": 110.41}})
    await said(env, r, PROMPT[Step.DETAILS], since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.step is Step.DETAILS
    assert d.location is not None and (d.location.lat, d.location.lon) == (-6.98, 110.41)


@hostile
async def test_a_send_press_delivered_twice_files_one_report(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    data = summary.button("Kirim").callback_data
    world = env.w.tg.world
    qid = forged_query(env, r, summary.raw, data)
    update = world.updates[-1]
    answer = await env.w.tg.wait_for_answer(qid)
    assert (answer.text or "").startswith("✅ SMG-")
    ticket = (answer.text or "").removeprefix("✅ ")
    world.enqueue_update("callback_query", update["callback_query"])  # redelivered
    await settle(env)
    await asyncio.sleep(0.2)
    assert [x.ticket for x in await store.reports_of(env.db, r.id)] == [ticket]
    cards = [m for m in env.w.tg.bot_messages(env.w.dispatch) if f"LAPORAN {ticket}" in m.text]
    assert len(cards) == 1


@hostile
async def test_a_double_tap_on_send_files_once_and_send_after_cancel_is_stale(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    first = r.press_nowait(summary, "Kirim")
    second = r.press_nowait(summary, "Kirim")
    texts = [
        (await env.w.tg.wait_for_answer(first.id)).text or "",
        (await env.w.tg.wait_for_answer(second.id)).text or "",
    ]
    assert sum(t.startswith("✅ SMG-") for t in texts) == 1, texts
    assert len(await store.reports_of(env.db, r.id)) == 1
    r2 = await reach(env, Step.CONFIRM)
    old = summary_of(env, r2)
    data = old.button("Kirim").callback_data
    assert data is not None
    since = mark(env, r2)
    await r2.send("/batal")
    await said(env, r2, "dibatalkan", since)
    assert await press_forged(env.w, r2, old, data) == STALE
    assert await store.reports_of(env.db, r2.id) == []
