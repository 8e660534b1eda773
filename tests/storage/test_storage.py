"""Storage: migrations, drafts, submission (one transaction, idempotent), the outbox."""

import asyncio
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.services import delivery, drafts
from bot.services.reports import Submitted, submit_report
from storage import drafts as stored_drafts
from storage import outbox, reports
from storage.db import Database
from storage.events import report_events
from storage.message_map import map_message, report_for_message
from storage.migrations import MIGRATIONS, DuplicateMigration, Migration, in_order
from tests.support import factories as f


def card_and_receipt(state: CardState) -> list[OutboundMessage]:
    report = state.report
    return [
        OutboundMessage(
            -100, "send_message", {"text": report.ticket}, "card", 20, report.id, key="card"
        ),
        OutboundMessage(
            -100,
            "send_location",
            {"latitude": 1, "longitude": 2},
            "card_extra",
            20,
            report.id,
            reply_to_key="card",
        ),
        OutboundMessage(report.chat_id, "send_message", {"text": "ok"}, "receipt", 10, report.id),
    ]


async def submit(db: Database, draft=None, now=None) -> Submitted:  # type: ignore[no-untyped-def]
    done = await submit_report(
        db, draft or f.draft(), f.reporter(), f.intake(), now or f.at(7, 45), card_and_receipt
    )
    assert isinstance(done, Submitted)
    return done


async def test_migrations_are_recorded_and_not_reapplied(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.sqlite3")
    assert await db.migrate(MIGRATIONS) == []
    async with db.read() as tx:
        names = [r["name"] for r in await tx.all("SELECT name FROM _migrations")]
        mode = await tx.one("PRAGMA journal_mode")
        fk = await tx.one("PRAGMA foreign_keys")
    assert names == [m.name for m in MIGRATIONS]
    assert mode is not None and mode[0] == "wal"
    assert fk is not None and fk[0] == 1
    await db.close()


def test_a_migration_name_listed_twice_is_refused() -> None:
    again = Migration(MIGRATIONS[2].name, ("SELECT 1",))
    with pytest.raises(DuplicateMigration, match=MIGRATIONS[2].name):
        in_order((*MIGRATIONS, again))
    assert in_order(MIGRATIONS) == MIGRATIONS


async def test_the_database_refuses_a_migration_list_naming_one_twice(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "d.sqlite3")
    with pytest.raises(DuplicateMigration):
        await db.migrate((*MIGRATIONS, Migration("0099_new", ()), Migration("0099_new", ())))
    async with db.read() as tx:
        names = [r["name"] for r in await tx.all("SELECT name FROM _migrations")]
    assert "0099_new" not in names
    await db.close()


@pytest.mark.parametrize("section", ["read", "transaction"])
async def test_a_task_cancelled_while_its_transaction_begins_leaves_the_connection_usable(
    db: Database, section: str
) -> None:
    async def use() -> None:
        async with getattr(db, section)() as tx:
            await tx.execute("INSERT INTO _migrations(name) VALUES ('never')")

    task = asyncio.create_task(use())
    await asyncio.sleep(0)  # the task now waits for its BEGIN in the connection's thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as tx:  # used to fail for good: a transaction was left open
        await tx.execute("INSERT INTO _migrations(name) VALUES ('after')")
    async with db.read() as tx:
        names = {row["name"] for row in await tx.all("SELECT name FROM _migrations")}
    assert "after" in names and "never" not in names


async def test_a_task_cancelled_while_it_commits_leaves_the_connection_usable(
    db: Database,
) -> None:
    done = asyncio.Event()

    async def use() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO _migrations(name) VALUES ('committing')")
            done.set()  # the task goes on to COMMIT without yielding before it

    task = asyncio.create_task(use())
    await done.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO _migrations(name) VALUES ('after')")
    async with db.read() as tx:
        names = {row["name"] for row in await tx.all("SELECT name FROM _migrations")}
    assert "after" in names  # 'committing' may or may not have made it: the caller was told


async def test_a_task_cancelled_in_the_middle_of_a_transaction_rolls_it_back(db: Database) -> None:
    inside = asyncio.Event()

    async def use() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO _migrations(name) VALUES ('half')")
            inside.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(use())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.read() as tx:
        assert await tx.one("SELECT 1 FROM _migrations WHERE name = 'half'") is None


async def test_draft_round_trip_and_expiry(db: Database) -> None:
    d = f.draft(step=f.Step.DETAILS, attachments=[f.photo()])
    await drafts.open_session(db, f.reporter(), d.chat_id, f.at())
    await drafts.save_draft(db, d, f.at(5, 0), timedelta(minutes=60))
    stored = await stored_drafts.load_draft(db, d.chat_id)
    assert stored is not None and stored.draft == d
    assert stored.expires_at == f.at(6, 0)
    async with db.read() as tx:
        assert await stored_drafts.expired_drafts(tx, f.at(5, 59)) == []
        expired = await stored_drafts.expired_drafts(tx, f.at(6, 0))
    assert [(x.uid, r.user_id) for x, r in expired] == [(d.uid, 1001)]
    assert await drafts.discard_draft(db, d.chat_id, "00000000") is False
    assert await drafts.discard_draft(db, d.chat_id, d.uid) is True


async def test_a_session_writes_the_reporter_only_when_telegram_tells_something_new(
    db: Database,
) -> None:
    async def seen() -> tuple[str, str]:
        async with db.read() as tx:
            row = await tx.one("SELECT username, updated_at FROM reporters WHERE user_id = 1001")
        assert row is not None
        return row["username"], row["updated_at"]

    d = f.draft()
    await drafts.open_session(db, f.reporter(), d.chat_id, f.at(5, 0))
    await drafts.save_draft(db, d, f.at(5, 0), timedelta(minutes=60))
    first = await seen()
    opened = await drafts.open_session(db, f.reporter(), d.chat_id, f.at(5, 30))
    assert opened.draft == d and opened.reporter.username == "budi_smg"
    assert await seen() == first  # nothing new: read only
    renamed = await drafts.open_session(
        db, f.reporter(username="budi_baru"), d.chat_id, f.at(5, 31)
    )
    assert renamed.reporter.username == "budi_baru" and renamed.draft == d
    assert (await seen())[0] == "budi_baru"
    # An expired draft is still removed and handed back, as before.
    late = await drafts.open_session(db, f.reporter(username="budi_baru"), d.chat_id, f.at(6, 1))
    assert late.draft is None and late.expired == d
    # Retention counts from "last seen": an unchanged reporter is still refreshed hourly.
    await drafts.open_session(db, f.reporter(username="budi_baru"), d.chat_id, f.at(6, 40))
    assert (await seen())[1] == f.at(6, 1).astimezone(UTC).isoformat()
    await drafts.open_session(db, f.reporter(username="budi_baru"), d.chat_id, f.at(7, 2))
    assert (await seen())[1] == f.at(7, 2).astimezone(UTC).isoformat()


async def test_submit_stores_everything_in_one_go_and_is_idempotent(db: Database) -> None:
    d = f.draft(attachments=[f.photo(1), f.photo(2)])
    await drafts.open_session(db, f.reporter(), d.chat_id, f.at())
    await drafts.save_draft(db, d, f.at(), timedelta(minutes=60))
    first = await submit(db, d)
    again = await submit(db, d)
    assert first.created and not again.created
    assert again.report.ticket == first.report.ticket == "SMG-260327-0001"
    r = first.report
    assert r.state == "submitted" and r.details == d.details and len(r.attachments) == 2
    assert await stored_drafts.load_draft(db, d.chat_id) is None
    assert (await outbox.counts(db)) == {"pending": 3}
    events = await report_events(db, r.id)
    assert [e.kind.value for e in events] == ["submitted"]


async def test_ticket_sequence_restarts_each_local_day(db: Database) -> None:
    # 16:59 UTC is 23:59 WIB on the 27th; 17:00 UTC is already the 28th in Semarang.
    a = await submit(db, f.draft(), f.at(16, 59))
    b = await submit(db, f.draft(), f.at(16, 59))
    c = await submit(db, f.draft(), f.at(17, 0))
    assert [a.report.ticket, b.report.ticket, c.report.ticket] == [
        "SMG-260327-0001",
        "SMG-260327-0002",
        "SMG-260328-0001",
    ]


async def test_a_failing_submission_leaves_nothing_behind(db: Database) -> None:
    d = f.draft()
    await drafts.open_session(db, f.reporter(), d.chat_id, f.at())
    await drafts.save_draft(db, d, f.at(), timedelta(minutes=60))

    def broken(state: CardState) -> list[OutboundMessage]:
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        await submit_report(db, d, f.reporter(), f.intake(), f.at(), broken)
    async with db.read() as tx:
        count = await tx.one("SELECT COUNT(*) FROM reports")
    assert count is not None and count[0] == 0
    assert (
        await stored_drafts.load_draft(db, d.chat_id) is not None
    )  # the reporter can press Send again


async def test_events_are_append_only(db: Database) -> None:
    r = (await submit(db)).report
    with pytest.raises(Exception, match="append-only"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE report_events SET kind = 'x' WHERE report_id = ?", (r.id,))


async def test_outbox_order_dependencies_and_recovery(db: Database) -> None:
    r = (await submit(db)).report
    due = await outbox.due(db, f.at(8))
    # The pin waits for the card it replies to; the receipt ("received") waits for the card
    # to reach the group.
    assert [m.role for m in due] == ["card"]
    card = due[0]
    await delivery.start_sending(db, card.id)
    assert await delivery.recover_inflight(db) == 1  # a crash while the card was in flight
    due = await outbox.due(db, f.at(8))
    assert due[0].id == card.id and due[0].uncertain and due[0].attempts == 1
    await delivery.delivered(db, card, 77, f.at(8))
    async with db.transaction() as tx:
        assert not await map_message(tx, -100, 77, r.id, "card", f.at(8))  # a retry maps once
        assert not await delivery.mark_received(tx, r.id, f.at(9))
    due = await outbox.due(db, f.at(8))
    assert [(m.role, m.reply_to_message_id) for m in due] == [("card_extra", 77), ("receipt", None)]
    assert await report_for_message(db, -100, 77) == r.id
    stored = await reports.get_report(db, r.id)
    assert stored is not None and stored.state == "received" and stored.received_at == f.at(8)


async def test_a_row_left_in_flight_is_recovered_while_another_is_kept(db: Database) -> None:
    await submit(db)
    card = (await outbox.due(db, f.at(8)))[0]
    await delivery.start_sending(db, card.id)
    assert await delivery.recover_inflight(db, keep={card.id}) == 0  # really in flight
    assert await outbox.sending(db) == [card.id]
    assert await delivery.recover_inflight(db, keep={card.id + 100}) == 1
    assert (await outbox.due(db, f.at(8)))[0].uncertain


async def test_a_clock_stepped_back_moves_waiting_rows_back_by_as_much(db: Database) -> None:
    await submit(db)
    async with db.transaction() as tx:
        await outbox.defer_chat(tx, -100, f.at(8) + timedelta(seconds=30))
    assert await outbox.newest_queued(db) is not None
    back = timedelta(hours=3)
    now = f.at(8) - back + timedelta(seconds=10)
    # The card and its pin wait for the chat; the receipt was queued 2 h 15 min "ago".
    assert await delivery.clock_went_back(db, back, now) == 3
    # They wait the 30 s they were given (20 s are left), not 3 hours more.
    assert await outbox.due(db, now + timedelta(seconds=19)) == []
    assert [m.role for m in await outbox.due(db, now + timedelta(seconds=20))] == ["card"]
    assert await delivery.clock_went_back(db, timedelta(days=1), now) == 2  # never before now
    assert [m.role for m in await outbox.due(db, now)] == ["card"]


async def test_flood_wait_defers_the_whole_chat(db: Database) -> None:
    await submit(db)
    async with db.transaction() as tx:
        await outbox.defer_chat(tx, -100, f.at(9))
    assert [m.role for m in await outbox.due(db, f.at(8))] == []  # the receipt waits too
    assert await outbox.next_wakeup(db) is not None


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's backup API (PostgreSQL: pg_dump)
async def test_online_backup_is_a_working_database(db: Database, tmp_path: Path) -> None:
    await submit(db)
    await db.backup(tmp_path / "backup" / "copy.sqlite3")
    copy = await Database.open(tmp_path / "backup" / "copy.sqlite3")
    assert (await reports.get_report_by_ticket(copy, "SMG-260327-0001")) is not None
    await copy.close()


async def test_a_late_card_warns_its_reporter_once_and_an_arriving_card_makes_a_queued_warning_moot(
    db: Database,
) -> None:
    from bot.services import receipts

    def warning(states: list[CardState]) -> list[OutboundMessage]:
        return [
            OutboundMessage(
                s.report.chat_id, "send_message", {"text": "112"}, "not_received", 15, s.report.id
            )
            for s in states
        ]

    r = (await submit(db, now=f.at(8))).report
    bound = timedelta(seconds=45)
    assert await receipts.next_warning_due(db, f.at(8), bound) == f.at(8) + bound
    assert await receipts.warn_overdue(db, f.at(8) + timedelta(seconds=44), bound, warning) == []
    later = f.at(8) + bound
    assert [s.report.id for s in await receipts.warn_overdue(db, later, bound, warning)] == [r.id]
    assert await receipts.warn_overdue(db, later + bound, bound, warning) == []  # once
    assert await receipts.next_warning_due(db, later, bound) is None
    assert [m.role for m in await outbox.due(db, later)] == ["card", "not_received"]

    card = (await outbox.due(db, later))[0]
    await delivery.delivered(db, card, 77, later)
    roles = [m.role for m in await outbox.due(db, later)]
    assert "receipt" in roles and "not_received" not in roles  # the card went first
    async with db.read() as tx:
        row = await tx.one("SELECT status FROM outbox WHERE role = 'not_received'")
    assert row is not None and row["status"] == "superseded"


async def test_each_chat_has_one_next_row_and_a_group_its_cards_first(db: Database) -> None:
    first = (await submit(db)).report
    heads = await outbox.heads(db, f.at(8))
    assert [(m.chat_id, m.role) for m in heads] == [(-100, "card")]  # the receipt is held
    card = heads[0]
    await delivery.start_sending(db, card.id)
    assert await outbox.heads(db, f.at(8)) == []  # one message in flight per chat
    await delivery.delivered(db, card, 77, f.at(8))
    heads = await outbox.heads(db, f.at(8))
    assert sorted((m.chat_id, m.role) for m in heads) == [
        (-100, "card_extra"),
        (first.chat_id, "receipt"),
    ]  # chats in parallel: the group's pin and the reporter's receipt
    # Another report's card arrives while the pin waits: in the group the card goes first.
    await submit(db, f.draft(chat_id=first.chat_id + 1, user_id=first.chat_id + 1))
    group = next(m for m in await outbox.heads(db, f.at(8)) if m.chat_id == -100)
    assert group.role == "card"
