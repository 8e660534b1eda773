"""Use cases of a reporter's record: language choice, lifting a prank block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.messages import OutboundMessage
from bot.domain.models import Language, Reporter
from bot.domain.strikes import StrikeRecord
from storage import outbox, reporters
from storage.db import Database


async def set_language(db: Database, user_id: int, language: Language) -> None:
    """Remember a reporter's explicit language choice."""
    async with db.transaction() as tx:
        await reporters.set_language(tx, user_id, language)


async def unblock(
    db: Database,
    who: str,
    now: datetime,
    messages: Callable[[Reporter], list[OutboundMessage]],
) -> Reporter | None:
    """Lift a reporter's block and strikes (by user id or @username) and queue the
    notice ``messages`` builds for them; None if nobody is known by ``who``."""
    async with db.transaction() as tx:
        reporter = await reporters.find_reporter(tx, who)
        if reporter is None:
            return None
        await reporters.store_strikes(tx, reporter.user_id, StrikeRecord(), now)
        await outbox.enqueue(tx, messages(reporter), now)
    return reporter
