"""Chat ids Telegram replaced (group → supergroup), kept across restarts."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import utc_iso
from storage.db import Database, Tx


async def record_move(tx: Tx, old_chat_id: int, new_chat_id: int, at: datetime) -> bool:
    """Remember that ``old`` became ``new``; False if it was known already."""
    cur = await tx.execute(
        "INSERT INTO chat_moves (old_chat_id, new_chat_id, moved_at) VALUES (?, ?, ?)"
        " ON CONFLICT (old_chat_id) DO NOTHING",
        (old_chat_id, new_chat_id, utc_iso(at)),
    )
    return bool(cur.rowcount)


async def moves(db: Database) -> dict[int, int]:
    """Every recorded move, old id → new id."""
    async with db.read() as tx:
        rows = await tx.all("SELECT old_chat_id, new_chat_id FROM chat_moves")
    return {int(r["old_chat_id"]): int(r["new_chat_id"]) for r in rows}
