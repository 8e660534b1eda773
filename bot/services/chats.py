"""A chat Telegram moved (group → supergroup): remembered, and its queue follows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from storage import chats, incidents, outbox, receipts
from storage.cards import load_card
from storage.db import Database
from storage.incidents import Incident


async def chat_moved(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
    """Record the move and send what waits for the old id to the new one, in one
    transaction; False if the move was known already."""
    async with db.transaction() as tx:
        new = await chats.record_move(tx, old_chat_id, new_chat_id, now)
        await outbox.migrate_chat(tx, old_chat_id, new_chat_id)
        await incidents.move_incident(tx, old_chat_id, new_chat_id)
    return new


OPS_PRIORITY = 35  # after SOS cards, before every other card: a broken link matters


def ops_message(chat_id: int, text: str) -> OutboundMessage:
    """A notice for the people who run the bot."""
    return OutboundMessage(
        chat_id,
        "send_message",
        {"text": text, "parse_mode": "HTML"},
        role="ops_alert",
        priority=OPS_PRIORITY,
    )


async def notify_ops(db: Database, chat_id: int, text: str, now: datetime) -> None:
    """Queue a notice for the people who run the bot (OPS_CHAT_ID, or a fallback chat)."""
    async with db.transaction() as tx:
        await outbox.enqueue(tx, [ops_message(chat_id, text)], now)


CutOffMessages = Callable[[list[CardState], bool], list[OutboundMessage]]
"""(reports whose reporter must be told, whether the chat was just cut off) → messages."""


@dataclass(frozen=True)
class CutOff:
    """What a refusal changed."""

    held: list[CardState]
    """Reports whose card is newly held (a report filed while the chat is cut off counts)."""
    warned: list[CardState]
    """Their reporters told now (not those warned before, e.g. after a flood wait)."""
    first: bool
    """The chat was not known to refuse the bot before."""


async def cut_off(
    db: Database, chat_id: int, reason: str, now: datetime, messages: CutOffMessages
) -> CutOff:
    """A group refuses the bot: hold what waits for it (never drop it), open the incident
    and queue what the affected reporters and the operators must be told, in one
    transaction."""
    async with db.transaction() as tx:
        before = set(await outbox.held_reports(tx, chat_id))
        first = await incidents.open_incident(tx, chat_id, reason, now)
        report_ids = [r for r in await outbox.hold_chat(tx, chat_id) if r not in before]
        already = await receipts.warned(tx, report_ids)
        states = [await load_card(tx, report_id) for report_id in report_ids]
        to_warn = [st for st in states if st.report.id not in already]
        await outbox.enqueue(tx, messages(to_warn, first), now)
        await receipts.record_warnings(tx, [st.report.id for st in to_warn], now)
    return CutOff(states, to_warn, first)


async def give_up_chat(db: Database, chat_id: int, error: str) -> int:
    """A chat the bot does not serve refuses it: what waits for it is given up; how many."""
    async with db.transaction() as tx:
        return await incidents.give_up_chat(tx, chat_id, error)


async def drop_incident(db: Database, chat_id: int, error: str) -> int:
    """A refusing group the bot no longer serves: the incident ends and what waits for it is
    given up; how many messages."""
    async with db.transaction() as tx:
        await incidents.close_incident(tx, chat_id)
        return await incidents.give_up_chat(tx, chat_id, error)


async def reconnected(db: Database, chat_id: int) -> tuple[int, Incident | None]:
    """The group takes the bot again: everything held goes, in its order, and the
    incident ends. How many reports' cards were held, and the incident."""
    async with db.transaction() as tx:
        incident = await incidents.close_incident(tx, chat_id)
        return len(await outbox.release_chat(tx, chat_id)), incident


async def probe(db: Database, chat_id: int) -> bool:
    """Try a refusing group again with its oldest held message (see
    :func:`storage.incidents.probe`); False if nothing was held for it."""
    async with db.transaction() as tx:
        return await incidents.probe(tx, chat_id)


async def takes_messages_again(db: Database, incident: Incident) -> bool:
    """A message reached the refusing group since its incident began."""
    return await incidents.delivered_since(db, incident.chat_id, incident.since)


async def cut_off_chats(db: Database) -> list[Incident]:
    """Every group that refuses the bot now."""
    return await incidents.incidents(db)


async def repeat_alerts(
    db: Database,
    now: datetime,
    every: timedelta,
    messages: Callable[[Incident, list[int]], list[OutboundMessage]],
) -> list[Incident]:
    """Tell the operators again about every group that still refuses the bot, ``every``
    so often; ``messages`` gets the incident and the other refusing chats."""
    current = await incidents.incidents(db)
    refusing = [i.chat_id for i in current]
    due = [i for i in current if now - i.last_alert_at >= every]
    if not due:
        return []
    async with db.transaction() as tx:
        for incident in due:
            await outbox.enqueue(tx, messages(incident, refusing), now)
            await incidents.alerted(tx, incident.chat_id, now)
    return due


async def next_alert_due(db: Database, every: timedelta) -> datetime | None:
    """When the next repeated alert falls due."""
    current = await incidents.incidents(db)
    return min((i.last_alert_at + every for i in current), default=None)
