"""Hostile input: markup and SQL in every field a person types are shown exactly as typed.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import pytest

from bot.domain.models import Step
from tests.support.hostile import (
    INJECTION,
    Env,
    bot_texts,
    filed,
    finish,
    hostile,
    mark,
    next_id,
    person,
    reach,
    said,
    submit,
    summary_of,
    type_place,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


@hostile
async def test_markup_in_details_is_shown_as_typed_on_summary_and_card(env: Env) -> None:
    r = await reach(env, Step.CONFIRM, details=INJECTION)
    assert INJECTION in summary_of(env, r).text
    _, card = await submit(env, r)
    assert f"Keterangan:\n{INJECTION}" in card.text


@hostile
async def test_markup_in_a_typed_place_is_shown_as_typed_on_summary_and_card(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    typed = "Jl. <b>Pemuda</b> no 5 & *gang* _x_ [peta](http://e.com) </code>"
    since = mark(env, r)
    await type_place(env, r, typed)
    assert any(typed in t for t in bot_texts(env, r, since))
    await finish(env, r)
    assert typed in summary_of(env, r).text
    _, card = await submit(env, r)
    assert f"Lokasi: {typed} (diketik pelapor)" in card.text


@hostile
async def test_markup_in_reporter_names_is_shown_as_typed_in_greeting_and_card(env: Env) -> None:
    r = person(
        env, "<b>Rina</b> *bold*", last_name="</code> &amp; _x_", username="[l](http://e.com)"
    )
    sent = await r.send("/start")
    hello = await said(env, r, "Halo", sent.message_id)
    assert "Halo <b>Rina</b> *bold*!" in hello.text
    _, _, card = await filed(env, r)
    assert "Pelapor: <b>Rina</b> *bold* </code> &amp; _x_ (@[l](http://e.com))" in card.text


@hostile
async def test_markup_in_a_venue_title_and_address_is_shown_as_typed(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    title, address = "<i>Toko</i> & *Bandeng*", "</code>[x](http://e.com) _Jl._ &lt;"
    sent = await r.send_venue(-6.9839, 110.4106, title, address)
    ack = await said(env, r, "Lokasi diterima", sent.message_id)
    assert f"{title}\n{address}" in ack.text
    await finish(env, r)
    _, card = await submit(env, r)
    assert f"{title}\n{address}" in card.text
    venue = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: m.venue is not None and m.reply_to_message_id == card.message_id
    )
    assert venue.venue is not None and venue.venue["title"] == title


@hostile
async def test_markup_in_a_dispatcher_name_is_shown_as_typed_on_the_card(env: Env) -> None:
    n = next_id()
    op = env.w.tg.user("</code><b>Op", last_name="&amp; *x*", username=f"op_hostile_{n}")
    env.w.dispatch.add_member(op, status="administrator")
    r, ticket, card = await filed(env)
    since = mark(env, r)
    assert (await op.press(card, "Ambil")).text == "✅ Tercatat"
    await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DIAMBIL — </code><b>Op &amp; *x*" in m.text
    )
    await said(env, r, "sedang ditangani", since)


@hostile
async def test_markup_in_relayed_messages_arrives_as_typed_both_ways(env: Env) -> None:
    r, ticket, card = await filed(env)
    since = mark(env, env.w.dispatch)
    await r.send(INJECTION)
    posted = await said(env, env.w.dispatch, INJECTION, since)
    assert posted.reply_to_message_id == card.message_id
    since_r = mark(env, r)
    answer = "</code> *ok* &amp; <a href='x'>y</a>"
    await env.w.dispatcher.send(answer, chat=env.w.dispatch, reply_to=card)
    told = await said(env, r, answer, since_r)
    assert ticket in told.text


@hostile
async def test_markup_and_sql_in_dispatch_command_arguments_are_echoed_as_typed(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.dispatcher.send("/laporan <b>SMG</b>&amp;", chat=d)
    await said(env, d, "Tiket <b>SMG</b>&amp; tidak ditemukan.", since)
    await env.w.dispatcher.send("/unblock <i>x</i>", chat=d)
    await said(env, d, "Pelapor <i>x</i> tidak dikenal.", since)
    await env.w.dispatcher.send("/laporan ' OR 1=1; DROP TABLE reports; --", chat=d)
    await said(env, d, "' OR 1=1; DROP TABLE reports; -- tidak ditemukan", since)
