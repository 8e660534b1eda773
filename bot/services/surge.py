"""Surge handling: pack new cards into a digest when a group's flood budget runs out.

Telegram lets a bot post about 20 messages a minute into one group. During a surge
(Lebaran traffic, a big fire with many callers) one card per report would make later
reports wait minutes. Before a new card goes to a group, :class:`SurgeGuard` compares
what is waiting for that group with what the last minute's sends leave of its budget;
when it does not fit, the waiting cards are packed into one digest message — every
ticket listed, each with a button that opens its full card. Nothing is dropped.
Each group has its own budget (the dispatchers' and every agency's).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.services.delivery import pack_digest
from storage import outbox as queue
from storage.cards import card_state
from storage.db import Database

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=1)
MAX_PER_DIGEST = 15


class SurgeGuard:
    """Per-group send log and the decision to pack cards into a digest."""

    def __init__(
        self,
        db: Database,
        per_minute: int,
        digest: Callable[[list[CardState], datetime], OutboundMessage],
    ) -> None:
        self._db = db
        self._per_minute = per_minute
        self._digest = digest
        self._sent: dict[int, deque[datetime]] = {}

    def record_send(self, chat_id: int, at: datetime) -> None:
        """A message went into a group: it counts against that group's minute."""
        if chat_id < 0:
            self._sent.setdefault(chat_id, deque()).append(at)

    def left(self, chat_id: int, now: datetime) -> int:
        """How many more messages the group's budget allows within the current minute."""
        sent = self._sent.get(chat_id)
        if sent is None:
            return self._per_minute
        if sent and sent[-1] > now:  # stamped before the clock went back: age unknown
            sent.clear()
        while sent and now - sent[0] >= WINDOW:
            sent.popleft()
        return max(0, self._per_minute - len(sent))

    async def maybe_pack(self, chat_id: int, now: datetime) -> bool:
        """Pack waiting cards for a group into a digest if they would wait; True if packed."""
        if chat_id >= 0:
            return False
        waiting = await queue.due_count(self._db, chat_id, now)
        if waiting <= self.left(chat_id, now):
            return False
        report_ids = await queue.due_cards(self._db, chat_id, now, MAX_PER_DIGEST)
        if len(report_ids) < 2:
            return False
        states = [await card_state(self._db, rid) for rid in report_ids]
        message = self._digest(states, now)
        await pack_digest(self._db, chat_id, report_ids, message, now)
        log.warning(
            "surge in chat %s: %d cards packed into one digest (%d messages waiting)",
            chat_id,
            len(report_ids),
            waiting,
        )
        return True
