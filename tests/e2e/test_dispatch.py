"""End to end: dispatchers work reports from the group; the reporter is kept informed."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from emulator.driver import Message, User
from storage import reports as store
from storage.cards import card_state
from tests.e2e.conftest import BACKENDS, settings_for
from tests.support.harness import MEMBER_ID, World, file_report, press_data, press_forged, world

pytestmark = pytest.mark.asyncio(loop_scope="module")
_n = itertools.count(1)


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=BACKENDS)
async def w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    on = settings_for(request, request.param)
    async with world(tmp_path_factory.mktemp("dispatch"), max_prank_strikes=2, **on) as running:
        yield running


def new_reporter(w: World, lang: str = "id") -> User:
    n = next(_n)
    w.reporter = w.tg.user(f"Warga{n}", username=f"warga_{n}", language_code=lang)
    return w.reporter


async def fresh_card(
    w: World, lang: str = "id", details: str = "Kebakaran kecil"
) -> tuple[User, str, Message]:
    reporter = new_reporter(w, lang)
    ticket = await file_report(w, details=details)
    return reporter, ticket, await w.card(ticket, recorded=True)


async def edited(w: World, ticket: str, needle: str) -> Message:
    return await w.tg.wait_for(
        w.dispatch, lambda m: ticket in m.text and "📌" in m.text and needle in m.text
    )


async def told(w: World, reporter: User, needle: str) -> Message:
    return await w.tg.wait_for(reporter, lambda m: needle in m.text)


async def test_a_report_from_lapor_to_closed_with_the_reporter_told_each_step(w: World) -> None:
    reporter, ticket, card = await fresh_card(w)
    await told(w, reporter, "diterima")
    assert "BARU — belum diambil" in card.text

    assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
    card = await edited(w, ticket, "DIAMBIL — Sari")
    await told(w, reporter, "sedang ditangani")

    await w.dispatcher.press(card, "Kirim instansi")
    menu = await w.tg.wait_for_edit(card)
    first = menu.inline_buttons[0][0].text
    assert first.startswith("⭐") and "Satlantas" in first  # the suggested agency comes first
    await w.dispatcher.press(menu, "Satlantas")
    card = await edited(w, ticket, "DIKIRIM — Satlantas")
    dispatched = await told(w, reporter, "sudah diminta ke lokasi")
    assert "Satlantas Polrestabes Semarang" in dispatched.text

    await w.dispatcher.press(card, "Menuju lokasi")
    card = await edited(w, ticket, "MENUJU LOKASI")
    await told(w, reporter, "sedang menuju lokasi")

    await w.dispatcher.press(card, "Tiba di lokasi")
    card = await edited(w, ticket, "DI LOKASI")
    await told(w, reporter, "sudah tiba di lokasi")
    assert "Waktu tanggap: 0 menit" in card.text

    await w.dispatcher.press(card, "Selesai")
    card = await edited(w, ticket, "DITUTUP — Selesai")
    assert card.inline_buttons == []
    closed = await told(w, reporter, "ditutup")
    assert ticket in closed.text and "sudah ditangani" in closed.text

    assert w.runtime is not None and w.runtime.db is not None
    report_id = await store.report_id_by_ticket(w.runtime.db, ticket)
    assert report_id is not None
    state = await card_state(w.runtime.db, report_id)
    kinds = [e.kind.value for e in state.events]
    assert kinds == [
        "submitted",
        "card_delivered",
        "claimed",
        "dispatched",
        "en_route",
        "on_scene",
        "closed",
    ]
    assert state.snapshot.t4 is not None and state.snapshot.t0 is not None
    assert all(e.actor_name == "Sari" for e in state.events[2:])


async def test_english_reporter_is_told_in_english(w: World) -> None:
    reporter = new_reporter(w, "en")
    await reporter.send("/start")
    await w.tg.wait_for(reporter, lambda m: "Make a report" in m.text)
    await reporter.send("/lapor")
    ask = await w.tg.wait_for(reporter, lambda m: "Step 1 of 4" in m.text)
    await reporter.press(ask, "Fire")
    await w.tg.wait_for(reporter, lambda m: "Step 2 of 4" in m.text)
    await reporter.send("Jl. Pemuda 150, near Lawang Sewu")
    offer = await w.tg.wait_for(reporter, lambda m: "Did you mean" in m.text)
    await reporter.press(offer, "Lawang Sewu")
    await w.tg.wait_for(reporter, lambda m: "Step 3 of 4" in m.text)
    await reporter.tap("⏭ Skip")
    await w.tg.wait_for(reporter, lambda m: "Step 4 of 4" in m.text)
    await reporter.tap("⏭ Skip")
    summary = await w.tg.wait_for(reporter, lambda m: "Check your report" in m.text)
    await reporter.press(summary, "Send")
    sent = await w.tg.wait_for(reporter, lambda m: "Report sent" in m.text)
    ticket = sent.text.split("Ticket number: ")[1].split()[0]
    card = await w.card(ticket, recorded=True)
    assert "Bahasa pelapor: EN" in card.text and "diketik pelapor" in card.text
    await w.dispatcher.press(card, "Ambil")
    await told(w, reporter, "is being handled")


async def test_double_press_and_other_dispatchers_change_nothing(w: World) -> None:
    _reporter, ticket, card = await fresh_card(w)
    claim = card.button("Ambil").callback_data  # pressed again on the keyboard as it was
    assert claim is not None
    await w.dispatcher.press(card, "Ambil")
    assert (await press_data(w, w.dispatcher, card, claim)).text == "Sudah tercatat."
    taken = await press_data(w, w.dispatcher2, card, claim)
    assert taken.show_alert and "Sudah diambil oleh Sari" in (taken.text or "")
    card = await edited(w, ticket, "DIAMBIL")
    await w.dispatcher2.press(card, "Kirim instansi")  # the menu opens for any dispatcher ...
    menu = await w.tg.wait_for_edit(card)
    refused = await w.dispatcher2.press(menu, "Damkar")  # ... but only the owner dispatches
    assert refused.show_alert and "ditangani Sari" in (refused.text or "")
    assert "DIAMBIL — Sari" in (await edited(w, ticket, "DIAMBIL")).text


async def test_non_dispatchers_get_an_alert_and_nothing_changes(w: World) -> None:
    reporter, ticket, card = await fresh_card(w)
    answer = await w.member.press(card, "Ambil")
    assert answer.show_alert and "Hanya dispatcher" in (answer.text or "")
    assert (await press_forged(w, w.member, card, "x1:1:prank")) is not None
    assert (await press_forged(w, reporter, card, "k1:1:claim")) is not None
    assert w.runtime is not None and w.runtime.db is not None
    report_id = await store.report_id_by_ticket(w.runtime.db, ticket)
    assert report_id is not None
    state = await card_state(w.runtime.db, report_id)
    assert state.snapshot.state.value == "received"


async def test_a_listed_user_may_act_without_being_an_admin(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    async with world(tmp_path_factory.mktemp("allow"), dispatcher_ids=[MEMBER_ID]) as w2:
        ticket = await file_report(w2)
        card = await w2.card(ticket)
        assert (await w2.member.press(card, "Ambil")).text == "✅ Tercatat"
        await w2.tg.wait_for(w2.dispatch, lambda m: ticket in m.text and "DIAMBIL — Joko" in m.text)


async def test_both_relay_directions(w: World) -> None:
    reporter, ticket, card = await fresh_card(w)
    await w.dispatcher.press(card, "Ambil")
    await w.dispatcher.send("Apakah ada korban terjebak?", chat=w.dispatch, reply_to=card)
    question = await told(w, reporter, "ada korban terjebak")
    assert "Petugas 112" in question.text and ticket in question.text

    await reporter.send("Ya, dua orang di lantai 2 <b>tolong</b>")
    posted = await w.tg.wait_for(w.dispatch, lambda m: "dua orang di lantai 2" in m.text)
    assert posted.reply_to_message_id == card.message_id
    assert "<b>tolong</b>" in posted.text and ticket in posted.text
    await told(w, reporter, "Pesan diteruskan")

    await w.mapped(posted)
    await w.dispatcher.send("Bertahan, tim menuju.", chat=w.dispatch, reply_to=posted)
    await told(w, reporter, "Bertahan, tim menuju")

    await reporter.send_photo(caption="foto dari jendela")
    copy = await w.tg.wait_for(
        w.dispatch, lambda m: m.photo is not None and m.reply_to_message_id == card.message_id
    )
    assert (
        copy.caption is not None and "foto dari jendela" in copy.caption and ticket in copy.caption
    )
    await edited(w, ticket, "1× Foto")  # listed with the report
    async with asyncio.timeout(5):  # the photo's acknowledgement, too
        while sum("Pesan diteruskan" in m.text for m in w.tg.bot_messages(reporter)) < 2:
            await asyncio.sleep(0.05)

    await w.member.send("bukan dispatcher", chat=w.dispatch, reply_to=card)
    await w.tg.assert_no_bot_message(reporter, within=0.5)


async def test_status_lists_reports_and_cancels_before_dispatch(w: World) -> None:
    reporter, ticket, _card = await fresh_card(w)
    await reporter.send("/status")
    status = await told(w, reporter, "Laporan Anda")
    assert ticket in status.text
    await reporter.press(status, f"Batalkan {ticket}")
    await edited(w, ticket, "DITUTUP — Dibatalkan pelapor")
    await told(w, reporter, "dibatalkan atas permintaan Anda")
    await w.tg.wait_for(w.dispatch, lambda m: "Pelapor membatalkan" in m.text and ticket in m.text)

    reporter2, ticket2, card2 = await fresh_card(w)
    await reporter2.send("/status")
    status2 = await w.tg.wait_for(
        reporter2, lambda m: "Laporan Anda" in m.text and ticket2 in m.text
    )
    await w.dispatcher.press(card2, "Ambil")
    card2 = await edited(w, ticket2, "DIAMBIL")
    await w.dispatcher.press(card2, "Kirim instansi")
    await w.dispatcher.press(await w.tg.wait_for_edit(card2), "Damkar")
    await edited(w, ticket2, "DIKIRIM")
    refused = await reporter2.press(status2, f"Batalkan {ticket2}")
    assert refused.show_alert and "tidak bisa dibatalkan" in (refused.text or "")


async def test_possible_duplicate_is_marked_and_closed_as_duplicate(w: World) -> None:
    _, first, _ = await fresh_card(w, details="Tabrakan beruntun")
    reporter, second, card = await fresh_card(w, details="Tabrakan di Simpang Lima")
    assert f"Mungkin duplikat dari {first}" in card.text
    await w.dispatcher.press(card, f"Duplikat dari {first}")
    await edited(w, second, f"DITUTUP — Duplikat dari {first}")
    told_dup = await told(w, reporter, "ditutup")
    assert first in told_dup.text and "sama dengan laporan" in told_dup.text


async def test_pranks_earn_strikes_then_a_block_that_unblock_lifts(w: World) -> None:
    prankster = new_reporter(w)
    for n in (1, 2):
        ticket = await file_report(w, details=f"iseng {n}")
        card = await w.card(ticket, recorded=True)
        await w.dispatcher.press(card, "Tutup")
        menu = await w.tg.wait_for_edit(card)
        await w.dispatcher.press(menu, "Laporan iseng")
        await edited(w, ticket, "DITUTUP — Laporan iseng")
    await told(w, prankster, "Sisa peringatan: 1")
    await told(w, prankster, "tidak dapat lagi membuat laporan")
    await prankster.send("/lapor")
    await told(w, prankster, "tidak dapat membuat laporan baru")
    await w.dispatcher.send(f"/unblock {prankster.id}", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "dapat melapor lagi" in m.text)
    await told(w, prankster, "dapat kembali membuat laporan")
    await prankster.send("/lapor")
    await told(w, prankster, "Langkah 1")


async def test_queue_and_report_commands(w: World) -> None:
    reporter, ticket, _card = await fresh_card(w)
    await w.dispatcher.send("/antrian", chat=w.dispatch)
    queue = await w.tg.wait_for(w.dispatch, lambda m: "Antrian" in m.text and ticket in m.text)
    assert "laporan terbuka" in queue.text
    await w.dispatcher.send(f"/laporan {ticket.lower()}", chat=w.dispatch)
    copy = await w.tg.wait_for(
        w.dispatch,
        lambda m: m.message_id > queue.message_id and ticket in m.text and "Riwayat" in m.text,
    )
    await w.dispatcher.send("Kami hubungi sebentar lagi", chat=w.dispatch, reply_to=copy)
    await told(w, reporter, "Kami hubungi sebentar lagi")
    await w.dispatcher.send("/laporan SMG-000000-9999", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "tidak ditemukan" in m.text)


async def test_group_redirects_reports_to_a_private_chat(w: World) -> None:
    await w.member.send("/lapor", chat=w.dispatch)
    redirect = await w.tg.wait_for(w.dispatch, lambda m: "chat pribadi" in m.text)
    assert "t.me/semarang112_bot?start=lapor" in redirect.text
    await w.member.send("/chatid", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: str(w.dispatch.id) in m.text)


async def test_the_card_follows_a_live_location_until_it_ends(w: World) -> None:
    reporter = new_reporter(w)
    await reporter.send("/lapor")
    ask = await w.tg.wait_for(reporter, lambda m: "Langkah 1" in m.text)
    await reporter.press(ask, "Kecelakaan")
    await w.tg.wait_for(reporter, lambda m: "Langkah 2" in m.text)
    live = await reporter.send_location(-6.9905, 110.4229, live_period=900)
    await w.tg.wait_for(reporter, lambda m: "Langkah 3" in m.text)
    moved_in_draft = await reporter.edit_live_location(live, -6.9910, 110.4235)
    await reporter.send("Truk terguling, saya mengikuti ambulans")
    await w.tg.wait_for(reporter, lambda m: "Langkah 4" in m.text)
    await reporter.tap("⏭ Lewati")
    summary = await w.tg.wait_for(reporter, lambda m: "Periksa laporan" in m.text)
    assert "-6.991000, 110.423500" in summary.text and moved_in_draft
    await reporter.press(summary, "Kirim")
    sent = await w.tg.wait_for(reporter, lambda m: "Laporan terkirim" in m.text)
    ticket = sent.text.split("Nomor tiket: ")[1].split()[0]
    await w.card(ticket)

    await reporter.edit_live_location(live, -6.9800, 110.4100)
    card = await edited(w, ticket, "-6.980000, 110.410000")
    assert "lokasi langsung, diperbarui" in card.text and "Semarang Tengah" in card.text
    await reporter.stop_live_location(live)
    ended = await edited(w, ticket, "lokasi langsung berakhir")
    assert "-6.980000, 110.410000" in ended.text
