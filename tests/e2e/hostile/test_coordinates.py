"""Hostile input: impossible, malformed and missing coordinates are refused.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import math

import pytest

from bot.domain.models import Step
from emulator.world import JSON
from tests.support.harness import world
from tests.support.hostile import (
    INVALID_LOCATION,
    PROMPT,
    Env,
    draft_of,
    finish,
    hostile,
    inject,
    mark,
    person,
    reach,
    said,
    same_draft,
    submit,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


NAN = math.nan
BAD_POINTS: dict[str, JSON] = {
    "nan": {"location": {"latitude": NAN, "longitude": 110.42}},
    "lat-91": {"location": {"latitude": 91, "longitude": 110.42}},
    "lon-minus-181": {"location": {"latitude": -6.99, "longitude": -181}},
    "strings": {"location": {"latitude": "abc", "longitude": "-6,99"}},
    "nulls": {"location": {"latitude": None, "longitude": None}},
    "lat-null": {"location": {"latitude": None, "longitude": 110.42}},
    "infinite-accuracy": {
        "location": {"latitude": -6.99, "longitude": 110.42, "horizontal_accuracy": "inf"}
    },
    "venue-nan": {
        "venue": {
            "location": {"latitude": NAN, "longitude": NAN},
            "title": "Lawang Sewu",
            "address": "Jl. Pemuda",
        },
        "location": {"latitude": NAN, "longitude": NAN},
    },
}


@pytest.mark.parametrize("name", BAD_POINTS)
@hostile
async def test_an_invalid_point_at_the_location_step_is_refused_and_the_draft_kept(
    env: Env, name: str
) -> None:
    r = await reach(env, Step.LOCATION)
    before = await draft_of(env, r)
    since = mark(env, r)
    inject(env, r, BAD_POINTS[name], keep=False)
    reply = await said(env, r, INVALID_LOCATION, since)
    assert PROMPT[Step.LOCATION] in reply.text
    same_draft(before, await draft_of(env, r))


@hostile
async def test_a_venue_without_a_location_is_refused_and_the_draft_kept(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    before = await draft_of(env, r)
    since = mark(env, r)
    inject(env, r, {"venue": {"location": None, "title": "X", "address": "Y"}}, keep=False)
    await said(env, r, INVALID_LOCATION, since)
    same_draft(before, await draft_of(env, r))


@hostile
async def test_an_invalid_point_at_other_steps_or_without_a_draft_is_refused_and_opens_no_sos(
    env: Env,
) -> None:
    for step in (Step.CATEGORY, Step.DETAILS, Step.PHONE, Step.CONFIRM):
        r = await reach(env, step)
        before = await draft_of(env, r)
        since = mark(env, r)
        inject(env, r, BAD_POINTS["lat-91"], keep=False)
        await said(env, r, INVALID_LOCATION, since)
        await said(env, r, PROMPT[step], since)
        same_draft(before, await draft_of(env, r))
    r = person(env)
    since = mark(env, r)
    inject(env, r, BAD_POINTS["nan"], keep=False)  # would be an SOS, were it a valid point
    await said(env, r, INVALID_LOCATION, since)
    assert await draft_of(env, r) is None


@hostile
async def test_a_point_at_the_edge_of_the_world_is_kept_and_forwarded_as_outside_the_city(
    env: Env,
) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    await r.send_location(90, 180)
    await said(env, r, "di luar Kota Semarang", since)
    await finish(env, r)
    _, card = await submit(env, r)
    assert "90.000000, 180.000000" in card.text


@hostile
async def test_a_live_location_edited_to_nan_keeps_the_last_good_point(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    live = await r.send_location(-6.9905, 110.4229, live_period=900)
    await said(env, r, PROMPT[Step.DETAILS], live.message_id)
    before = await draft_of(env, r)
    bad = dict(live.raw)
    bad["location"] = {"latitude": NAN, "longitude": 400, "live_period": 900}
    bad["edit_date"] = env.w.tg.world.now()
    env.w.tg.world.enqueue_update("edited_message", bad)
    await r.send("/help")  # handled after the edit (one chat, in order)
    await said(env, r, "/lapor", live.message_id)
    same_draft(before, await draft_of(env, r))


@hostile
async def test_a_location_without_latitude_does_not_stall_other_chats(env: Env) -> None:
    async with world(env.tmp.mktemp("poison")) as w2:
        r = w2.reporter
        sent = await r.send("/lapor")
        await w2.tg.wait_for(r, lambda m: m.message_id > sent.message_id and "Langkah 1" in m.text)
        record = w2.tg.world.chats[r.id]
        mid = record.next_message_id
        record.next_message_id += 1
        poison = w2.tg.world.enqueue_update(
            "message",
            {
                "message_id": mid,
                "from": r.data,
                "chat": record.to_json(),
                "date": w2.tg.world.now(),
                "location": {"longitude": 110.42},
            },
        )
        try:
            other = w2.member
            sent = await other.send("/help")
            await w2.tg.wait_for(
                other, lambda m: m.message_id > sent.message_id and "/lapor" in m.text, timeout=3
            )
        finally:
            # The bot's shutdown fetches pending updates once more and would fail on the
            # same update (leaving the database open): take it out of the queue first.
            if poison in w2.tg.world.updates:
                w2.tg.world.updates.remove(poison)
