"""Hostile input: long, invisible and odd text is cut where it must be, never lost.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import pytest

from bot.domain.models import Step, clean_text
from tests.support.hostile import (
    PROMPT,
    UNUSABLE,
    Env,
    bot_texts,
    draft_of,
    filed,
    hostile,
    mark,
    reach,
    said,
    same_draft,
    settle,
    submit,
    summary_of,
    type_place,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


def numbered_words(count: int, word: str = "kata") -> str:
    return " ".join(f"{word}{i:04d}<&>" for i in range(count))


@hostile
async def test_details_over_4096_characters_reach_the_card_whole(env: Env) -> None:
    text = numbered_words(600)  # 6,000 characters, each word escaped on the way
    assert len(text) > 4096
    r = await reach(env, Step.CONFIRM, details=text)
    assert (await draft_of(env, r)) is not None
    summary = summary_of(env, r)
    assert "kata0000<&>" in summary.text
    ticket, card = await submit(env, r)
    await settle(env)
    shown = "".join(
        m.text
        for m in env.w.tg.bot_messages(env.w.dispatch)
        if m.message_id >= card.message_id and ticket in m.text
    )
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@hostile
async def test_a_long_emoji_place_and_emoji_details_still_give_a_summary_to_send(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    asked = await type_place(env, r, "Gang " + "🔥" * 600)
    await r.send("🚒" * 2500)
    await said(env, r, PROMPT[Step.PHONE], asked.message_id)
    await r.tap("⏭ Lewati")
    await said(env, r, PROMPT[Step.CONFIRM], asked.message_id)
    ticket, _ = await submit(env, r)
    assert ticket


@hostile
async def test_a_typed_place_over_4096_characters_is_kept_cut_to_512(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    await r.send("Jalan " + "x" * 5000)
    await said(env, r, "Di kecamatan mana", since)
    d = await draft_of(env, r)
    assert d is not None and d.step is Step.LOCATION
    assert d.typed_place is not None and len(d.typed_place) == 512


@hostile
async def test_4096_characters_from_the_reporter_after_sending_reach_the_dispatchers_whole(
    env: Env,
) -> None:
    r, _, card = await filed(env)
    text = numbered_words(400, "w")[:4096]
    since, since_r = mark(env, env.w.dispatch), mark(env, r)
    await r.send(text)
    await said(env, r, "Pesan diteruskan", since_r)
    await settle(env)
    posted = [m for m in env.w.tg.bot_messages(env.w.dispatch) if m.message_id > since]
    assert all(m.reply_to_message_id == card.message_id for m in posted)
    shown = " ".join(m.text for m in posted)
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@hostile
async def test_4096_characters_from_a_dispatcher_reach_the_reporter_whole(env: Env) -> None:
    r, _, card = await filed(env)
    await env.w.dispatcher.press(card, "Ambil")
    text = numbered_words(400, "d")[:4096]
    since = mark(env, r)
    await env.w.dispatcher.send(text, chat=env.w.dispatch, reply_to=card)
    await settle(env)
    shown = " ".join(bot_texts(env, r, since))
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@hostile
async def test_zero_width_and_bidi_override_characters_are_stripped(env: Env) -> None:
    typed = "\u200b\u202eApi\u202c di \u2066gudang\u2069\ufeff lantai\u200d 2"
    r, _, card = await filed(env, details=typed)
    assert "Keterangan:\nApi di gudang lantai 2" in card.text
    assert not any(ch in card.text for ch in "\u200b\u202e\u2066\ufeff")
    assert r is not None


@hostile
async def test_control_characters_are_stripped(env: Env) -> None:
    typed = "\x00\x01\x07Api\x1f besar\x0b\x0c di pasar"
    _, _, card = await filed(env, details=typed)
    assert f"Keterangan:\n{clean_text(typed)}" in card.text
    assert clean_text(typed) == "Api besar di pasar"


@hostile
async def test_emoji_only_details_are_kept(env: Env) -> None:
    _, _, card = await filed(env, details="🔥🚒🔥")
    assert "Keterangan:\n🔥🚒🔥" in card.text


ODD_TEXT: dict[str, str] = {
    "whitespace": " \t \n  ",
    "zero-width-only": "\u200b\u200c\u200d\u2060\ufeff",
    "emoji-only": "🔥",
    "single-char": "a",
}
ODD_EXPECT: dict[tuple[str, Step], str] = {
    # (text, step) -> what the reporter is told; the draft never changes, except details
    # (a single character or an emoji is a description) and words at the summary.
    **{(k, Step.CATEGORY): UNUSABLE for k in ODD_TEXT},
    **{(k, Step.LOCATION): "Alamat terlalu singkat" for k in ODD_TEXT},
    **{(k, Step.PHONE): "Nomor itu tidak valid" for k in ODD_TEXT},
    ("whitespace", Step.DETAILS): UNUSABLE,
    ("zero-width-only", Step.DETAILS): UNUSABLE,
    ("emoji-only", Step.DETAILS): PROMPT[Step.PHONE],
    ("single-char", Step.DETAILS): PROMPT[Step.PHONE],
}


@pytest.mark.parametrize("name", ODD_TEXT)
@hostile
async def test_blank_invisible_or_one_character_text_is_refused_or_taken_as_details(
    env: Env, name: str
) -> None:
    text = ODD_TEXT[name]
    for step in (Step.CATEGORY, Step.LOCATION, Step.DETAILS, Step.PHONE):
        r = await reach(env, step)
        before = await draft_of(env, r)
        since = mark(env, r)
        await r.send(text)
        await said(env, r, ODD_EXPECT[(name, step)], since)
        after = await draft_of(env, r)
        if (name, step) in (("emoji-only", Step.DETAILS), ("single-char", Step.DETAILS)):
            assert after is not None and after.details == text and after.step is Step.PHONE
        else:
            same_draft(before, after)
            await said(env, r, PROMPT[step], since)
