"""Surge handling: pack new cards into a digest when a group's flood budget runs out.

Telegram lets a bot post about 20 messages a minute into one group. During a surge
(Lebaran traffic, a big fire with many callers) one card per report would make later
reports wait minutes. Before a new card goes to a group, :class:`SurgeGuard` compares
what is waiting for that group with what the last minute's sends leave of its budget;
when it does not fit, the waiting cards are packed into one digest message — every
ticket listed, each with a button that opens its full card. Nothing is dropped.
Each group has its own budget (the dispatchers' and every agency's).

With pacing on (``TELEGRAM_FLOOD_LIMITS``, :mod:`bot.domain.pacing`) the outbox asks at
each free slot of a group instead: two or more cards waiting (due or deferred) go out as
one digest (:meth:`SurgeGuard.pack_waiting`), and several reminders waiting once the
cards are out go as one message listing them (:meth:`SurgeGuard.merge_reminders`).
"""

from __future__ import annotations

import json
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

RelayBatch = Callable[[CardState, list[str]], OutboundMessage]
"""(the report, each waiting relayed text) → one message with all of them."""

RELAYS_BEFORE_BATCHING = 3
"""A reporter's relayed texts waiting for a group beyond this go as one message."""
BATCH_CHARACTERS = 3500
"""What one batched relay holds at most (Telegram's limit is 4,096 characters)."""

ReminderBoard = Callable[[int, dict[str, object], list[str]], OutboundMessage]
"""(chat, the first reminder's payload, each reminder's text) → one message listing them."""

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
        reminders: ReminderBoard | None = None,
        relays: RelayBatch | None = None,
    ) -> None:
        self._db = db
        self._reminders = reminders
        self._relays = relays
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

    async def pack_waiting(self, chat_id: int, now: datetime) -> bool:
        """At a group's free slot: two or more waiting cards become one digest (True)."""
        if chat_id >= 0:
            return False
        report_ids = await queue.waiting_cards(self._db, chat_id, MAX_PER_DIGEST)
        if len(report_ids) < 2:
            return False
        states = [await card_state(self._db, rid) for rid in report_ids]
        await pack_digest(self._db, chat_id, report_ids, self._digest(states, now), now)
        log.info("chat %s: %d waiting cards go as one digest", chat_id, len(report_ids))
        return True

    async def merge_reminders(self, chat_id: int, now: datetime) -> bool:
        """At a group's free slot: several waiting reminders become one message listing
        them, a report's newest reminder only (True if merged)."""
        if chat_id >= 0 or self._reminders is None:
            return False
        rows = await queue.waiting_in_role(self._db, chat_id, "alert", now)
        if len(rows) < 2:
            return False
        newest: dict[object, str] = {}
        first_payload: dict[str, object] | None = None
        for row in rows:
            payload = json.loads(row["payload"])
            if first_payload is None:
                first_payload = payload
            key = row["report_id"] if row["report_id"] is not None else f"row{row['id']}"
            newest.pop(key, None)  # keep the newest, in the order they fell due
            newest[key] = str(payload.get("text", ""))
        assert first_payload is not None
        merged = self._reminders(chat_id, first_payload, list(newest.values()))
        async with self._db.transaction() as tx:
            await queue.merge_rows(tx, [int(r["id"]) for r in rows], merged, now)
        log.info("chat %s: %d reminders go as one message", chat_id, len(rows))
        return True

    async def batch_relays(self, chat_id: int, report_id: int | None, now: datetime) -> bool:
        """At a group's free slot: a reporter whose relayed texts pile up (more than
        :data:`RELAYS_BEFORE_BATCHING`) gets them sent as one "n more messages" (True)."""
        if chat_id >= 0 or report_id is None or self._relays is None:
            return False
        rows = await queue.waiting_text_relays(self._db, chat_id, report_id, now)
        if len(rows) <= RELAYS_BEFORE_BATCHING:
            return False
        taken: list[int] = []
        texts: list[str] = []
        size = 0
        for row in rows:
            text = str(json.loads(row["payload"]).get("text", ""))
            if texts and size + len(text) > BATCH_CHARACTERS:
                break
            taken.append(int(row["id"]))
            texts.append(text)
            size += len(text) + 2
        merged = self._relays(await card_state(self._db, report_id), texts)
        async with self._db.transaction() as tx:
            await queue.merge_rows(tx, taken, merged, now)
        log.info("chat %s: %d relayed messages of one report go as one", chat_id, len(taken))
        return True
