"""Groups that refuse the bot (removed or kicked): an incident from the first refusal
until the bot is back, with when the operators were last told (``chat_incidents``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import from_iso, utc_iso
from storage.db import Database, Row, Tx


@dataclass(frozen=True)
class Incident:
    """A group that refuses the bot."""

    chat_id: int
    since: datetime
    reason: str
    last_alert_at: datetime
    held: int = 0
    """Messages waiting for it."""


async def open_incident(tx: Tx, chat_id: int, reason: str, at: datetime) -> bool:
    """Record that a group refuses the bot; False if that was known already."""
    cur = await tx.execute(
        "INSERT INTO chat_incidents (chat_id, since, reason, last_alert_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (chat_id) DO NOTHING",
        (chat_id, utc_iso(at), reason[:300], utc_iso(at)),
    )
    return bool(cur.rowcount)


async def close_incident(tx: Tx, chat_id: int) -> Incident | None:
    """The group takes the bot again: the incident ends (what it was, if there was one)."""
    row = await tx.one("SELECT * FROM chat_incidents WHERE chat_id = ?", (chat_id,))
    if row is None:
        return None
    await tx.execute("DELETE FROM chat_incidents WHERE chat_id = ?", (chat_id,))
    return _incident(row)


async def move_incident(tx: Tx, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its incident (if any) follows it."""
    await tx.execute(
        "UPDATE OR IGNORE chat_incidents SET chat_id = ? WHERE chat_id = ?",
        (new_chat_id, old_chat_id),
    )


async def give_up_chat(tx: Tx, chat_id: int, error: str) -> int:
    """Every message waiting for a chat that refuses the bot (one it does not serve) is
    given up; how many."""
    cur = await tx.execute(
        "UPDATE outbox SET status = 'failed', last_error = ? WHERE chat_id = ?"
        " AND status IN ('pending', 'sending')",
        (error[:500], chat_id),
    )
    return cur.rowcount


async def probe(tx: Tx, chat_id: int) -> bool:
    """Let the oldest message held for a refusing group go again (the others stay held):
    whether the group takes messages again can only be learnt by trying when no membership
    update says so (a restriction lifted, "only admins may post" switched off). False if
    nothing is held for it."""
    row = await tx.one(
        "SELECT id FROM outbox WHERE chat_id = ? AND held = 1 AND status = 'pending'"
        " AND role != 'receipt' ORDER BY id LIMIT 1",
        (chat_id,),
    )
    if row is None:
        return False
    await tx.execute("UPDATE outbox SET held = 0 WHERE id = ?", (row["id"],))
    return True


async def delivered_since(db: Database, chat_id: int, since: datetime) -> bool:
    """Whether a message reached the group after its incident began (a probe went
    through): it takes messages again."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'sent' AND sent_at > ? LIMIT 1",
            (chat_id, utc_iso(since)),
        )
    return row is not None


async def alerted(tx: Tx, chat_id: int, at: datetime) -> None:
    """The operators were told again."""
    await tx.execute(
        "UPDATE chat_incidents SET last_alert_at = ? WHERE chat_id = ?", (utc_iso(at), chat_id)
    )


def _incident(r: Row) -> Incident:
    return Incident(
        int(r["chat_id"]),
        from_iso(r["since"]),
        str(r["reason"]),
        from_iso(r["last_alert_at"]),
        int(r["held"]) if "held" in r.keys() else 0,
    )


async def incidents(db: Database) -> list[Incident]:
    """Every group that refuses the bot now, with how many messages wait for it."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT i.*, (SELECT COUNT(*) FROM outbox o WHERE o.chat_id = i.chat_id"
            " AND o.held = 1 AND o.status = 'pending') AS held"
            " FROM chat_incidents i ORDER BY i.since"
        )
    return [_incident(r) for r in rows]
