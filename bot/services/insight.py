"""Use cases around insight: the reporter's rating of a closed report, posted summaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.messages import OutboundMessage
from bot.domain.models import Language
from bot.domain.ratings import check_stars, clean_comment, is_rateable
from storage import outbox, ratings, summaries
from storage.db import Database


@dataclass(frozen=True)
class Rated:
    """A stored rating: which ticket, how many stars."""

    ticket: str
    stars: int


async def rate(
    db: Database,
    report_id: int,
    reporter_id: int,
    stars: int,
    now: datetime,
    comment_window: timedelta,
) -> Rated | None:
    """Store (or change) a reporter's stars for their closed report; a comment is then
    awaited for ``comment_window``. None if the report is not theirs or not rateable."""
    check_stars(stars)
    async with db.transaction() as tx:
        target = await ratings.rating_target(tx, report_id, reporter_id)
        if target is None or not is_rateable(target[1], target[2]):
            return None
        await ratings.save_rating(tx, report_id, reporter_id, stars, now, now + comment_window)
    return Rated(target[0], stars)


async def take_comment(
    db: Database, reporter_id: int, chat_id: int, text: str, now: datetime
) -> tuple[str, Language] | None:
    """Store ``text`` as the comment of the rating awaiting one (none while the reporter
    writes a new report); returns the ticket and the report's language, or None if no
    comment is awaited."""
    async with db.read() as tx:  # nearly every private text: no write lock for the answer "no"
        if await ratings.awaiting_comment(tx, reporter_id, chat_id, now) is None:
            return None
    async with db.transaction() as tx:
        awaiting = await ratings.awaiting_comment(tx, reporter_id, chat_id, now)
        if awaiting is None:
            return None
        report_id, ticket, lang = awaiting
        await ratings.set_comment(tx, report_id, clean_comment(text))
    return ticket, lang


async def skip_comment(db: Database, report_id: int, reporter_id: int) -> bool:
    """The reporter declined to comment; True if a comment was awaited."""
    async with db.transaction() as tx:
        return await ratings.skip_comment(tx, report_id, reporter_id)


async def record_summary(
    db: Database, kind: str, period: str, messages: list[OutboundMessage], now: datetime
) -> bool:
    """Queue a summary once per (kind, period): record and messages in one transaction.

    Returns False (queuing nothing) when that summary was already recorded.
    """
    async with db.transaction() as tx:
        if not await summaries.record_summary(tx, kind, period, now):
            return False
        ids = await outbox.enqueue(tx, messages, now)
        if ids:
            await summaries.set_summary_outbox(tx, kind, period, ids[0])
    return True
