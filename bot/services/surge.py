"""A busy group: what waits for it goes out in as few messages as its slots allow.

Telegram lets a bot post about 20 messages a minute into one group (the outbox paces
itself to that: :mod:`bot.domain.pacing`). During a surge (Lebaran traffic, a big fire
with many callers) one card per report would make later reports wait minutes. So at each
free slot of a group the outbox asks :class:`SurgeGuard`: two or more cards waiting (due
or deferred) go out as one digest — every ticket listed, each with a button that opens
its full card; nothing is dropped (:meth:`SurgeGuard.pack_waiting`). Once the cards are
out, several waiting reminders go as one message listing them
(:meth:`SurgeGuard.merge_reminders`), and a reporter's relayed texts piling up go as one
"n more messages" (:meth:`SurgeGuard.batch_relays`). Each group has its own slots (the
dispatchers' and every agency's).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.services.delivery import merge, pack_digest
from storage import outbox as queue
from storage.cards import card_state, load_card
from storage.db import Database
from storage.outbox import QueuedMessage

RelayBatch = Callable[[CardState, list[str]], OutboundMessage]
"""(the report, each waiting relayed text) → one message with all of them."""

RELAYS_BEFORE_BATCHING = 3
"""A reporter's relayed texts waiting for a group beyond this go as one message."""
BATCH_CHARACTERS = 3500
"""What one batched relay holds at most (Telegram's limit is 4,096 characters)."""

ReminderBoard = Callable[[int, dict[str, object], list[str], int], OutboundMessage]
"""(chat, the first reminder's payload, the lines listed, how many in all) → one message."""

log = logging.getLogger(__name__)

MAX_PER_DIGEST = 15
MAX_LISTED = 30
"""Reminders and alerts listed in one combined message at most (the rest: a count)."""


class SurgeGuard:
    """Combines what waits for a group at its free slot."""

    def __init__(
        self,
        db: Database,
        digest: Callable[[list[CardState], datetime], OutboundMessage],
        reminders: ReminderBoard | None = None,
        relays: RelayBatch | None = None,
    ) -> None:
        self._db = db
        self._digest = digest
        self._reminders = reminders
        self._relays = relays

    async def pack_waiting(self, chat_id: int, now: datetime) -> QueuedMessage | None:
        """At a group's free slot: two or more waiting cards become one digest, returned
        ready to send (None: nothing to pack)."""
        if chat_id >= 0:
            return None
        async with self._db.read() as tx:  # one look: the cards and what they show
            report_ids = await queue.waiting_cards(tx, chat_id, MAX_PER_DIGEST)
            if len(report_ids) < 2:
                return None
            states = [await load_card(tx, rid) for rid in report_ids]
        digest = await pack_digest(self._db, chat_id, report_ids, self._digest(states, now), now)
        log.info("chat %s: %d waiting cards go as one digest", chat_id, len(report_ids))
        return digest

    async def merge_reminders(self, chat_id: int, now: datetime) -> QueuedMessage | None:
        """At a group's free slot: several waiting reminders and alerts (overdue, need
        backup) become one message listing them — a report's newest reminder only, at most
        :data:`MAX_LISTED` lines — returned ready to send in this slot (None: nothing)."""
        if chat_id >= 0 or self._reminders is None:
            return None
        rows = await queue.waiting_alerts(self._db, chat_id, now)
        if len(rows) < 2:
            return None
        lines: dict[object, str] = {}
        first_payload: dict[str, object] | None = None
        for row in rows:
            payload = json.loads(row["payload"])
            if first_payload is None:
                first_payload = payload
            key: object = row["id"]
            if row["role"] == "reminder" and row["report_id"] is not None:
                key = ("reminder", row["report_id"])
                lines.pop(key, None)  # the newest reminder, in the order they fell due
            lines[key] = str(payload.get("text", ""))
        assert first_payload is not None
        listed = list(lines.values())
        total = len(listed)
        if total > MAX_LISTED:
            listed = [*listed[:MAX_LISTED], f"… +{total - MAX_LISTED} (/antrian)"]
        merged = self._reminders(chat_id, first_payload, listed, total)
        merged.priority = max(int(r["priority"]) for r in rows)
        combined = await merge(self._db, [int(r["id"]) for r in rows], merged, now)
        log.info("chat %s: %d reminders and alerts go as one message", chat_id, len(rows))
        return combined

    async def batch_relays(
        self, chat_id: int, report_id: int | None, now: datetime
    ) -> QueuedMessage | None:
        """At a group's free slot: a reporter whose relayed texts pile up (more than
        :data:`RELAYS_BEFORE_BATCHING`) gets them sent as one "n more messages", returned
        ready to send in this slot (None: nothing to batch)."""
        if chat_id >= 0 or report_id is None or self._relays is None:
            return None
        rows = await queue.waiting_text_relays(self._db, chat_id, report_id, now)
        if len(rows) <= RELAYS_BEFORE_BATCHING:
            return None
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
        combined = await merge(self._db, taken, merged, now)
        log.info("chat %s: %d relayed messages of one report go as one", chat_id, len(taken))
        return combined
