"""A location from a reporter with an open report: kept until they say whether it moves
that report or is a new emergency; moving it is one transaction with the card's redraw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.domain.models import ReportLocation
from bot.services.reports import CardMessages
from storage import outbox, pending_locations, reports
from storage.cards import load_card
from storage.db import Database
from storage.pending_locations import PendingLocation

PENDING_TTL = timedelta(hours=1)
"""An unanswered question expires after this (and the location kept for it is deleted)."""


class Moved(StrEnum):
    UPDATED = "updated"
    STALE = "stale"  # answered already, expired, or not this person's
    CLOSED = "closed"  # the report was closed meanwhile: nothing moved


@dataclass(frozen=True)
class MoveOutcome:
    """What answering "update" did, with the report's card after it (or its ticket)."""

    outcome: Moved
    state: CardState | None = None
    ticket: str | None = None


async def keep(
    db: Database,
    chat_id: int,
    message_id: int,
    reporter_id: int,
    report_id: int,
    location: ReportLocation,
    now: datetime,
    messages: Callable[[CardState, ReportLocation], list[OutboundMessage]] | None = None,
) -> int | None:
    """Keep a location for the question; None if this message was kept before. Forgets
    locations whose question expired. ``messages`` show it to the dispatchers at once
    (under the open report's card), in the same transaction: whatever the reporter
    answers, or if they never do, the place is not lost."""
    async with db.transaction() as tx:
        await pending_locations.forget_before(tx, now - PENDING_TTL)
        kept = await pending_locations.add(
            tx, chat_id, message_id, reporter_id, report_id, location, now
        )
        if kept is not None and messages is not None:
            await outbox.enqueue(tx, messages(await load_card(tx, report_id), location), now)
        return kept


async def forget_expired(db: Database, now: datetime) -> None:
    """Delete the locations of questions nobody answered in time (personal data)."""
    async with db.transaction() as tx:
        await pending_locations.forget_before(tx, now - PENDING_TTL)


async def pending(
    db: Database, pending_id: int, reporter_id: int, now: datetime
) -> PendingLocation | None:
    """The location a question is about, if it still waits for this reporter's answer."""
    async with db.read() as tx:
        found = await pending_locations.get(tx, pending_id)
    if found is None or found.reporter_id != reporter_id or found.created_at < now - PENDING_TTL:
        return None
    return found


async def forget(db: Database, pending_id: int) -> bool:
    """The question was answered (a new emergency was filed): forget the location."""
    async with db.transaction() as tx:
        return await pending_locations.remove(tx, pending_id)


async def move_report(
    db: Database, pending_id: int, reporter_id: int, now: datetime, messages: CardMessages
) -> MoveOutcome:
    """The location updates the open report: it moves (a live location keeps moving it),
    the question is answered, the card's redraw and notices are queued — one transaction."""
    async with db.transaction() as tx:
        found = await pending_locations.get(tx, pending_id)
        if found is None or found.reporter_id != reporter_id:
            return MoveOutcome(Moved.STALE)
        if found.created_at < now - PENDING_TTL:
            await pending_locations.remove(tx, pending_id)
            return MoveOutcome(Moved.STALE)
        before = await load_card(tx, found.report_id)
        if before.snapshot.is_closed:
            return MoveOutcome(Moved.CLOSED, ticket=before.report.ticket)
        await reports.move_location(tx, found.report_id, found.location, now)
        await pending_locations.remove(tx, pending_id)
        state = await load_card(tx, found.report_id)
        await outbox.enqueue(tx, messages(state), now)
    return MoveOutcome(Moved.UPDATED, state=state, ticket=state.report.ticket)
