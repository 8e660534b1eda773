"""Use cases of the report being written: the reporter's session, saving, expiring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.messages import OutboundMessage
from bot.domain.models import Draft, Language, Reporter
from storage import drafts, outbox, reporters
from storage.db import Database

ExpiryMessages = Callable[[Draft, Language], list[OutboundMessage]]


@dataclass(frozen=True)
class Opened:
    """A reporter as stored, their draft, and a draft found idle past its expiry."""

    reporter: Reporter
    draft: Draft | None
    expired: Draft | None = None


async def open_session(db: Database, reporter: Reporter, chat_id: int, now: datetime) -> Opened:
    """Record the reporter as Telegram describes them and load their chat's draft; an
    expired draft is removed (and returned as ``expired``), in one transaction."""
    async with db.transaction() as tx:
        await reporters.upsert_reporter(tx, reporter, now)
        stored = await reporters.reporter_in(tx, reporter.user_id)
        assert stored is not None
        found = await drafts.draft_in(tx, chat_id)
        if found is None:
            return Opened(stored, None)
        if found.expires_at <= now:
            await drafts.delete_draft(tx, chat_id, found.draft.uid)
            return Opened(stored, None, expired=found.draft)
    return Opened(stored, found.draft)


async def save_draft(db: Database, draft: Draft, now: datetime, ttl: timedelta) -> None:
    """Store the draft after an answer; its idle expiry moves forward by ``ttl``."""
    async with db.transaction() as tx:
        await drafts.save_draft(tx, draft, now, ttl)


async def discard_draft(db: Database, chat_id: int, uid: str | None = None) -> bool:
    """Drop a chat's draft (only the one named by ``uid`` if given); True if dropped."""
    async with db.transaction() as tx:
        return await drafts.delete_draft(tx, chat_id, uid)


async def expire_drafts(db: Database, now: datetime, messages: ExpiryMessages) -> list[Draft]:
    """Remove drafts idle past their expiry, queueing a notice for each, in one go."""
    async with db.transaction() as tx:
        expired = await drafts.expired_drafts(tx, now)
        for draft, reporter in expired:
            await drafts.delete_draft(tx, draft.chat_id, draft.uid)
            await outbox.enqueue(tx, messages(draft, reporter.lang), now)
    return [draft for draft, _ in expired]
