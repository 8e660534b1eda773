"""The ``drafts`` table: one report being written per private chat, with its idle expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.models import Draft, Reporter, from_iso, utc_iso
from storage.db import Database, Tx
from storage.reporters import reporter_from


@dataclass(frozen=True)
class StoredDraft:
    """A draft and when it expires."""

    draft: Draft
    expires_at: datetime


async def draft_in(tx: Tx, chat_id: int) -> StoredDraft | None:
    """The draft of a private chat, expired or not, inside a transaction."""
    row = await tx.one("SELECT data, expires_at FROM drafts WHERE chat_id = ?", (chat_id,))
    if row is None:
        return None
    return StoredDraft(Draft.model_validate_json(row["data"]), from_iso(row["expires_at"]))


@dataclass(frozen=True)
class StoredSession:
    """A stored reporter (with when Telegram last described them) and their chat's draft."""

    reporter: Reporter
    seen_at: datetime
    draft: StoredDraft | None


async def session_in(tx: Tx, user_id: int, chat_id: int) -> StoredSession | None:
    """The reporter and the chat's draft in one statement; None for an unknown reporter."""
    row = await tx.one(
        "SELECT p.*, d.data AS draft_data, d.expires_at AS draft_expires_at"
        " FROM reporters p LEFT JOIN drafts d ON d.chat_id = ? WHERE p.user_id = ?",
        (chat_id, user_id),
    )
    if row is None:
        return None
    draft = None
    if row["draft_data"] is not None:
        draft = StoredDraft(
            Draft.model_validate_json(row["draft_data"]), from_iso(row["draft_expires_at"])
        )
    return StoredSession(reporter_from(row), from_iso(row["updated_at"]), draft)


async def load_draft(db: Database, chat_id: int) -> StoredDraft | None:
    """The draft of a private chat, expired or not."""
    async with db.read() as tx:
        return await draft_in(tx, chat_id)


async def save_draft(tx: Tx, draft: Draft, now: datetime, ttl: timedelta) -> None:
    """Store the draft after an answer; its idle expiry moves forward."""
    await tx.execute(
        """
        INSERT INTO drafts (chat_id, user_id, uid, step, data, created_at, updated_at,
                            expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (chat_id) DO UPDATE SET
            user_id = excluded.user_id, uid = excluded.uid, step = excluded.step,
            data = excluded.data, updated_at = excluded.updated_at,
            expires_at = excluded.expires_at
        """,
        (
            draft.chat_id,
            draft.user_id,
            draft.uid,
            draft.step.value,
            draft.model_dump_json(),
            utc_iso(now),
            utc_iso(now),
            utc_iso(now + ttl),
        ),
    )


async def delete_draft(tx: Tx, chat_id: int, uid: str | None = None) -> bool:
    """Remove a chat's draft (only the one named by ``uid`` if given); True if removed."""
    if uid is None:
        cur = await tx.execute("DELETE FROM drafts WHERE chat_id = ?", (chat_id,))
    else:
        cur = await tx.execute("DELETE FROM drafts WHERE chat_id = ? AND uid = ?", (chat_id, uid))
    return bool(cur.rowcount)


async def expired_drafts(tx: Tx, now: datetime) -> list[tuple[Draft, Reporter]]:
    """Drafts idle past their expiry, each with its reporter."""
    rows = await tx.all(
        "SELECT d.data, p.* FROM drafts d JOIN reporters p ON p.user_id = d.user_id"
        " WHERE d.expires_at <= ?",
        (utc_iso(now),),
    )
    return [(Draft.model_validate_json(r["data"]), reporter_from(r)) for r in rows]


async def next_draft_expiry(db: Database) -> datetime | None:
    """When the next draft expires."""
    async with db.read() as tx:
        row = await tx.one("SELECT MIN(expires_at) AS t FROM drafts")
    return from_iso(row["t"]) if row and row["t"] else None
