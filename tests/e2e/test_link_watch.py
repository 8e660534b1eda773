"""End to end: nobody is left believing a report arrived when it did not.

A card kept from the dispatchers' group — a flood-limit backlog, failing requests, a bot
removed from the group — makes the reporter phone 112 within a bound, once; the receipt
("received") comes only when the card is in the group. While a group refuses the bot the
operators hear it again and again (OPS_CHAT_ID, else the other groups), and /healthz says
503 with the reason. The clock is the test's: no real waiting.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.clock import FakeClock
from bot.runtime.app import BotRuntime
from bot.runtime.health import HealthServer
from bot.services import chats
from storage import outbox
from tests.support.harness import World, file_report, routing_with_agency_groups, world

WARNING = "Telepon 112 sekarang"
RECEIPT = "diterima Command Center"


def said(w: World, chat: object, needle: str, ticket: str | None = None) -> int:
    return sum(
        needle in m.text and (ticket is None or ticket in m.text)
        for m in w.tg.bot_messages(chat)  # type: ignore[arg-type]
    )


async def tick(w: World) -> None:
    """The watch looks now; what it queued is delivered."""
    assert w.runtime is not None and w.runtime.watch is not None
    assert w.runtime.outbox is not None
    await w.runtime.watch.tick()
    w.runtime.outbox.wake()
    await w.runtime.outbox.wait_idle()


async def health(w: World) -> tuple[int, dict[str, object]]:
    rt = w.runtime
    assert rt is not None and rt.db is not None and rt.app is not None
    server = HealthServer(rt.health, rt.metrics, rt.db, rt.settings, rt.routing, rt.app.bot.get_me)
    return await server.check()


async def test_a_card_held_back_by_a_flood_wait_warns_the_reporter_once_then_the_receipt_comes(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        w.server.add_fault(
            method="sendMessage",
            status=429,
            description="Too Many Requests: retry after 300",
            parameters={"retry_after": 300},
            chat_id=w.dispatch.id,
            count=None,
        )
        ticket = await file_report(w)
        clock.advance(timedelta(seconds=44))
        await tick(w)
        assert said(w, w.reporter, WARNING) == 0  # within the bound: nothing yet
        assert said(w, w.reporter, RECEIPT) == 0  # and no "received" it cannot keep

        assert (await health(w))[0] == 200
        assert w.runtime is not None and w.runtime.metrics.figures.reports_not_received == 0
        clock.advance(timedelta(seconds=1))
        await tick(w)
        warning = await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text)
        await health(w)
        assert w.runtime.metrics.figures.reports_not_received == 1
        assert ticket in warning.text and "belum sampai" in warning.text
        clock.advance(timedelta(seconds=60))
        await tick(w)
        assert said(w, w.reporter, WARNING) == 1  # once
        await w.reporter.send("/status")
        status = await w.tg.wait_for(w.reporter, lambda m: "Laporan Anda" in m.text)
        assert ticket in status.text and "belum sampai di grup petugas" in status.text

        w.server.clear_faults()  # the backlog clears
        clock.advance(timedelta(seconds=300))
        await tick(w)
        card = await w.card(ticket, timeout=10)
        receipt = await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text and ticket in m.text)
        assert receipt.message_id > warning.message_id
        assert "tampil di grup petugas" in receipt.text  # what "received" means
        assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
        await tick(w)
        assert said(w, w.reporter, WARNING) == 1 and said(w, w.reporter, RECEIPT, ticket) == 1


async def test_a_card_that_arrives_before_the_warning_could_leave_makes_it_moot(
    tmp_path: Path,
) -> None:
    """Every request fails for a while (Telegram down): the warning queued meanwhile is not
    sent once the card is through — the reporter gets the receipt, not a false alarm."""
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        w.server.add_fault(method="sendMessage", status=502, chat_id=w.dispatch.id, count=None)
        ticket = await file_report(w)
        w.server.add_fault(method="sendMessage", status=502, chat_id=w.reporter.id, count=None)
        clock.advance(timedelta(seconds=50))
        assert w.runtime is not None and w.runtime.watch is not None
        await w.runtime.watch.tick()  # the warning is queued, but cannot leave yet

        w.server.clear_faults()
        clock.advance(timedelta(seconds=11))  # every retry's backoff (at most 10 s) is over
        assert w.runtime.outbox is not None
        w.runtime.outbox.wake()
        await w.card(ticket, timeout=20)
        await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text, timeout=20)
        await w.runtime.outbox.wait_idle()
        assert said(w, w.reporter, WARNING) == 0


async def test_an_sos_reporter_is_answered_at_once_and_told_received_only_when_it_is(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        w.server.add_fault(
            method="sendMessage",
            status=429,
            description="Too Many Requests: retry after 300",
            parameters={"retry_after": 300},
            chat_id=w.dispatch.id,
            count=None,
        )
        await w.reporter.send_location(-6.9903, 110.4229)  # no report in progress: an SOS
        ack = await w.tg.wait_for(w.reporter, lambda m: "Lokasi Anda terkirim" in m.text)
        assert "Apa yang terjadi?" in ack.text and ack.inline_buttons  # questions at once
        assert said(w, w.reporter, RECEIPT) == 0  # not "received" while the card waits
        await w.reporter.press(ack, "Kebakaran")  # the reporter can go on answering
        await w.tg.wait_for(w.reporter, lambda m: "Ceritakan singkat" in m.text)

        w.server.clear_faults()
        clock.advance(timedelta(seconds=300))
        await tick(w)
        card = await w.tg.wait_for(w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text)
        receipt = await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text)
        assert "tampil di grup petugas" in receipt.text and receipt.message_id > ack.message_id
        assert card.text


async def test_a_report_cancelled_before_its_card_arrived_is_not_then_called_received(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        w.server.add_fault(
            method="sendMessage",
            status=429,
            description="Too Many Requests: retry after 300",
            parameters={"retry_after": 300},
            chat_id=w.dispatch.id,
            count=None,
        )
        ticket = await file_report(w)
        await w.reporter.send("/status")
        status = await w.tg.wait_for(w.reporter, lambda m: "Laporan Anda" in m.text)
        await w.reporter.press(status, f"Batalkan {ticket}")
        await w.tg.wait_for(w.reporter, lambda m: "dibatalkan" in m.text and ticket in m.text)

        w.server.clear_faults()
        clock.advance(timedelta(seconds=300))
        await tick(w)
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text)  # the card still goes
        clock.advance(timedelta(seconds=60))
        await tick(w)
        assert said(w, w.reporter, RECEIPT) == 0  # "officers will act" would be false now
        assert said(w, w.reporter, WARNING) == 0


async def test_a_kicked_bot_warns_once_alerts_again_while_it_lasts_and_health_says_why(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(update={"ops_chat_id": ops.id})
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher, status="kicked")
            ticket = await file_report(w)
            await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text and ticket in m.text)
            await w.tg.wait_for(ops, lambda m: "tidak bisa menulis di grup dispatch" in m.text)
            code, body = await health(w)
            assert code == 503
            problems = body["problems"]
            assert isinstance(problems, list)
            assert any(str(w.dispatch.id) in p and "held" in p for p in problems)

            clock.advance(timedelta(minutes=1))
            await tick(w)  # the delay bound passes too: no second warning
            assert said(w, w.reporter, WARNING) == 1
            assert said(w, ops, "Masih terputus") == 0

            clock.advance(timedelta(minutes=14))
            await tick(w)
            again = await w.tg.wait_for(ops, lambda m: "Masih terputus" in m.text)
            assert str(w.dispatch.id) in again.text and "15 menit" in again.text
            clock.advance(timedelta(minutes=5))
            await tick(w)
            assert said(w, ops, "Masih terputus") == 1
            clock.advance(timedelta(minutes=10))
            await tick(w)
            assert said(w, ops, "Masih terputus") == 2

            w.tg.add_bot_to_group(w.dispatch, by=w.dispatcher)
            await w.card(ticket, timeout=10)
            await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text)
            await w.tg.wait_for(ops, lambda m: "Bot kembali" in m.text)
            code, body = await health(w)
            assert body["cut_off_chats"] == []
            clock.advance(timedelta(minutes=30))
            await tick(w)
            assert said(w, ops, "Masih terputus") == 2  # over: no more alerts
            assert said(w, w.reporter, WARNING) == 1


async def test_a_bot_that_may_not_write_in_the_group_is_an_incident_and_a_probe_ends_it(
    tmp_path: Path,
) -> None:
    """Restricted, or "only admins may post": Telegram answers 400, not 403, and no
    membership update may ever say it is over. The card is held (never given up), the
    operators and the reporter are told, and a probe every alert period finds the group
    writable again: the card goes exactly once and the operators hear it is over."""
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(update={"ops_chat_id": ops.id})
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.server.add_fault(
                method="sendMessage",
                status=400,
                description="Bad Request: not enough rights to send text messages to the chat",
                chat_id=w.dispatch.id,
                count=None,
            )
            ticket = await file_report(w)
            alert = await w.tg.wait_for(
                ops, lambda m: "tidak bisa menulis di grup dispatch" in m.text
            )
            assert "Not enough rights" in alert.text
            await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text and ticket in m.text)
            assert (await health(w))[0] == 503

            clock.advance(timedelta(minutes=15))
            await tick(w)  # still refused: the probe is held again, the operators told again
            await w.tg.wait_for(ops, lambda m: "Masih terputus" in m.text)
            assert not any(ticket in m.text for m in w.tg.bot_messages(w.dispatch))

            w.server.clear_faults()  # an admin lets the bot write again; no update says so
            clock.advance(timedelta(minutes=15))
            await tick(w)  # the probe goes through
            await w.card(ticket, timeout=10)
            await tick(w)  # seen: everything held goes, the incident is over
            await w.tg.wait_for(ops, lambda m: "Bot kembali" in m.text)
            await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text and ticket in m.text)
            assert (await health(w))[0] == 200
            cards = [
                m for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text and ticket in m.text
            ]
            assert len(cards) == 1


async def test_without_ops_chat_a_refusing_agency_group_is_told_to_the_dispatchers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        damkar = w.tg.group("Damkar Kota Semarang — Piket", members=[officer])
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id})}
        )
        assert settings.ops_chat_id is None
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            w.tg.remove_bot_from_group(damkar, by=officer, status="kicked")
            await w.dispatcher.press(card, "Kirim instansi")
            menu = await w.tg.wait_for_edit(card)
            with caplog.at_level(logging.ERROR):
                await w.dispatcher.press(menu, "Damkar")
                alert = await w.tg.wait_for(
                    w.dispatch, lambda m: "tidak bisa menulis di grup instansi" in m.text
                )
            assert str(damkar.id) in alert.text
            assert any(
                r.levelno == logging.ERROR and str(damkar.id) in r.getMessage()
                for r in caplog.records
            )
            code, body = await health(w)
            assert code == 503
            problems = body["problems"]
            assert isinstance(problems, list)
            assert any("agency chat" in p and str(damkar.id) in p for p in problems)
            # The card reached the dispatchers: the reporter is not told otherwise.
            assert said(w, w.reporter, WARNING) == 0

            clock.advance(timedelta(minutes=15))
            await tick(w)
            await w.tg.wait_for(
                w.dispatch, lambda m: "Masih terputus" in m.text and str(damkar.id) in m.text
            )

            w.tg.add_bot_to_group(damkar, by=officer)
            await w.tg.wait_for(
                damkar, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            await w.tg.wait_for(w.dispatch, lambda m: "Bot kembali" in m.text)


async def test_with_no_other_chat_to_tell_the_log_says_it_at_error_again_and_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, clock=clock) as w:
        with caplog.at_level(logging.ERROR):
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher, status="kicked")
            ticket = await file_report(w)
            await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text and ticket in m.text)
            clock.advance(timedelta(minutes=15))
            await tick(w)
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert any("no other chat takes the bot's messages" in e for e in errors)
        assert any("still refuses" in e and str(w.dispatch.id) in e for e in errors)

        assert w.runtime is not None
        await w.runtime.__aexit__(None, None, None)  # a restart: the incident is remembered
        async with BotRuntime(w.settings, clock=clock, poll_timeout=1) as again:
            w.runtime = again
            code, body = await health(w)
            assert code == 503 and len(body["cut_off_chats"]) == 1  # type: ignore[arg-type]
            caplog.clear()
            with caplog.at_level(logging.ERROR):
                clock.advance(timedelta(minutes=15))
                await tick(w)
            assert any("still refuses" in r.getMessage() for r in caplog.records)
            w.tg.add_bot_to_group(w.dispatch, by=w.dispatcher)
            await w.card(ticket, timeout=10)
            await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text)


async def test_a_group_the_bot_does_not_serve_refusing_it_is_no_incident(tmp_path: Path) -> None:
    """E.g. an agency taken out of the routing file while a message waited for its group:
    given up, not held, no alert, no 503."""
    async with world(tmp_path) as w:
        other = w.tg.group("Grup RT 05", members=[w.member])
        w.tg.remove_bot_from_group(other, by=w.member, status="kicked")
        assert w.runtime is not None and w.runtime.db is not None
        assert w.runtime.outbox is not None
        await chats.notify_ops(w.runtime.db, other.id, "Halo", w.runtime.clock.now())
        w.runtime.outbox.wake()
        await w.runtime.outbox.wait_idle()
        assert w.tg.answers(403, other) == 1
        assert (await outbox.counts(w.runtime.db)).get("failed") == 1
        _code, body = await health(w)
        assert body["cut_off_chats"] == []
        ticket = await file_report(w)  # the dispatch group is not affected
        await w.card(ticket)
        assert said(w, w.dispatch, "dikeluarkan") == 0


async def test_a_reporter_warned_about_a_delay_is_not_warned_again_when_the_bot_is_kicked(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(update={"ops_chat_id": ops.id})
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.server.add_fault(
                method="sendMessage",
                status=429,
                description="Too Many Requests: retry after 120",
                parameters={"retry_after": 120},
                chat_id=w.dispatch.id,
                count=None,
            )
            ticket = await file_report(w)
            clock.advance(timedelta(seconds=45))
            await tick(w)
            await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text and ticket in m.text)

            w.server.clear_faults()
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher, status="kicked")
            clock.advance(timedelta(seconds=120))
            await tick(w)
            await w.tg.wait_for(ops, lambda m: "tidak bisa menulis di grup dispatch" in m.text)
            assert said(w, w.reporter, WARNING) == 1

            w.tg.add_bot_to_group(w.dispatch, by=w.dispatcher)
            await w.card(ticket, timeout=10)
            await w.tg.wait_for(w.reporter, lambda m: RECEIPT in m.text)
            assert said(w, w.reporter, WARNING) == 1


async def test_with_no_group_left_the_listed_dispatchers_are_told_in_private(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        settings = w.settings.model_copy(update={"dispatcher_ids": [w.dispatcher.id]})
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            await w.dispatcher.send("/start")  # a private chat with the bot
            await w.tg.wait_for(w.dispatcher, lambda m: True)
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher2, status="kicked")
            await file_report(w)
            await w.tg.wait_for(
                w.dispatcher, lambda m: "tidak bisa menulis di grup dispatch" in m.text
            )
            clock.advance(timedelta(minutes=15))
            await tick(w)
            await w.tg.wait_for(w.dispatcher, lambda m: "Masih terputus" in m.text)


async def test_when_the_ops_chat_refuses_too_an_agency_group_hears_it(tmp_path: Path) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        damkar = w.tg.group("Damkar Kota Semarang — Piket", members=[officer])
        settings = w.settings.model_copy(
            update={
                "ops_chat_id": ops.id,
                "routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id}),
            }
        )
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.tg.remove_bot_from_group(ops, by=w.dispatcher, status="kicked")
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher, status="kicked")
            ticket = await file_report(w)
            await w.tg.wait_for(w.reporter, lambda m: WARNING in m.text and ticket in m.text)
            told = await w.tg.wait_for(damkar, lambda m: "grup operator" in m.text)
            assert str(ops.id) in told.text
            clock.advance(timedelta(minutes=15))
            await tick(w)
            await w.tg.wait_for(
                damkar, lambda m: "Masih terputus" in m.text and str(w.dispatch.id) in m.text
            )
            code, body = await health(w)
            assert code == 503 and len(body["cut_off_chats"]) == 2  # type: ignore[arg-type]
            problems = " ".join(body["problems"])  # type: ignore[arg-type]
            assert "the ops chat" in problems and "the dispatch chat" in problems


async def test_a_refusing_group_taken_out_of_the_configuration_is_no_longer_waited_for(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, start_bot=False) as w:
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        damkar = w.tg.group("Damkar Kota Semarang — Piket", members=[officer])
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id})}
        )
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            w.tg.remove_bot_from_group(damkar, by=officer, status="kicked")
            await w.dispatcher.press(card, "Kirim instansi")
            await w.dispatcher.press(await w.tg.wait_for_edit(card), "Damkar")
            await w.tg.wait_for(
                w.dispatch, lambda m: "tidak bisa menulis di grup instansi" in m.text
            )

        async with BotRuntime(w.settings, clock=clock, poll_timeout=1) as again:  # no damkar
            w.runtime = again
            clock.advance(timedelta(minutes=15))
            await tick(w)
            _code, body = await health(w)
            assert body["cut_off_chats"] == []
            assert said(w, w.dispatch, "Masih terputus") == 0
