"""Shift hand-over: one report, or every open report a dispatcher holds, to another
dispatcher — each hand-over an event of its report, all of them in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.lifecycle import IllegalTransition
from bot.domain.messages import OutboundMessage
from bot.services.reports import TransitionMessages
from storage import events, outbox, reports
from storage.cards import load_card
from storage.db import Database

HandoverSummary = Callable[[list[CardState]], list[OutboundMessage]]


async def hand_over_all(
    db: Database,
    actor: lifecycle.Dispatcher,
    to: lifecycle.Dispatcher,
    now: datetime,
    messages: TransitionMessages,
    summary: HandoverSummary,
) -> list[CardState]:
    """Hand every open report ``actor`` owns to ``to`` (end of a shift).

    One transaction: a ``reassigned`` event per report, its card's redraw (``messages``)
    and one notice for all of them (``summary``, only when something moved). Returns the
    reports handed over, oldest first (empty: the actor held none).
    """
    moved: list[CardState] = []
    async with db.transaction() as tx:
        queued: list[OutboundMessage] = []
        for report_id in await reports.owned_open_in(tx, actor.user_id):
            before = await load_card(tx, report_id)
            at = max(now, before.snapshot.updated_at or now)
            try:
                step = lifecycle.apply(before.snapshot, lifecycle.Reassign(actor, to), at)
            except IllegalTransition:
                continue  # e.g. already the new owner's: nothing to record
            await events.append_event(tx, report_id, step.event)
            await reports.store_snapshot(tx, report_id, step.snapshot)
            after = await load_card(tx, report_id)
            moved.append(after)
            queued.extend(messages(after, step))
        if moved:
            queued.extend(summary(moved))
            await outbox.enqueue(tx, queued, now)
    return moved
