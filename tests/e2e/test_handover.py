"""End to end: shift hand-over (the card's 🔁 button, ``/alihkan <ticket> @dispatcher``,
``/alihkan semua @dispatcher``) and the unit / officer note of a dispatch (``/kirim``)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.runtime.app import BotRuntime
from emulator.driver import Message, User
from storage import reports as store
from storage.cards import card_state
from tests.e2e.conftest import BACKENDS, settings_for
from tests.support.harness import (
    World,
    file_report,
    press_forged,
    routing_with_agency_groups,
    world,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
_n = itertools.count(1)


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=BACKENDS)
async def w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    on = settings_for(request, request.param)
    async with world(tmp_path_factory.mktemp("handover"), **on) as running:
        yield running


async def claimed_card(w: World, by: User) -> tuple[str, Message]:
    n = next(_n)
    w.reporter = w.tg.user(f"Warga{n}", username=f"warga_ho_{n}", language_code="id")
    ticket = await file_report(w, details=f"Kejadian {n}")
    card = await w.card(ticket, recorded=True)
    await by.press(card, "Ambil")
    card = await edited(w, ticket, "DIAMBIL")
    return ticket, card


async def edited(w: World, ticket: str, needle: str) -> Message:
    return await w.tg.wait_for(
        w.dispatch, lambda m: ticket in m.text and "📌" in m.text and needle in m.text
    )


async def events_of(w: World, ticket: str) -> list[tuple[str, dict[str, object]]]:
    assert w.runtime is not None and w.runtime.db is not None
    report_id = await store.report_id_by_ticket(w.runtime.db, ticket)
    assert report_id is not None
    state = await card_state(w.runtime.db, report_id)
    return [(e.kind.value, dict(e.data)) for e in state.events]


def mentions(message: Message, user: User) -> bool:
    return any(
        e.get("type") == "text_mention" and e.get("user", {}).get("id") == user.id
        for e in message.entities
    )


async def test_the_card_button_hands_a_report_over_and_tells_the_new_dispatcher(
    w: World,
) -> None:
    ticket, card = await claimed_card(w, w.dispatcher)
    assert card.button("Alihkan")

    answer = await w.dispatcher.press(card, "Alihkan")
    assert answer.text == "Alihkan ke siapa?"
    menu = await w.tg.wait_for_edit(card)
    names = [row[0].text for row in menu.inline_buttons]
    assert any("Dimas" in n for n in names)
    assert not any("Sari" in n for n in names)  # the owner is not offered
    assert not any("Joko" in n for n in names)  # a plain member is no dispatcher

    await w.dispatcher.press(menu, "Dimas")
    card = await edited(w, ticket, "DIAMBIL — Dimas")
    assert "dialihkan ke Dimas" in card.text
    assert card.button("Kirim instansi")  # the card's own buttons are back
    notice = await w.tg.wait_for(
        w.dispatch, lambda m: "🔁" in m.text and ticket in m.text and "dialihkan dari" in m.text
    )
    assert mentions(notice, w.dispatcher2)
    assert notice.reply_to_message_id == card.message_id

    kinds = await events_of(w, ticket)
    assert kinds[-1][0] == "reassigned"
    assert kinds[-1][1]["from_id"] == w.dispatcher.id
    assert kinds[-1][1]["to_id"] == w.dispatcher2.id

    # The new owner works it; the old one may not any more.
    await w.dispatcher.press(card, "Kirim instansi")
    agencies = await w.tg.wait_for_edit(card)
    refused = await w.dispatcher.press(agencies, "Satlantas")
    assert refused.text is not None and "Dimas" in refused.text


async def test_a_stale_or_foreign_pick_changes_nothing(w: World) -> None:
    ticket, card = await claimed_card(w, w.dispatcher)
    await w.dispatcher.press(card, "Alihkan")
    menu = await w.tg.wait_for_edit(card)
    # A member who is no dispatcher presses the menu: refused, nothing recorded.
    refused = await w.member.press(menu, "Dimas")
    assert refused.show_alert
    # A forged pick naming someone who is no dispatcher: refused, nothing recorded.
    report_id = int((menu.button("Dimas").callback_data or "").split(":")[1])
    forged = await press_forged(w, w.dispatcher, menu, f"w1:{report_id}:{w.member.id}")
    assert forged is not None and "bukan dispatcher" in forged
    assert (await events_of(w, ticket))[-1][0] == "claimed"
    # The menu's Back brings the card's own buttons back.
    await w.dispatcher.press(menu, "Kembali")
    back = await w.tg.wait_for_edit(menu)
    assert back.button("Alihkan") and back.button("Kirim instansi")


async def test_alihkan_command_hands_one_report_over(w: World) -> None:
    ticket, _ = await claimed_card(w, w.dispatcher)
    await w.dispatcher.send(f"/alihkan {ticket.lower()} @op_dimas", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "✅ Dialihkan ke Dimas" in m.text)
    await edited(w, ticket, "DIAMBIL — Dimas")
    await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "dialihkan dari Sari" in m.text)

    # Not a dispatcher, or nobody: refused with the reason.
    await w.dispatcher2.send(f"/alihkan {ticket} @joko_magang", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "@joko_magang bukan dispatcher" in m.text)
    await w.dispatcher2.send("/alihkan", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "Cara pakai: /alihkan" in m.text)


async def test_end_of_shift_hands_every_open_report_over(w: World) -> None:
    mine = [await claimed_card(w, w.dispatcher2) for _ in range(3)]
    other, _ = await claimed_card(w, w.dispatcher)
    await w.dispatcher2.send("/alihkan semua @op_sari", chat=w.dispatch)
    done = await w.tg.wait_for(w.dispatch, lambda m: "laporan dialihkan ke Sari" in m.text)
    assert "✅" in done.text
    notice = await w.tg.wait_for(w.dispatch, lambda m: "Pergantian shift" in m.text)
    assert mentions(notice, w.dispatcher)
    for ticket, _ in mine:
        assert ticket in notice.text
        await edited(w, ticket, "DIAMBIL — Sari")
        assert (await events_of(w, ticket))[-1][0] == "reassigned"
    assert other not in notice.text
    # Nothing left to hand over.
    await w.dispatcher2.send("/alihkan semua @op_sari", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "tidak memegang laporan terbuka" in m.text)


async def test_a_unit_note_shows_on_the_card(w: World) -> None:
    ticket, card = await claimed_card(w, w.dispatcher)
    await w.dispatcher.send(f"/kirim {ticket} damkar Unit 3 Pos Tugu (Pak Budi)", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: m.text.startswith(f"✅ {ticket}"))
    card = await edited(w, ticket, "DIKIRIM")
    assert "Unit/petugas:" in card.text and "Unit 3 Pos Tugu (Pak Budi)" in card.text
    # A later note for the same agency (the button dispatched without one) is recorded too.
    await w.dispatcher.send(f"/kirim {ticket} damkar Unit 5", chat=w.dispatch)
    card = await edited(w, ticket, "Unit 5")
    assert (await events_of(w, ticket))[-1] == (
        "unit_noted",
        {"agency": "damkar", "unit_note": "Unit 5"},
    )
    await w.dispatcher.send(f"/kirim {ticket} kapal", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "tidak dikenal" in m.text)


async def test_the_unit_note_goes_to_the_agency_copy(tmp_path: Path) -> None:
    async with world(tmp_path, start_bot=False) as w2:
        damkar = w2.tg.group("Damkar Kota Semarang — Piket", members=[])
        settings = w2.settings.model_copy(
            update={"routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id})}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w2.runtime = runtime
            ticket, _ = await claimed_card(w2, w2.dispatcher)
            await w2.dispatcher.send(f"/kirim {ticket} Damkar Unit 7 — Pak Wahyu", chat=w2.dispatch)
            copy = await w2.tg.wait_for(
                damkar, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            assert "Unit 7 — Pak Wahyu" in copy.text
            await w2.dispatcher.send(f"/kirim {ticket} damkar Unit 8", chat=w2.dispatch)
            copy = await w2.tg.wait_for_edit(copy)
            assert "Unit 8" in copy.text and "Unit 7" not in copy.text.split("Riwayat")[0]


async def test_the_unit_button_asks_and_the_reply_is_the_note_not_a_message_to_the_reporter(
    w: World,
) -> None:
    ticket, card = await claimed_card(w, w.dispatcher)
    reporter = w.reporter
    await w.dispatcher.press(card, "Kirim instansi")
    menu = await w.tg.wait_for_edit(card)
    await w.dispatcher.press(menu, "Satlantas")
    card = await edited(w, ticket, "DIKIRIM")
    await w.dispatcher.press(card, "🚓 Unit")
    question = await w.tg.wait_for(w.dispatch, lambda m: "🚓✍️" in m.text and ticket in m.text)
    assert question.reply_to_message_id == card.message_id
    assert (question.reply_markup or {}).get("force_reply") is True
    assert mentions(question, w.dispatcher)

    await w.dispatcher.send_photo(chat=w.dispatch, reply_to=question)  # not a name
    told = await w.tg.wait_for(w.dispatch, lambda m: "ditulis sebagai teks" in m.text)
    assert ticket in told.text
    await w.dispatcher.send("Unit Laka 2 — Bripka Hadi", chat=w.dispatch, reply_to=question)
    card = await edited(w, ticket, "Unit Laka 2 — Bripka Hadi")
    assert "Unit/petugas:</b>" in card.html or "Unit/petugas:" in card.text
    assert (await events_of(w, ticket))[-1][0] == "unit_noted"
    # A plain reply to the card still reaches the reporter; the unit never did.
    await w.dispatcher.send("Petugas segera tiba.", chat=w.dispatch, reply_to=card)
    await w.tg.wait_for(reporter, lambda m: "Petugas segera tiba." in m.text)
    assert not any("Bripka Hadi" in m.text for m in w.tg.bot_messages(reporter))
    # Someone who is no dispatcher answering the question changes nothing.
    await w.member.send("Unit palsu", chat=w.dispatch, reply_to=question)
    await w.dispatcher.send("/antrian", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "antrian" in m.text.lower() and ticket in m.text)
    assert (await events_of(w, ticket))[-1][1].get("unit_note") == "Unit Laka 2 — Bripka Hadi"
    assert not any("Unit palsu" in m.text for m in w.tg.bot_messages(reporter))
