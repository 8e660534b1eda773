"""The ``report_events`` table: each report's append-only timeline."""

from __future__ import annotations

import json

from bot.domain.lifecycle import Event
from bot.domain.models import utc_iso
from storage.db import Database, Tx


async def load_events(tx: Tx, report_id: int) -> list[Event]:
    """The report's timeline, oldest first, as lifecycle events."""
    rows = await tx.all("SELECT * FROM report_events WHERE report_id = ? ORDER BY id", (report_id,))
    return [
        Event.from_dict({**dict(r), "data": json.loads(r["data"]) if r["data"] else {}})
        for r in rows
    ]


async def report_events(db: Database, report_id: int) -> list[Event]:
    """The report's timeline, oldest first."""
    async with db.read() as tx:
        return await load_events(tx, report_id)


async def append_event(tx: Tx, report_id: int, event: Event) -> int:
    """Append one event to a report's timeline (the table refuses updates)."""
    return await tx.insert(
        "INSERT INTO report_events (report_id, kind, from_state, to_state, at, actor_kind,"
        " actor_id, actor_name, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            event.kind.value,
            event.from_state.value if event.from_state else None,
            event.to_state.value,
            utc_iso(event.at),
            event.actor_kind.value,
            event.actor_id,
            event.actor_name,
            event.note,
            json.dumps(dict(event.data), ensure_ascii=False) if event.data else None,
        ),
    )
