"""End to end: trusted reporters (volunteer communities, RT/RW heads, field officers).

A dispatcher invites a role, a person opens the deep link, their reports carry the
verified badge and come first in /antrian; used, expired and forged links are refused
clearly; revoking tells the person and removes the badge from new reports; a prank
suspends the role instead of a strike; only dispatchers manage any of it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.clock import FakeClock
from bot.domain.trust import token_digest
from emulator.driver import Message, User
from tests.support import factories as f
from tests.support.harness import World, file_report, world

LINK = re.compile(r"https://t\.me/semarang112_bot\?start=(inv_[A-Za-z0-9_-]+)")


def db_all(w: World, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(w.settings.database_path) as con:
        return con.execute(sql, params).fetchall()


def last_id(w: World, chat: User | None = None) -> int:
    return max((m.message_id for m in w.tg.messages(chat or w.dispatch)), default=0)


async def said(w: World, chat: User | object, needle: str, after: int = 0) -> Message:
    """The bot's message in ``chat`` after message id ``after`` that contains ``needle``."""
    return await w.tg.wait_for(
        chat,  # type: ignore[arg-type]
        lambda m: m.message_id > after and needle in m.text,
        timeout=10,
    )


async def invite(w: World, args: str) -> tuple[str, str]:
    """A dispatcher's ``/undang <args>``: the invitation message (in the dispatcher's private
    chat, which they open first if they never did) and its deep link."""
    if not any(not m.is_from_bot for m in w.tg.messages(w.dispatcher)):
        await w.dispatcher.send("/start")
        await said(w, w.dispatcher, "112", 0)
    start, private = last_id(w), last_id(w, w.dispatcher)
    await w.dispatcher.send(f"/undang {args}", chat=w.dispatch)
    answer = await said(w, w.dispatcher, "Undangan", private)
    found = LINK.search(answer.text)
    assert found is not None, answer.text
    told = await said(w, w.dispatch, "dikirim lewat chat pribadi", start)
    assert "t.me/" not in told.text and "Sari" in told.text
    return answer.text, found.group(0)


async def open_link(w: World, who: User, link: str, needle: str) -> Message:
    """``who`` opens the link; the bot's answer containing ``needle``."""
    start = last_id(w, who)
    await who.open_link(link)
    return await said(w, who, needle, start)


async def file_as(w: World, who: User, category: str = "Kecelakaan") -> str:
    """``who`` files a report through the guided flow; returns its ticket."""
    start = last_id(w, who)
    await who.send("/lapor")
    await who.press(await said(w, who, "Langkah 1", start), category)
    await said(w, who, "Langkah 2", start)
    await who.send_location(*f.SIMPANG_LIMA, horizontal_accuracy=20)
    await said(w, who, "Langkah 3", start)
    await who.send("Dua motor bertabrakan, satu korban luka di kepala.")
    await said(w, who, "Langkah 4", start)
    await who.send("⏭ Lewati")
    await who.press(await said(w, who, "Periksa laporan", start), "Kirim")
    sent = await said(w, who, "Laporan terkirim", start)
    return sent.text.split("Nomor tiket: ")[1].split()[0]


async def settle(w: World) -> None:
    await asyncio.sleep(0.5)
    assert w.runtime is not None and w.runtime.outbox is not None
    await w.runtime.outbox.wait_idle()


async def test_an_invited_volunteer_reports_with_the_badge_first_in_the_queue(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        public_ticket = await file_report(w)  # a stranger's report, filed first
        await w.card(public_ticket)

        text, link = await invite(w, 'relawan "SAR Semarang" 2 7d')
        assert "Relawan — SAR Semarang" in text and "Untuk 2 orang" in text
        wahyu = w.tg.user("Wahyu", username="wahyu_sar", language_code="id")
        joined = await open_link(w, wahyu, link, "terdaftar sebagai")
        assert "Relawan — SAR Semarang" in joined.text
        await said(w, w.dispatch, "Wahyu (@wahyu_sar) bergabung sebagai Relawan — SAR Semarang")

        ticket = await file_as(w, wahyu)
        card = await w.card(ticket)
        assert "✅ Relawan — SAR Semarang" in card.text
        assert "✅" not in (await w.card(public_ticket)).text

        start = last_id(w)
        await w.dispatcher.send("/antrian", chat=w.dispatch)
        queue = await said(w, w.dispatch, "Antrian", start)
        # Same priority (two accidents): the trusted reporter's newer report comes first.
        assert queue.text.index(ticket) < queue.text.index(public_ticket)
        assert "✅ Relawan — SAR Semarang" in queue.text

        start = last_id(w)
        await w.dispatcher.send("/relawan", chat=w.dispatch)
        listing = await said(w, w.dispatch, "Pelapor terpercaya", start)
        assert "Relawan — SAR Semarang" in listing.text
        assert "Wahyu (@wahyu_sar) · 1 laporan · aktif terakhir" in listing.text

        # The token lives only in the link: the database keeps its digest.
        token = link.split("start=inv_")[1]
        assert db_all(w, "SELECT token_digest, uses FROM trust_invitations") == [
            (token_digest(token), 1)
        ]
        with sqlite3.connect(w.settings.database_path) as con:
            assert not any(token in line for line in con.iterdump())
        audit = db_all(w, "SELECT kind, actor_name, subject_id FROM trust_events ORDER BY id")
        assert audit == [("invited", "Sari", None), ("joined", None, wahyu.id)]


async def test_used_expired_and_forged_links_are_refused_with_a_clear_answer(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        _, once = await invite(w, "petugas Satpol PP 1 1d")  # unquoted community works too
        ani = w.tg.user("Ani", username="ani_satpol", language_code="id")
        await open_link(w, ani, once, "terdaftar sebagai Petugas lapangan — Satpol PP")
        budi = w.tg.user("Budi", language_code="en")
        used = await open_link(w, budi, once, "used up")  # Budi's app is in English
        assert "(1 of 1)" in used.text
        again = await open_link(w, ani, once, "sudah terdaftar")  # the holder: nothing spent
        assert "Petugas lapangan — Satpol PP" in again.text

        _, short = await invite(w, 'relawan "PMI Kota Semarang" 3 2jam')
        clock.advance(timedelta(hours=3))
        citra = w.tg.user("Citra", language_code="id")
        expired = await open_link(w, citra, short, "kedaluwarsa")
        assert "berlaku sampai" in expired.text and "WIB" in expired.text

        forged = "https://t.me/semarang112_bot?start=inv_" + "A" * 32
        await open_link(w, citra, forged, "tidak dikenal")
        await open_link(w, citra, short[:-1], "tidak dikenal")  # a link cut short

        assert db_all(w, "SELECT uses FROM trust_invitations ORDER BY id") == [(1,), (0,)]
        assert db_all(w, "SELECT user_id FROM trusted_reporters") == [(ani.id,)]
        refused = db_all(
            w, "SELECT subject_id, note FROM trust_events WHERE kind = 'refused' ORDER BY id"
        )
        assert refused == [(budi.id, "used_up"), (citra.id, "expired")]


async def test_revoking_tells_the_person_and_new_reports_carry_no_badge(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        _, link = await invite(w, "rt_rw pleburan 2 7d")  # the kelurahan's official name
        eko = w.tg.user("Eko", username="eko_rw05", language_code="id")
        await open_link(w, eko, link, "terdaftar sebagai Ketua RT/RW — Pleburan")
        first = await file_as(w, eko)
        assert "✅ Ketua RT/RW — Pleburan" in (await w.card(first)).text

        start, start_eko = last_id(w), last_id(w, eko)
        await w.dispatcher.send("/cabut @eko_rw05", chat=w.dispatch)
        await said(w, w.dispatch, "Ketua RT/RW — Pleburan Eko (@eko_rw05) dicabut", start)
        told = await said(w, eko, "telah dicabut", start_eko)
        assert "Ketua RT/RW — Pleburan" in told.text

        second = await file_as(w, eko)
        card = await w.card(second)
        assert "✅" not in card.text and "terverifikasi" not in card.text
        # The earlier report keeps its badge: the statistics still count it.
        start = last_id(w)
        await w.dispatcher.send("/statistik", chat=w.dispatch)
        stats = await said(w, w.dispatch, "Pelapor terpercaya", start)
        assert "Pelapor terpercaya: 1 laporan (50,0%)" in stats.text
        assert "Publik: 1 laporan" in stats.text

        await w.dispatcher.send("/ekspor csv hari", chat=w.dispatch)
        doc = await w.tg.wait_for(w.dispatch, lambda m: m.raw.get("document") is not None)
        data = w.tg.world.files[doc.raw["document"]["file_id"]].data.decode("utf-8-sig")
        rows = {r["ticket"]: r for r in csv.DictReader(io.StringIO(data))}
        assert (rows[first]["reporter_role"], rows[first]["reporter_community"]) == (
            "rt_rw",
            "Pleburan",
        )
        assert (rows[second]["reporter_role"], rows[second]["reporter_community"]) == ("", "")
        assert "inv_" not in data

        # The revoked person cannot come back through the old link; the list is empty.
        await open_link(w, eko, link, "telah dicabut, dan tautan ini dibuat sebelumnya")
        start = last_id(w)
        await w.dispatcher.send("/relawan", chat=w.dispatch)
        await said(w, w.dispatch, "Belum ada pelapor terpercaya", start)
        audit = db_all(w, "SELECT kind, actor_name FROM trust_events WHERE subject_id = ?", eko.id)
        assert audit == [("joined", None), ("revoked", "Sari"), ("refused", None)]


async def test_a_prank_suspends_the_role_instead_of_a_strike_until_reinstated(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        _, link = await invite(w, "relawan Senkom 1 7d")
        rudi = w.tg.user("Rudi", username="rudi_senkom", language_code="id")
        await open_link(w, rudi, link, "terdaftar sebagai")
        ticket = await file_as(w, rudi)
        card = await w.card(ticket)
        start_rudi = last_id(w, rudi)
        await w.dispatcher.press(card, "Tutup")
        menu = await w.tg.wait_for_edit(card)
        await w.dispatcher.press(menu, "Laporan iseng")
        told = await said(w, rudi, "ditutup", start_rudi)
        assert "tidak dihitung sebagai peringatan" in told.text
        assert "Relawan — Senkom Anda ditangguhkan" in told.text
        assert "Sisa peringatan" not in told.text
        await said(w, w.dispatch, "Relawan — Senkom Rudi (@rudi_senkom) ditangguhkan")
        assert db_all(w, "SELECT strikes FROM reporters WHERE user_id = ?", rudi.id) == [(0,)]

        start = last_id(w)
        await w.dispatcher.send("/relawan", chat=w.dispatch)
        assert "ditangguhkan" in (await said(w, w.dispatch, "Rudi", start)).text
        during = await file_as(w, rudi)
        assert "✅" not in (await w.card(during)).text  # no badge while under review

        start_rudi = last_id(w, rudi)
        await w.dispatcher.send("/pulihkan @rudi_senkom", chat=w.dispatch)
        await said(w, rudi, "aktif kembali", start_rudi)
        after = await file_as(w, rudi)
        assert "✅ Relawan — Senkom" in (await w.card(after)).text
        kinds = db_all(
            w, "SELECT kind, actor_name, note FROM trust_events WHERE subject_id = ?", rudi.id
        )
        assert kinds == [
            ("joined", None, None),
            ("suspended", "Sari", ticket),
            ("reinstated", "Sari", None),
        ]


async def test_the_link_never_shows_in_the_group(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        # Sari never opened a private chat with the bot: no invitation, and she is told how.
        start = last_id(w)
        await w.dispatcher.send('/undang relawan "SAR Semarang" 2 7d', chat=w.dispatch)
        answer = await said(w, w.dispatch, "hanya dikirim lewat chat pribadi", start)
        assert "Mulai" in answer.text and "start=inv_" not in answer.text
        assert db_all(w, "SELECT COUNT(*) FROM trust_invitations") == [(0,)]
        # Once she has, the link goes to her alone; the group only learns that it exists.
        await invite(w, 'relawan "SAR Semarang" 2 7d')
        group = [m.text for m in w.tg.bot_messages(w.dispatch)]
        assert not any("start=inv_" in text for text in group)
        assert db_all(w, "SELECT COUNT(*) FROM trust_invitations") == [(1,)]


async def test_a_non_dispatcher_cannot_invite_list_or_revoke(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        _, link = await invite(w, "relawan Tagana 1 1d")
        await open_link(w, w.reporter, link, "terdaftar sebagai")
        start = last_id(w)
        for command in (
            '/undang relawan "SAR Semarang" 5 7d',
            "/relawan",
            "/cabut @rina_mudik",
            "/pulihkan @rina_mudik",
        ):
            await w.member.send(command, chat=w.dispatch)
        await settle(w)
        answers = [m.text for m in w.tg.bot_messages(w.dispatch) if m.message_id > start]
        assert len([a for a in answers if "hanya untuk dispatcher" in a]) == 1
        assert not any("t.me/" in a or "Pelapor terpercaya" in a or "dicabut" in a for a in answers)
        assert db_all(w, "SELECT COUNT(*) FROM trust_invitations") == [(1,)]
        assert db_all(w, "SELECT status FROM trusted_reporters") == [("active",)]
        # In a private chat the commands are not dispatcher commands at all.
        start_member = last_id(w, w.member)
        await w.member.send("/undang relawan Tagana 1 1d")
        reply = await w.tg.wait_for(w.member, lambda m: m.message_id > start_member)
        assert "t.me/" not in reply.text and "Undangan" not in reply.text
