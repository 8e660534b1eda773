"""A report's card as one value, read across the report, reporter, event and outbox tables."""

from __future__ import annotations

from bot.domain import lifecycle
from bot.domain.card import CardState
from storage.db import Database, Tx
from storage.events import load_events
from storage.message_map import lost_copies
from storage.outbox import agency_cards
from storage.reporters import reporter_from
from storage.reports import card_columns, report_in
from storage.trust import standing_in


async def load_card(tx: Tx, report_id: int) -> CardState:
    """Everything a report's card shows, inside a transaction; LookupError if no report."""
    report = await report_in(tx, report_id)
    if report is None:
        raise LookupError(f"no report {report_id}")
    row = await card_columns(tx, report_id)
    events = await load_events(tx, report_id)
    return CardState(
        report=report,
        reporter=reporter_from(row),
        snapshot=lifecycle.replay(events),
        events=events,
        card_outbox_id=row["card_outbox_id"],
        card_chat_id=row["card_chat_id"],
        possible_duplicate_of=row["possible_duplicate_of"],
        strikes=row["strikes"],
        agency_cards=await agency_cards(tx, report_id),
        lost_copies=()
        if row["card_chat_id"] is None
        else await lost_copies(tx, report_id, row["card_chat_id"]),
        trust=await standing_in(tx, report.reporter_id),
    )


async def card_state(db: Database, report_id: int) -> CardState:
    """A report with everything its card shows."""
    async with db.read() as tx:
        return await load_card(tx, report_id)
