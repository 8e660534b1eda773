"""Hostile input: any kind of message at any step, and without a draft.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.domain.models import Step
from emulator.driver import User
from tests.support.hostile import (
    NO_DRAFT,
    PROMPT,
    UNUSABLE,
    Env,
    core,
    draft_of,
    hostile,
    inject,
    mark,
    person,
    reach,
    said,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


Act = Callable[[Env, User], Awaitable[object]]


async def _dice(env: Env, r: User) -> None:
    inject(env, r, {"dice": {"emoji": "🎲", "value": 6}})


async def _unknown(env: Env, r: User) -> None:
    inject(env, r, {"hologram": {"id": 1, "depth": "∞"}})


async def _other_contact(env: Env, r: User) -> None:
    await r.send_contact("+62 812-9999-0000", "Budi", last_name="<b>Tetangga</b>", user_id=0)


async def _sticker(env: Env, r: User) -> None:
    await r.send_sticker()


async def _poll(env: Env, r: User) -> None:
    await r.send_poll("<b>Siapa?</b>", ["a", "b"])


async def _voice(env: Env, r: User) -> None:
    await r.send_voice(caption="</code>")


async def _document(env: Env, r: User) -> None:
    await r.send_document("<script>.pdf", caption="*dok*")


async def _animation(env: Env, r: User) -> None:
    await r.send_animation()


# kind -> (act, what the reporter is told, what happens to the draft)
KINDS: dict[str, tuple[Act, str, str]] = {
    "sticker": (lambda e, r: _sticker(e, r), "stiker " + UNUSABLE, "same"),
    "poll": (lambda e, r: _poll(e, r), "polling " + UNUSABLE, "same"),
    "dice": (_dice, "pesan seperti ini " + UNUSABLE, "same"),
    "unknown-type": (_unknown, "pesan seperti ini " + UNUSABLE, "same"),
    "voice": (_voice, "Pesan suara diterima", "attachment"),
    "document": (_document, "Dokumen diterima", "attachment"),
    "animation": (_animation, "diterima", "attachment"),
    "contact-of-someone-else": (_other_contact, "+6281299990000", "phone"),
}


@pytest.mark.parametrize("name", KINDS)
@hostile
async def test_a_non_text_message_at_every_step_is_kept_or_refused_and_answered(
    env: Env, name: str
) -> None:
    act, needle, effect = KINDS[name]
    for step in Step:
        r = await reach(env, step)
        before = await draft_of(env, r)
        assert before is not None
        since = mark(env, r)
        await act(env, r)
        await said(env, r, needle, since)
        after = await draft_of(env, r)
        assert after is not None
        if effect == "same":
            assert core(after) == core(before), step
        elif effect == "attachment":
            assert len(after.attachments) == len(before.attachments) + 1, step
            rest = after.model_copy(update={"attachments": before.attachments})
            if after.details != before.details:  # a caption is kept as words
                rest = rest.model_copy(update={"details": before.details})
            assert core(rest) == core(before), step
        else:
            assert after.phone == "+6281299990000", step
            moved = Step.CONFIRM if step is Step.PHONE else step
            assert after.step is moved, step
        expected = Step.CONFIRM if (effect == "phone" and step is Step.PHONE) else step
        await said(env, r, PROMPT[expected], since)
    r = person(env)
    since = mark(env, r)
    await act(env, r)
    await said(env, r, NO_DRAFT, since)
    assert await draft_of(env, r) is None
