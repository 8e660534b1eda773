"""End to end: a reporter with an open report sends a location and is asked, in one
message, whether it updates that report or is a new emergency — both ways, and a stale
press."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

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

TEMBALANG = (-7.0563, 110.4380)
GENUK = (-6.9668, 110.4789)


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=BACKENDS)
async def w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    on = settings_for(request, request.param)
    async with world(tmp_path_factory.mktemp("location_choice"), **on) as running:
        yield running


async def reporter_with_open_report(w: World) -> tuple[User, str, Message]:
    n = next(_n)
    w.reporter = w.tg.user(f"Warga{n}", username=f"warga_loc_{n}", language_code="id")
    ticket = await file_report(w, details=f"Tabrakan {n}")
    return w.reporter, ticket, await w.card(ticket)


async def asked(w: World, reporter: User, ticket: str) -> Message:
    return await w.tg.wait_for(
        reporter, lambda m: "laporan terbuka" in m.text and ticket in m.text and m.inline_buttons
    )


async def report_of(w: World, ticket: str) -> tuple[int, object]:
    assert w.runtime is not None and w.runtime.db is not None
    report_id = await store.report_id_by_ticket(w.runtime.db, ticket)
    assert report_id is not None
    return report_id, await card_state(w.runtime.db, report_id)


def tickets_in_group(w: World) -> set[str]:
    return {
        m.text.split("LAPORAN ")[1].split()[0]
        for m in w.tg.bot_messages(w.dispatch)
        if "📌" in m.text and "LAPORAN " in m.text
    }


async def test_an_update_moves_the_open_report_and_tells_the_dispatchers(w: World) -> None:
    reporter, ticket, card = await reporter_with_open_report(w)
    before = tickets_in_group(w)
    await reporter.send_location(*TEMBALANG, horizontal_accuracy=20)
    question = await asked(w, reporter, ticket)
    assert len(question.inline_buttons) == 2  # one message, two answers
    update_data = question.inline_buttons[0][0].callback_data
    assert update_data is not None
    # Whatever the answer (or none), the dispatchers see the place at once, under the card.
    shown = await w.tg.wait_for(
        w.dispatch, lambda m: "mengirim lokasi" in m.text and ticket in m.text
    )
    assert shown.reply_to_message_id == card.message_id and "Tembalang" in shown.text

    assert (await reporter.press(question, "Perbarui lokasi")).text == "✅"
    await w.tg.wait_for(reporter, lambda m: "diperbarui" in m.text and ticket in m.text)
    moved = await w.tg.wait_for(
        w.dispatch, lambda m: m.message_id == card.message_id and "Tembalang" in m.text
    )
    assert "Kec. Tembalang" in moved.text
    told = await w.tg.wait_for(
        w.dispatch, lambda m: "memperbarui lokasi" in m.text and ticket in m.text
    )
    assert told.reply_to_message_id == card.message_id
    pin = await w.tg.wait_for(
        w.dispatch,
        lambda m: (
            m.location is not None
            and abs(m.location["latitude"] - TEMBALANG[0]) < 1e-6
            and m.reply_to_message_id == card.message_id
        ),
    )
    assert pin
    assert tickets_in_group(w) == before  # no new report

    _, state = await report_of(w, ticket)
    location = state.report.location  # type: ignore[attr-defined]
    assert (location.lat, location.lon) == TEMBALANG
    # The same answer again: the question is answered already.
    stale = await press_forged(w, reporter, question, update_data)
    assert stale is not None and "sudah dijawab" in stale
    assert question.inline_buttons == []  # the answered question lost its buttons


async def test_a_new_emergency_files_a_new_report_not_marked_as_a_duplicate(w: World) -> None:
    reporter, ticket, _ = await reporter_with_open_report(w)
    await reporter.send_location(*GENUK)
    question = await asked(w, reporter, ticket)
    new_data = question.inline_buttons[1][0].callback_data
    assert new_data is not None
    await reporter.press(question, "Darurat baru")
    card = await w.tg.wait_for(
        w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text and "Genuk" in m.text
    )
    new_ticket = card.text.split("LAPORAN ")[1].split()[0]
    assert new_ticket != ticket
    assert "duplikat" not in card.text.lower()
    await w.tg.wait_for(reporter, lambda m: "Lokasi Anda terkirim" in m.text)
    # The first report kept its place.
    _, state = await report_of(w, ticket)
    assert state.report.location.kecamatan != "Genuk"  # type: ignore[attr-defined]
    # A second press of either answer is stale: nothing else is filed or moved.
    count = len(tickets_in_group(w))
    stale = await press_forged(w, reporter, question, new_data)
    assert stale is not None and "sudah dijawab" in stale
    assert len(tickets_in_group(w)) == count


async def test_an_update_to_a_report_closed_meanwhile_is_refused_clearly(w: World) -> None:
    reporter, ticket, card = await reporter_with_open_report(w)
    await reporter.send_location(*TEMBALANG)
    question = await asked(w, reporter, ticket)
    await w.dispatcher.press(card, "Tutup")
    menu = await w.tg.wait_for_edit(card)
    await w.dispatcher.press(menu, "Alarm palsu")
    await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DITUTUP" in m.text)
    refused = await reporter.press(question, "Perbarui lokasi")
    assert refused.show_alert and "sudah ditutup" in (refused.text or "")
    # "New emergency" still works from the same question.
    await reporter.press(question, "Darurat baru")
    await w.tg.wait_for(
        w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text and "Tembalang" in m.text
    )


async def test_without_an_open_report_a_location_is_an_sos_at_once(w: World) -> None:
    n = next(_n)
    reporter = w.tg.user(f"Baru{n}", username=f"baru_{n}", language_code="id")
    await reporter.send_location(*GENUK)
    await w.tg.wait_for(reporter, lambda m: "Lokasi Anda terkirim" in m.text)
    assert not any("laporan terbuka" in m.text for m in w.tg.bot_messages(reporter))


async def test_an_update_after_dispatch_reaches_the_agency_with_the_new_pin(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Officers already on their way must not drive to the old place."""
    tmp_path = tmp_path_factory.mktemp("location_agency")
    async with world(tmp_path, start_bot=False) as w:
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        damkar = w.tg.group("Damkar", members=[officer])
        routing = routing_with_agency_groups(tmp_path, {"damkar": damkar.id})
        settings = w.settings.model_copy(update={"routing_path": routing})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            await w.dispatcher.press(card, "Kirim instansi")
            await w.dispatcher.press(await w.tg.wait_for_edit(card), "Damkar")
            copy = await w.tg.wait_for(damkar, lambda m: ticket in m.text and "Damkar" in m.text)
            await w.tg.wait_for(damkar, lambda m: m.raw.get("location") is not None)  # first pin
            before = max(m.message_id for m in w.tg.bot_messages(damkar))

            await w.reporter.send_location(*TEMBALANG)
            question = await asked(w, w.reporter, ticket)
            await w.reporter.press(question, "Perbarui lokasi")
            notice = await w.tg.wait_for(
                damkar, lambda m: m.message_id > before and "memperbarui lokasi" in m.text
            )
            assert ticket in notice.text and notice.reply_to_message_id == copy.message_id
            pin = await w.tg.wait_for(
                damkar, lambda m: m.message_id > before and m.raw.get("location") is not None
            )
            assert round(pin.raw["location"]["latitude"], 4) == TEMBALANG[0]
