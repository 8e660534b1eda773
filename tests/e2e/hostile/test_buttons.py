"""Hostile input: forged, truncated and misplaced buttons change nothing and are answered.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.models import Draft, Step
from emulator.driver import Message, User
from storage import reports as store
from storage.drafts import load_draft
from tests.support.harness import press_forged
from tests.support.hostile import (
    HUGE,
    NOT_DISPATCHER,
    NOT_OFFICER,
    PROMPT,
    STALE,
    Env,
    bot_texts,
    core,
    draft_of,
    filed,
    forged_query,
    hostile,
    mark,
    reach,
    report_state,
    said,
    same_draft,
    settle,
    submit,
    summary_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


def uid_of(draft: Draft | None) -> str:
    assert draft is not None
    return draft.uid


def forged_private(uid: str) -> dict[str, list[str]]:
    """Forged data per prefix, pressed by a reporter at step 1 of a draft with ``uid``."""
    return {
        "m": ["m1:", "m1:nuke", "m2:report", "m1:report:x", "m"],
        "l": ["l1:", "l1:fr", "l9:en", "l1:en:x", "l1:' OR 1=1 --"],
        "c": [
            "c1:",
            f"c1:{uid}:",
            f"c1:{uid}:nuclear",
            f"c1:{uid}:fire:x",
            "c1:ZZZZZZZZ:fire",
            "c1:'; DROP TABLE drafts;--:fire",
            f"c2:{uid}:fire",
        ],
        "d": ["d1:", f"d1:{uid}:launch", "d1:00000000:send", f"d1:{uid}:send", f"d0:{uid}:cancel"],
        "e": ["e1:", f"e1:{uid}:location", f"e1:{uid}:ticket", f"e1:{uid.upper()}:phone"],
        "p": ["p1:", f"p1:{uid}:-1", f"p1:{uid}:9", f"p1:{uid}:-2", f"p1:{uid}:{HUGE}"],
        "q": ["q1:", f"q1:{uid}:00", f"q1:{uid}:99", f"q1:{uid}:01' --", f"q1:{uid}:1"],
        "r": ["r1:", "r1:-1", "r1:0", "r1:abc", "r1:1 OR 1=1", f"r1:{HUGE}"],
        "k": ["k1:", "k1:1:claim", f"k1:{HUGE}:claim", "k9:1:claim"],
        "a": ["a1:", "a1:1:damkar", f"a1:{HUGE}:damkar"],
        "x": ["x1:", "x1:1:prank", "x1:-1:resolved"],
        "o": ["o1:", "o1:1:done", f"o1:{HUGE}:done"],
        "v": ["v1:", "v1:1:fire", "v1:-1:skip", "v1:1:FIRE", "v1:x:skip"],
        "g": ["g1:", "g1:1", "g1:-1", "g1:abc", "g1:1:2"],
        "other": ["", "zz", "💥" * 10, "k" + "9" * 63, "\x00", "c1:" + "a" * 200],
    }


PRIVATE_REFUSALS = (STALE, NOT_DISPATCHER, NOT_OFFICER)


@pytest.mark.parametrize(
    "prefix", ["m", "l", "c", "d", "e", "p", "q", "r", "k", "a", "x", "o", "v", "g", "other"]
)
@hostile
async def test_forged_callback_data_in_a_private_chat_is_refused_and_the_draft_kept(
    env: Env, prefix: str
) -> None:
    r = await reach(env, Step.CATEGORY)
    ask = env.w.tg.bot_messages(r)[-1]
    before = await draft_of(env, r)
    for data in forged_private(uid_of(before))[prefix]:
        answer = await press_forged(env.w, r, ask, data)
        assert answer in PRIVATE_REFUSALS or (answer or "").startswith(PRIVATE_REFUSALS), (
            data,
            answer,
        )
        assert core(await draft_of(env, r)) == core(before), data
    assert (await r.press(ask, "Kebakaran")).text is None  # the real button still works
    after = await draft_of(env, r)
    assert after is not None and after.step is Step.LOCATION


@hostile
async def test_report_ids_beyond_64_bits_on_a_card_are_stale(env: Env) -> None:
    _, ticket, card = await filed(env)
    for data in (f"k1:{HUGE}:claim", f"k1:{HUGE}:close", f"a1:{HUGE}:damkar", f"x1:{HUGE}:prank"):
        assert await press_forged(env.w, env.w.dispatcher, card, data) == STALE, data
    assert (await report_state(env, ticket)).snapshot.state.value == "received"


@hostile
async def test_negative_zero_and_unknown_report_ids_on_a_card_are_stale(env: Env) -> None:
    _, ticket, card = await filed(env)
    for data in ("k1:-1:claim", "k1:0:close", "a1:-5:damkar", "x1:999999:prank", "k1:1:fly"):
        assert await press_forged(env.w, env.w.dispatcher, card, data) == STALE, data
    assert (await report_state(env, ticket)).snapshot.state.value == "received"


@hostile
async def test_card_buttons_pressed_by_a_member_or_the_reporter_are_refused(env: Env) -> None:
    r, ticket, card = await filed(env)
    state = await report_state(env, ticket)
    rid = state.report.id
    answer = await env.w.member.press(card, "Ambil")
    assert answer.show_alert and NOT_DISPATCHER in (answer.text or "")
    for data in (f"k1:{rid}:claim", f"a1:{rid}:damkar", f"x1:{rid}:prank"):
        assert NOT_DISPATCHER in (await press_forged(env.w, env.w.member, card, data) or "")
        assert NOT_DISPATCHER in (await press_forged(env.w, r, card, data) or "")
    receipt = await said(env, r, ticket, 0)
    for data in (f"k1:{rid}:claim", f"x1:{rid}:resolved"):
        assert NOT_DISPATCHER in (await press_forged(env.w, r, receipt, data) or "")
    assert (await report_state(env, ticket)).snapshot.state.value == "received"
    assert len((await report_state(env, ticket)).events) == len(state.events)


@hostile
async def test_officer_buttons_from_the_wrong_chat_or_agency_are_refused(env: Env) -> None:
    r, ticket, card = await filed(env)
    rid = (await report_state(env, ticket)).report.id
    await env.w.dispatcher.press(card, "Ambil")
    card = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
    )
    await env.w.dispatcher.press(card, "Kirim instansi")
    await env.w.dispatcher.press(await env.w.tg.wait_for_edit(card), "Damkar")
    copy = await env.w.tg.wait_for(env.damkar, lambda m: ticket in m.text and "Tugas" in m.text)
    env.groups += [env.damkar, env.bpbd]
    since = mark(env, env.bpbd)
    await env.bpbd_officer.send("/chatid", chat=env.bpbd)
    elsewhere = await said(env, env.bpbd, str(env.bpbd.id), since)
    # BPBD was not sent: its officer cannot move the report, from BPBD's group.
    for verb in ("en_route", "on_scene", "done", "backup"):
        answer = await press_forged(env.w, env.bpbd_officer, elsewhere, f"o1:{rid}:{verb}")
        assert answer, verb
        assert "Tercatat" not in answer, verb
    # Officer buttons in the dispatch group, in a private chat, in a stranger group.
    for who, msg in ((env.w.dispatcher, card), (r, summary_of_any(env, r))):
        assert await press_forged(env.w, who, msg, f"o1:{rid}:on_scene") == (
            "Tombol ini untuk petugas instansi yang ditugaskan."
        )
    state = await report_state(env, ticket)
    assert state.snapshot.state.value == "dispatched" and state.snapshot.agency == "damkar"
    # The damkar officer on its own copy still works.
    assert (await env.damkar_officer.press(copy, "Berangkat")).text == "✅ Tercatat"


def summary_of_any(env: Env, r: User) -> Message:
    return env.w.tg.bot_messages(r)[-1]


@hostile
async def test_a_language_button_forged_on_a_card_leaves_the_card_alone(env: Env) -> None:
    _, ticket, card = await filed(env)
    version = card.stored.version
    answer = await press_forged(env.w, env.w.member, card, "l1:en")
    assert answer
    await asyncio.sleep(0.2)
    assert card.stored.version == version and f"LAPORAN {ticket}" in card.text, card.text[:80]
    assert card.inline_buttons


@hostile
async def test_a_report_menu_button_forged_in_the_dispatch_group_opens_no_draft(env: Env) -> None:
    _, _, card = await filed(env)
    since = mark(env, env.w.dispatch)
    await press_forged(env.w, env.w.member, card, "m1:report")  # answered (empty is fine)
    await asyncio.sleep(0.3)
    assert not [t for t in bot_texts(env, env.w.dispatch, since) if PROMPT[Step.CATEGORY] in t]
    assert (await load_draft(env.db, env.w.dispatch.id)) is None


@hostile
async def test_send_with_another_reporters_draft_uid_is_stale(env: Env) -> None:
    a = await reach(env, Step.CONFIRM)
    data = summary_of(env, a).button("Kirim").callback_data
    assert data is not None
    ticket_a, _ = await submit(env, a)
    b = await reach(env, Step.CATEGORY)
    before = await draft_of(env, b)
    answer = await press_forged(env.w, b, env.w.tg.bot_messages(b)[-1], data)
    assert answer == STALE and ticket_a not in (answer or "")
    same_draft(before, await draft_of(env, b))
    assert len(await store.reports_of(env.db, b.id)) == 0


@hostile
async def test_close_on_an_inaccessible_card_still_opens_the_close_menu(env: Env) -> None:
    _, ticket, card = await filed(env)
    rid = (await report_state(env, ticket)).report.id
    gone = {"chat": env.w.dispatch.chat.to_json(), "message_id": card.message_id, "date": 0}
    version = card.stored.version
    qid = forged_query(env, env.w.dispatcher, gone, f"k1:{rid}:close")
    await env.w.tg.wait_for_answer(qid)
    menu = await env.w.tg.wait_for_edit(card)
    assert card.stored.version > version and "Alarm palsu" in str(menu.inline_buttons)


@hostile
async def test_send_on_an_inaccessible_summary_still_files_the_report(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    data = summary.button("Kirim").callback_data
    gone = {
        "chat": env.w.tg.world.chats[r.id].to_json(),
        "message_id": summary.message_id,
        "date": 0,
    }
    since = mark(env, r)
    qid = forged_query(env, r, gone, data)
    answer = await env.w.tg.wait_for_answer(qid)
    assert (answer.text or "").startswith("✅ SMG-")
    await said(env, r, "diterima", since)  # the receipt
    await settle(env)
    assert not [t for t in bot_texts(env, r, since) if "terjadi gangguan" in t]


@hostile
async def test_a_game_query_without_data_is_answered_stale(env: Env) -> None:
    r = await reach(env, Step.CATEGORY)
    before = await draft_of(env, r)
    msg = env.w.tg.bot_messages(r)[-1]
    qid = forged_query(env, r, msg.raw, None, game_short_name="tetris")
    answer = await env.w.tg.wait_for_answer(qid)
    assert answer.text == STALE
    same_draft(before, await draft_of(env, r))
