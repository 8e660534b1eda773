"""The ``reporters`` table: who reports, their choices, their prank strikes."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Language, Reporter, utc_iso
from bot.domain.strikes import StrikeRecord
from storage.db import Database, Row, Tx


def reporter_from(row: Row) -> Reporter:
    """A reporter from a ``reporters`` row (or a join that carries its columns)."""
    return Reporter(
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        client_language=row["client_language"],
        language=row["language"],
        phone=row["phone"],
    )


async def upsert_reporter(tx: Tx, reporter: Reporter, now: datetime) -> None:
    """Insert or refresh what Telegram tells about a reporter (choices are kept)."""
    await tx.execute(
        """
        INSERT INTO reporters (user_id, first_name, last_name, username, client_language,
                               created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            first_name = excluded.first_name, last_name = excluded.last_name,
            username = excluded.username, client_language = excluded.client_language,
            updated_at = excluded.updated_at
        """,
        (
            reporter.user_id,
            reporter.first_name,
            reporter.last_name,
            reporter.username,
            reporter.client_language,
            utc_iso(now),
            utc_iso(now),
        ),
    )


async def reporter_in(tx: Tx, user_id: int) -> Reporter | None:
    """A stored reporter, inside a transaction."""
    row = await tx.one("SELECT * FROM reporters WHERE user_id = ?", (user_id,))
    return reporter_from(row) if row else None


async def get_reporter(db: Database, user_id: int) -> Reporter | None:
    """A stored reporter, or None."""
    async with db.read() as tx:
        return await reporter_in(tx, user_id)


async def find_reporter(tx: Tx, who: str) -> Reporter | None:
    """A reporter by user id or @username (case-insensitive); None if unknown."""
    who = who.strip().removeprefix("@")
    if who.lstrip("-").isdigit():
        if abs(int(who)) >= 2**63:  # not an id SQLite (or Telegram) can hold
            return None
        return await reporter_in(tx, int(who))
    row = await tx.one("SELECT * FROM reporters WHERE lower(username) = lower(?)", (who,))
    return reporter_from(row) if row else None


async def set_language(tx: Tx, user_id: int, language: Language) -> None:
    """Remember a reporter's explicit language choice."""
    await tx.execute("UPDATE reporters SET language = ? WHERE user_id = ?", (language, user_id))


async def set_phone(tx: Tx, user_id: int, phone: str) -> None:
    """Remember the number a reporter shared."""
    await tx.execute("UPDATE reporters SET phone = ? WHERE user_id = ?", (phone, user_id))


async def strike_record_in(tx: Tx, user_id: int) -> StrikeRecord:
    """A reporter's prank strikes and whether they are blocked (a clean record if unknown)."""
    row = await tx.one("SELECT strikes, blocked_at FROM reporters WHERE user_id = ?", (user_id,))
    if row is None:
        return StrikeRecord()
    return StrikeRecord(int(row["strikes"]), row["blocked_at"] is not None)


async def strike_record(db: Database, user_id: int) -> StrikeRecord:
    """:func:`strike_record_in` in its own read."""
    async with db.read() as tx:
        return await strike_record_in(tx, user_id)


async def store_strikes(tx: Tx, user_id: int, record: StrikeRecord, at: datetime) -> None:
    """Store a reporter's strikes; a block keeps the time it was first decided."""
    await tx.execute(
        "UPDATE reporters SET strikes = ?,"
        " blocked_at = CASE WHEN ? THEN COALESCE(blocked_at, ?) ELSE NULL END"
        " WHERE user_id = ?",
        (record.strikes, int(record.blocked), utc_iso(at), user_id),
    )
