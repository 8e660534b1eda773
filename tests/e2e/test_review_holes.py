"""End to end: the holes a hostile review found are closed (issue "Close every hole").

Each test drives the real bot through the emulator the way the review attacked it and
would have failed before the fix.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.clock import FakeClock
from bot.runtime.app import BotRuntime
from tests.support.harness import World, file_report, world


def sent_since(w: World, start: int, needle: str) -> list[str]:
    """Texts the bot sent to the dispatch chat after message id ``start`` containing needle."""
    return [
        m.text
        for m in w.tg.bot_messages(w.dispatch)
        if m.message_id > start and needle in (m.text or "")
    ]


def last_id(w: World) -> int:
    return max((m.message_id for m in w.tg.messages(w.dispatch)), default=0)


async def settle(w: World) -> None:
    """Let the bot answer what it was sent, and deliver what it queued."""
    await asyncio.sleep(0.6)
    assert w.runtime is not None and w.runtime.outbox is not None
    await w.runtime.outbox.wait_idle()


async def test_dispatch_commands_are_for_dispatchers_with_one_polite_refusal(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        ticket = await file_report(w)
        await w.card(ticket)
        start = last_id(w)
        for command in (
            "/antrian",
            "/antrian",
            f"/laporan {ticket}",
            "/statistik",
            "/ekspor",
            f"/alihkan {ticket} @joko_magang",
            "/alihkan semua @joko_magang",
            f"/kirim {ticket} damkar Unit 1",
        ):
            await w.member.send(command, chat=w.dispatch)
        await settle(w)
        refusals = sent_since(w, start, "hanya untuk dispatcher")
        assert len(refusals) == 1  # one refusal, not one per attempt
        assert sent_since(w, start, "Antrian") == []
        assert sent_since(w, start, "Rina") == []  # the card (name, phone) never shown
        assert not any(
            "document" in m.raw or "photo" in m.raw
            for m in w.tg.bot_messages(w.dispatch)
            if m.message_id > start
        )  # no statistics chart, no export file

        await w.dispatcher.send("/antrian", chat=w.dispatch)
        queue = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "mnt" in m.text)
        assert queue.message_id > start


async def test_a_demoted_admin_cannot_act_on_a_card_from_the_moment_of_demotion(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        w.tg.set_bot_status(w.dispatch, "administrator", by=w.dispatcher)  # gets chat_member
        ticket = await file_report(w)
        card = await w.card(ticket)
        assert (await w.dispatcher2.press(card, "Ambil")).text == "✅ Tercatat"  # admin: cached
        card = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        assert w.tg.demote(w.dispatch, w.dispatcher2, by=w.dispatcher)
        await asyncio.sleep(0.5)  # the chat_member update reaches the bot
        answer = await w.dispatcher2.press(card, "Tutup")
        assert "Hanya dispatcher" in (answer.text or "")


async def test_a_name_with_bidi_overrides_and_invisible_characters_is_cleaned_on_the_card(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        w.reporter = w.tg.user(
            "Budi\u202e\u200bnamaPalsu", last_name="\u2066X\u2069", username="budi_x"
        )
        ticket = await file_report(w)
        card = await w.card(ticket)
        assert "\u202e" not in card.text and "\u200b" not in card.text
        assert "\u2066" not in card.text
        assert "BudinamaPalsu X" in card.text


async def test_the_queue_never_shows_a_negative_age_when_the_clock_steps_back(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        ticket = await file_report(w)
        await w.card(ticket)
        clock.advance(timedelta(minutes=-3))  # an NTP correction after the card arrived
        await w.dispatcher.send("/antrian", chat=w.dispatch)
        queue = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "mnt" in m.text)
        assert "-" not in queue.text.split(ticket)[1].split("\n")[0].replace(" · ", "")
        assert "· 0 mnt" in queue.text


async def test_a_photo_with_a_full_length_caption_reaches_the_card_with_the_rest_as_text(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        # 1,024 UTF-16 units, a client's maximum: emoji count twice; & is escaped as &amp;.
        words = "🚒 asap & api " * 80
        while len(words.encode("utf-16-le")) // 2 > 1024:
            words = words[:-1]
        await w.reporter.send_photo(words)
        photo = await w.tg.wait_for(
            w.dispatch, lambda m: "photo" in m.raw and ticket in (m.caption or "")
        )
        assert photo.reply_to_message_id == card.message_id
        caption = photo.caption or ""
        assert len(caption.encode("utf-16-le")) // 2 <= 1024
        rest = await w.tg.wait_for(
            w.dispatch, lambda m: "photo" not in m.raw and "Pelapor" in m.text and "asap" in m.text
        )
        shown = caption.split("\n", 1)[1] + rest.text.split("\n", 1)[1]
        assert shown.replace(" ", "") == words.replace(" ", "")  # nothing lost
        assert runtime_failures(w) == 0


def runtime_failures(w: World) -> int:
    """Outbox rows that failed for good."""
    import sqlite3

    with sqlite3.connect(w.settings.database_path) as con:
        return int(con.execute("SELECT count(*) FROM outbox WHERE status = 'failed'").fetchone()[0])


async def test_a_dispatchers_edited_reply_reaches_the_reporter_as_a_correction(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        reply = await w.dispatcher.send("Tim menuju Jl. Pandanaran", chat=w.dispatch, reply_to=card)
        await w.tg.wait_for(w.reporter, lambda m: "Jl. Pandanaran" in m.text)
        await w.dispatcher.edit(reply, "Tim menuju Jl. Pemuda (bukan Pandanaran)")
        fixed = await w.tg.wait_for(w.reporter, lambda m: "Koreksi" in m.text)
        assert "Jl. Pemuda" in fixed.text and ticket in fixed.text

        # A member's edited message that was never relayed stays in the group.
        chatter = await w.member.send("ok", chat=w.dispatch, reply_to=card)
        await w.member.edit(chatter, "oke siap")
        await settle(w)
        assert not any("oke siap" in m.text for m in w.tg.bot_messages(w.reporter))


async def test_a_forty_photo_album_during_details_keeps_ten_and_answers_once(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        rep = w.reporter
        await rep.send("/lapor")
        await rep.press(await w.tg.wait_for(rep, lambda m: "Langkah 1" in m.text), "Kebakaran")
        await w.tg.wait_for(rep, lambda m: "Langkah 2" in m.text)
        await rep.send_location(-6.99, 110.42)
        step3 = await w.tg.wait_for(rep, lambda m: "Langkah 3" in m.text)
        await rep.send_album(40, "Api di gudang")
        await w.tg.wait_for(rep, lambda m: "Album diterima" in m.text)
        await asyncio.sleep(1.5)  # every photo of the album handled
        answers = [m for m in w.tg.bot_messages(rep) if m.message_id > step3.message_id]
        assert len(answers) == 1  # one answer per album, not forty
        await rep.send("Gudang kayu, tidak ada korban")
        await rep.send("⏭ Lewati")
        summary = await w.tg.wait_for(rep, lambda m: "Periksa laporan" in m.text)
        assert "10" in summary.text.split("Lampiran")[1].split("\n")[0]


async def test_a_sixty_photo_album_after_sending_keeps_ten_redraws_once_answers_once(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        await w.tg.wait_for(w.reporter, lambda m: "diterima Command Center" in m.text)
        album = await w.reporter.send_album(60, "Foto kebakaran")
        await w.tg.wait_for(w.reporter, lambda m: "Album diteruskan" in m.text)
        await asyncio.sleep(2)
        await settle(w)
        photos = [
            m
            for m in w.tg.bot_messages(w.dispatch)
            if "photo" in m.raw and m.reply_to_message_id == card.message_id
        ]
        assert len(photos) == 10  # the report's limit, not sixty
        card_now = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "📌" in m.text)
        assert card_now.message_id == card.message_id
        assert "Lampiran: 10× Foto" in card_now.text  # the card lists what was kept
        answers = [
            m.text for m in w.tg.bot_messages(w.reporter) if m.message_id > album[0].message_id
        ]
        assert len(answers) == 2  # one for the album, one when the limit stopped the rest
        assert "Album diteruskan" in answers[0] and "batasnya" in answers[1]
        redraws = (
            [c for c in w.tg.world.changes_of(w.dispatch, card.message_id)]
            if hasattr(w.tg.world, "changes_of")
            else []
        )
        assert len(redraws) <= 3


async def test_a_reporter_blocked_while_a_draft_waits_at_the_summary_cannot_send_it(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, max_prank_strikes=1) as w:
        rep = w.reporter
        ticket = await file_report(w, details="iseng")
        card = await w.card(ticket)
        await rep.send("/lapor")
        await rep.press(
            await w.tg.wait_for(rep, lambda m: "Langkah 1" in m.text, only_new=True), "Kebakaran"
        )
        await w.tg.wait_for(rep, lambda m: "Langkah 2" in m.text, only_new=True)
        await rep.send_location(-6.99, 110.42)
        await w.tg.wait_for(rep, lambda m: "Langkah 3" in m.text, only_new=True)
        await rep.send("Kebakaran rumah")
        await w.tg.wait_for(rep, lambda m: "Langkah 4" in m.text, only_new=True)
        await rep.send("⏭ Lewati")
        summary = await w.tg.wait_for(rep, lambda m: "Periksa laporan" in m.text, only_new=True)

        await w.dispatcher.press(card, "Tutup")
        menu = await w.tg.wait_for_edit(card)
        await w.dispatcher.press(menu, "Laporan iseng")
        await w.tg.wait_for(rep, lambda m: "tidak dapat lagi membuat laporan" in m.text)

        await rep.press(summary, "Kirim")
        await w.tg.wait_for(rep, lambda m: "tidak dapat membuat laporan baru" in m.text)
        await settle(w)
        cards = [m for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text]
        assert len(cards) == 1  # the second report was never filed


def db_one(w: World, sql: str, *params: object) -> object:
    import sqlite3

    with sqlite3.connect(w.settings.database_path) as con:
        row = con.execute(sql, params).fetchone()
    return None if row is None else row[0]


async def scheduler_tick(w: World) -> None:
    assert w.runtime is not None and w.runtime.scheduler is not None
    await w.runtime.scheduler.tick()


async def test_a_person_who_only_pressed_start_is_forgotten_after_the_retention_period(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock, retention_days=30) as w:
        visitor = w.tg.user("Tamu", last_name="Sekali", username="tamu_sekali")
        await visitor.send("/start")
        await w.tg.wait_for(visitor, lambda m: "112" in m.text)
        assert db_one(w, "SELECT first_name FROM reporters WHERE user_id = ?", visitor.id) == "Tamu"
        clock.advance(timedelta(days=31))
        ticket = await file_report(w)  # the city goes on reporting: time has really passed
        await w.card(ticket)
        await scheduler_tick(w)
        assert db_one(w, "SELECT first_name FROM reporters WHERE user_id = ?", visitor.id) == "—"
        assert db_one(w, "SELECT username FROM reporters WHERE user_id = ?", visitor.id) is None
        # The reporter who just filed keeps their name.
        assert db_one(w, "SELECT first_name FROM reporters WHERE user_id = ?", w.reporter.id) == (
            "Rina"
        )


async def test_a_wall_clock_jumping_months_ahead_purges_nothing_closed_minutes_ago(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock, retention_days=90) as w:
        ticket = await file_report(w, details="Rumah terbakar di Jl. Mawar 3")
        card = await w.card(ticket)
        await w.dispatcher.press(card, "Tutup")
        menu = await w.tg.wait_for_edit(card)
        await w.dispatcher.press(menu, "Alarm palsu")
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DITUTUP" in m.text)
        clock.advance(timedelta(days=200))  # an NTP step of months, minutes after closing
        await scheduler_tick(w)
        assert db_one(w, "SELECT details FROM reports WHERE ticket = ?", ticket) == (
            "Rumah terbakar di Jl. Mawar 3"
        )
        assert db_one(w, "SELECT purged_at FROM reports WHERE ticket = ?", ticket) is None


class SteppedClock:
    """The system clock, stepped by an NTP correction when the test says so."""

    def __init__(self) -> None:
        self.step = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.step


def flood(w: World, chat_id: int, seconds: int = 4) -> None:
    """Telegram's next message to this chat is answered "retry after ``seconds``"."""
    w.server.add_fault(
        method="sendMessage",
        status=429,
        description=f"Too Many Requests: retry after {seconds}",
        parameters={"retry_after": seconds},
        count=1,
        chat_id=chat_id,
    )


async def deferred(w: World, role: str) -> None:
    """Until Telegram's "retry after" keeps the outbox row of this role waiting."""
    assert w.runtime is not None and w.runtime.db is not None
    async with asyncio.timeout(10):
        while True:
            async with w.runtime.db.read() as tx:
                row = await tx.one(
                    "SELECT 1 FROM outbox WHERE role = ? AND status = 'pending'"
                    " AND last_error = 'retry after'",
                    (role,),
                )
            if row is not None:
                return
            await asyncio.sleep(0.05)


async def test_a_wall_clock_stepping_hours_back_leaves_no_message_waiting_for_hours(
    tmp_path: Path,
) -> None:
    clock = SteppedClock()
    async with world(tmp_path, clock=clock) as w:
        # The card waits 4 s; NTP steps the clock 3 hours back meanwhile.
        ticket = await file_report(w, before_send=lambda: flood(w, w.dispatch.id))
        flood(w, w.reporter.id)  # then the reporter's receipt, and the clock again
        await deferred(w, "card")
        clock.step = timedelta(hours=-3)
        await w.card(ticket, timeout=10)
        await deferred(w, "receipt")
        clock.step = timedelta(hours=-6)
        await w.tg.wait_for(w.reporter, lambda m: "diterima" in m.text, timeout=10)


async def test_a_wall_clock_stepped_back_while_the_bot_was_stopped_delays_nothing(
    tmp_path: Path,
) -> None:
    clock = SteppedClock()
    async with world(tmp_path, start_bot=False) as w:
        async with BotRuntime(w.settings, clock=clock, poll_timeout=1) as w.runtime:
            ticket = await file_report(w, before_send=lambda: flood(w, w.dispatch.id))
            await deferred(w, "card")
        clock.step = timedelta(hours=-3)  # stepped while the bot was stopped
        async with BotRuntime(w.settings, clock=clock, poll_timeout=1) as w.runtime:
            await w.card(ticket, timeout=10)
