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


PROFILE_REFRESH = timedelta(hours=1)
"""How often an unchanged reporter's "last seen" is written (retention counts from it, in
days); a changed name, username or language is written at once."""


def _up_to_date(stored: drafts.StoredSession, reporter: Reporter, now: datetime) -> bool:
    told = (reporter.first_name, reporter.last_name, reporter.username, reporter.client_language)
    kept = stored.reporter
    return (
        (kept.first_name, kept.last_name, kept.username, kept.client_language) == told
        and now - stored.seen_at < PROFILE_REFRESH
        and (stored.draft is None or stored.draft.expires_at > now)
    )


async def open_session(db: Database, reporter: Reporter, chat_id: int, now: datetime) -> Opened:
    """Record the reporter as Telegram describes them and load their chat's draft; an
    expired draft is removed (and returned as ``expired``), in one transaction.

    The usual case (nothing to write) is one read of reporter and draft together.
    """
    async with db.read() as tx:
        known = await drafts.session_in(tx, reporter.user_id, chat_id)
    if known is not None and _up_to_date(known, reporter, now):
        return Opened(known.reporter, known.draft.draft if known.draft else None)
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
