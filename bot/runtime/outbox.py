"""The delivery worker: drains the durable outbox (``storage/outbox.py``) to Telegram.

It honours ``retry_after`` per chat, backs off on server errors, time-outs and network
errors, sends the most urgent rows first and records what was sent. Only a request whose
fate is unknown (a time-out, a 5xx, a dropped connection or an answer that cannot be read,
or a crash while it was in flight) is ever sent again, and that copy is marked as a
possible repeat.

What Telegram answered is the truth: when the database refuses to record it (locked by
another process, disk full) the worker keeps it and records it as soon as the database
takes writes again, before sending anything else; a row left "in flight" without a
request behind it is sent again (marked) within ``SWEEP_EVERY``, not only at the next
start. Due times follow the wall clock, so when it jumps back (an NTP correction) the
waiting rows are moved back with it: they keep the delay they were given (and so do the
pacer's slots).

Chats are served in parallel, one message in flight per chat (so each chat's order
holds). Before each message the chat's budget is asked (:class:`bot.domain.pacing.Pacer`):
a row waits for its slot instead of being sent into a 429. In a group, new cards go
before everything else waiting there; at each free slot two or more waiting cards go as
one digest, several waiting reminders as one message, a reporter's piled-up relayed
texts as one (:mod:`bot.services.surge`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import httpx
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.domain.chats import ChatMoves
from bot.domain.clock import Clock
from bot.domain.pacing import Pacer
from bot.runtime.stored_files import uploads
from bot.services import chats, delivery
from bot.services.surge import SurgeGuard
from storage import outbox as queue
from storage.db import Database

log = logging.getLogger(__name__)

# Methods the outbox may call (python-telegram-bot names) and whether they carry text.
SEND_METHODS = {
    "send_message": "text",
    "send_photo": "caption",
    "send_voice": "caption",
    "send_video": "caption",
    "send_document": "caption",
    "send_video_note": None,
    "send_location": None,
    "send_venue": None,
    "copy_message": "caption",
}
EDIT_METHODS = {"edit_message_text", "edit_message_reply_markup", "edit_message_live_location"}
REPEAT_MARK = "🔁 <i>(dikirim ulang — mungkin duplikat / resent, may be a duplicate)</i>\n"
MAX_BACKOFF = timedelta(seconds=10)  # a recovered Telegram is noticed within seconds
MAX_READ_TIMEOUT = 120.0
MAX_LANES = 16
"""Private chats served at once (one message in flight in each); groups always."""
SWEEP_EVERY = 10.0  # seconds between looks for rows left "in flight" with no request
SETTLE_PAUSE = timedelta(seconds=2)  # at most between tries to record what the database refused
CLOCK_TOLERANCE = timedelta(seconds=2)  # a wall clock going back less is not a jump


def reply_markup_from_json(data: dict[str, Any] | None) -> Any:
    """Rebuild a stored reply markup as python-telegram-bot's object."""
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if data.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    if data.get("force_reply"):
        return ForceReply()
    raise ValueError(f"unknown reply markup {data!r}")


WRITE_REFUSALS = (
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
    "chat_restricted",
    "chat_send_plain_forbidden",
)
"""How Telegram words a 400 for a bot that is in a group but may not write there."""


def refuses_writing(message: str) -> bool:
    """Whether a Bad Request says the bot may not write in the chat (not a flaw of the
    message itself)."""
    lowered = message.lower()
    return any(marker in lowered for marker in WRITE_REFUSALS)


def outcome_unknown(exc: TelegramError) -> bool:
    """Whether a failed request may have been carried out all the same: a time-out, a
    5xx, a dropped connection, an answer that cannot be read. Not when no connection could
    be opened, no pool slot was free, or Telegram refused the token (the request never
    reached it or was refused whole)."""
    if isinstance(exc, InvalidToken | Conflict):
        return False
    if isinstance(exc.__cause__, aiohttp.ClientConnectorError | httpx.ConnectError):
        return False  # no connection: nothing was sent
    return not (isinstance(exc, TimedOut) and exc.message.startswith("Pool timeout"))


def backoff(failures: int) -> timedelta:
    """1 s, 2 s, 4 s, 8 s, then every 10 s."""
    return min(timedelta(seconds=2 ** max(failures - 1, 0)), MAX_BACKOFF)


class OutboxWorker:
    """Delivers queued messages, chats in parallel, one at a time per chat, most urgent
    first, each in its chat's paced slot."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        read_timeout: float = 15,
        surge: SurgeGuard | None = None,
        pacer: Pacer | None = None,
        chats: ChatMoves | None = None,
        on_chat_moved: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> None:
        self._db = db
        self._chats = chats or ChatMoves()
        self.on_chat_moved = on_chat_moved
        self.on_chat_refused: Callable[[int, str], Awaitable[None]] | None = None
        """A group refuses the bot (removed, kicked): hold its messages, tell people."""
        self.on_bad_request: Callable[[queue.QueuedMessage, str], Awaitable[bool]] | None = None
        """Telegram refused a row (400): True if handled (a lost forum topic: the row goes
        to General), False to give the row up."""
        self.on_reply_target_gone: Callable[[queue.QueuedMessage], Awaitable[None]] | None = None
        """A reply went out without the message it answers: that message is gone (deleted)."""
        self._bot = bot
        self._clock = clock
        self._read_timeout = read_timeout
        self._surge = surge
        self.pacer = pacer or Pacer(enabled=False)
        self.flood_waits = 0
        """429 answers met (each honoured: its chat waits ``retry_after``)."""
        self._lanes: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._idle = asyncio.Event()
        self._stop_requested = asyncio.Event()
        self._failures = 0  # consecutive network / server failures
        self._paused_until: float | None = None  # time.monotonic(): immune to clock jumps
        self._unsettled: dict[int, Callable[[], Awaitable[object]]] = {}
        """What became of rows, known but not yet recorded (the database refused)."""
        self._inflight: set[int] = set()
        self._swept_at = time.monotonic()
        self._seen: tuple[datetime, float] | None = None  # wall clock and monotonic, last look

    def _failed(self) -> None:
        self._failures += 1
        self._paused_until = time.monotonic() + backoff(self._failures).total_seconds()
        log.warning("outbox: Telegram unreachable or failing; pausing %s", backoff(self._failures))

    async def _record(self, outbox_id: int, step: Callable[[], Awaitable[object]]) -> bool:
        """Record what became of a row; if the database refuses, keep it to record later
        (:meth:`_settle`) and pause. True if recorded now."""
        try:
            await step()
        except Exception as exc:
            if outbox_id in self._unsettled:  # said once with the traceback; now briefly
                log.warning("outbox: still cannot record #%d: %s", outbox_id, exc)
            else:
                log.exception("outbox: cannot record what became of #%d; will retry", outbox_id)
            self._unsettled[outbox_id] = step
            self._failures += 1
            # Each try waits out SQLite's busy time-out already: a short pause between
            # them keeps a lock's end noticed within seconds.
            pause = min(backoff(self._failures), SETTLE_PAUSE).total_seconds()
            self._paused_until = time.monotonic() + pause
            return False
        return True

    async def _settle(self) -> bool:
        """Record what the database refused before, oldest first; True when all is."""
        for outbox_id, step in list(self._unsettled.items()):
            if not await self._record(outbox_id, step):
                return False
            del self._unsettled[outbox_id]
            log.warning("outbox: #%d recorded after the database refused it", outbox_id)
        self._failures = 0
        return True

    async def _sweep(self) -> None:
        """Rows marked in flight with no request behind them (bookkeeping that failed and
        was lost) are sent again, marked as possible repeats — while running."""
        if time.monotonic() - self._swept_at < SWEEP_EVERY:
            return
        self._swept_at = time.monotonic()
        keep = self._inflight | set(self._unsettled)
        if set(await queue.sending(self._db)) - keep:
            recovered = await delivery.recover_inflight(self._db, keep)
            log.warning("outbox: %d message(s) were left in flight; sending again", recovered)

    async def _watch_clock(self) -> None:
        """When the wall clock went back, move waiting rows back by as much."""
        now, mono = self._clock.now(), time.monotonic()
        seen, self._seen = self._seen, (now, mono)
        if seen is None or now >= seen[0] - CLOCK_TOLERANCE:
            return
        back = seen[0] + timedelta(seconds=mono - seen[1]) - now
        try:
            moved = await delivery.clock_went_back(self._db, back, now)
        except Exception:
            self._seen = seen  # look again next time
            raise
        self.pacer.clock_went_back(back)
        log.warning("outbox: the clock went back by %s; %d waiting message(s) moved", back, moved)

    def wake(self) -> None:
        """Something was queued: look now instead of at the next scheduled time."""
        self._wake.set()

    async def start(self) -> None:
        """Recover rows a crash left in flight, then run in the background."""
        recovered = await delivery.recover_inflight(self._db)
        if recovered:
            log.warning("outbox: %d message(s) were in flight at the last stop", recovered)
        now, newest = self._clock.now(), await queue.newest_queued(self._db)
        if newest is not None and newest - now > CLOCK_TOLERANCE:
            # Queued "in the future": the clock went back while the bot was stopped.
            moved = await delivery.clock_went_back(self._db, newest - now, now)
            log.warning(
                "outbox: the clock went back by %s; %d message(s) moved", newest - now, moved
            )
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self) -> None:
        """Finish the request in flight, then stop; queued rows stay for the next start."""
        self._stopping = True
        self._stop_requested.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._lanes:
            await asyncio.gather(*self._lanes.values(), return_exceptions=True)

    async def wait_idle(self) -> None:
        """Wait until nothing is due or in flight (for the demo and tests; wrap it in
        ``asyncio.timeout``)."""
        while True:
            self._idle.clear()
            self._wake.set()
            await self._idle.wait()
            if not await queue.busy(self._db, self._clock.now()):
                return

    async def _pause(self) -> None:
        """Wait out a pause after failures (a stop ends it early)."""
        if self._paused_until is None:
            return
        delay = self._paused_until - time.monotonic()
        self._paused_until = None
        if delay > 0 and not self._stopping:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop_requested.wait()

    async def _run(self) -> None:
        while not self._stopping:
            await self._pause()
            if self._unsettled and not await self._settle():
                continue  # the truth first: nothing new leaves before it is recorded
            self._wake.clear()  # before reading: a wake during the read is not lost
            now = self._clock.now()
            try:
                await self._watch_clock()
                await self._sweep()
                now = self._clock.now()
                heads = await queue.heads(self._db, now)
            except Exception:  # the database is gone or broken: retry, never die silently
                log.exception("outbox: cannot read the queue")
                await asyncio.sleep(1)
                continue
            if not heads and not self._lanes:
                self._idle.set()
            next_slot: datetime | None = None
            for row in heads:
                if self._stopping or self._paused_until is not None:
                    break
                if row.chat_id in self._lanes:
                    continue  # one message in flight per chat
                if len(self._lanes) >= MAX_LANES and row.chat_id >= 0:
                    continue  # groups (a few) always get their lane
                edit = row.method in EDIT_METHODS
                # An edit of a message that never went (packed, failed) is given up
                # without a call to Telegram: it needs no slot.
                no_call = row.edit_outbox_id is not None and row.edit_message_id is None
                slot = now if no_call else self.pacer.slot(row.chat_id, now, edit=edit)
                if slot > now:
                    next_slot = slot if next_slot is None else min(next_slot, slot)
                    continue
                combined = await self._regroup(row, now)
                if combined is not None:
                    row = combined  # what was combined now goes in this slot
                if not no_call:
                    self.pacer.take(row.chat_id, now, edit=edit)
                self._lanes[row.chat_id] = asyncio.create_task(
                    self._lane(row), name=f"outbox-chat-{row.chat_id}"
                )
            await self._sleep_until_due(now, next_slot)

    async def _lane(self, row: queue.QueuedMessage) -> None:
        """Deliver one row; its chat is free again afterwards."""
        try:
            await self._deliver(row)  # records every outcome itself (see _request)
        except Exception:
            log.exception("outbox: delivering #%d failed unexpectedly", row.id)
            self._failed()
        finally:
            self._lanes.pop(row.chat_id, None)
            self._wake.set()

    async def _regroup(self, row: queue.QueuedMessage, now: datetime) -> queue.QueuedMessage | None:
        """At a group's free slot: waiting cards become a digest, waiting reminders and
        alerts one message, a reporter's piled-up relayed texts one: returned to go in
        this slot. None: send ``row`` as it is."""
        if self._surge is None or row.chat_id >= 0:
            return None
        try:
            if row.role == "card":
                return await self._surge.pack_waiting(row.chat_id, now)
            if row.role in ("reminder", "alert"):
                return await self._surge.merge_reminders(row.chat_id, now)
            if row.role == "relay" and row.method == "send_message":
                return await self._surge.batch_relays(row.chat_id, row.report_id, now)
        except Exception:
            log.exception(
                "outbox: could not combine rows for chat %s; sending one by one", row.chat_id
            )
        return None

    async def _sleep_until_due(self, now: datetime, next_slot: datetime | None) -> None:
        """Until a row falls due, a chat's slot comes, a lane finishes or something is
        queued (at most 30 s)."""
        wake_at = await queue.next_wakeup(self._db, after=now)
        if next_slot is not None and (wake_at is None or next_slot < wake_at):
            wake_at = next_slot
        timeout = 30.0
        if wake_at is not None:
            timeout = max(0.01, min(timeout, (wake_at - self._clock.now()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    def _timeout_for(self, row: queue.QueuedMessage) -> float:
        """After a time-out, wait longer each try: a slow server must not earn a copy per try."""
        if not row.uncertain:
            return self._read_timeout
        return min(self._read_timeout * float(2 ** max(row.attempts, 1)), MAX_READ_TIMEOUT)

    def _kwargs(self, row: queue.QueuedMessage) -> dict[str, Any]:
        kwargs = uploads(dict(row.payload))  # a stored file (summary picture) is read now
        kwargs["chat_id"] = row.chat_id
        if row.edit_message_id is not None:
            kwargs["message_id"] = row.edit_message_id
        if "reply_markup" in kwargs:
            kwargs["reply_markup"] = reply_markup_from_json(kwargs["reply_markup"])
        if row.reply_to_message_id is not None:
            kwargs["reply_parameters"] = ReplyParameters(
                message_id=row.reply_to_message_id, allow_sending_without_reply=True
            )
        if row.method == "send_message" or row.method == "edit_message_text":
            kwargs["link_preview_options"] = LinkPreviewOptions(is_disabled=True)
        text_field = SEND_METHODS.get(row.method)
        if row.uncertain and text_field and kwargs.get(text_field) is not None:
            kwargs[text_field] = REPEAT_MARK + kwargs[text_field]
        return kwargs

    @staticmethod
    def _sendy(row: queue.QueuedMessage) -> bool:
        """Whether a second request for this row makes a second message."""
        return row.method in SEND_METHODS

    async def _deliver(self, row: queue.QueuedMessage) -> None:
        db, rid = self._db, row.id
        if row.edit_outbox_id is not None and row.edit_message_id is None:
            # The message to edit was never delivered; its own row carries the news.
            await self._record(
                rid, lambda: delivery.give_up(db, rid, "the message to edit was not delivered")
            )
            return
        # In flight from before it is marked so: the sweep, which runs beside the chats'
        # deliveries, never takes it for a row left behind.
        self._inflight.add(rid)
        try:
            await delivery.start_sending(db, rid)
        except Exception:  # nothing left: the row is still waiting, untouched
            self._inflight.discard(rid)
            log.exception("outbox: cannot mark #%d in flight", rid)
            self._failed()
            return
        try:
            await self._request(row)
        except Exception:
            log.exception("outbox: delivering #%d failed unexpectedly", rid)
            self._failed()
            at, sendy = self._clock.now() + backoff(self._failures), self._sendy(row)
            await self._record(
                rid, lambda: delivery.retry_later(db, rid, at, "unexpected error", uncertain=sendy)
            )
        finally:
            self._inflight.discard(rid)

    async def _request(self, row: queue.QueuedMessage) -> None:
        """Send one row (marked in flight) and record what became of it."""
        db, rid = self._db, row.id
        method = getattr(self._bot, row.method)
        now = self._clock.now
        try:
            result = await method(**self._kwargs(row), read_timeout=self._timeout_for(row))
        except RetryAfter as exc:
            wait = exc.retry_after
            delay = wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
            log.warning("outbox: flood limit in chat %s, waiting %s", row.chat_id, delay)
            self.flood_waits += 1
            until = now() + delay
            self.pacer.hold(row.chat_id, until)
            await self._record(rid, lambda: delivery.flood_wait(db, rid, row.chat_id, until))
            return
        except ChatMigrated as exc:
            await self._chat_moved(row.chat_id, exc.new_chat_id)
            return
        except Forbidden as exc:
            if row.chat_id < 0 and self.on_chat_refused is not None:
                # A group the bot serves: an incident; its messages wait for it.
                await self.on_chat_refused(row.chat_id, exc.message)
                return
            log.warning("outbox: chat %s refuses messages (%s)", row.chat_id, exc.message)
            why = f"forbidden: {exc.message}"
            await self._record(rid, lambda: delivery.give_up(db, rid, why))
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                at = now()
                await self._record(rid, lambda: delivery.unchanged(db, rid, at))
                return
            if (
                row.chat_id < 0
                and row.method in SEND_METHODS
                and self.on_chat_refused is not None
                and refuses_writing(exc.message)
            ):
                # The bot is in the group but may not write (restricted, or only admins
                # may post): as good as removed — an incident, its messages wait.
                await self.on_chat_refused(row.chat_id, exc.message)
                return
            if self.on_bad_request is not None and await self.on_bad_request(row, exc.message):
                return
            log.error("outbox: Telegram refused #%d %s: %s", rid, row.method, exc.message)
            why = f"bad request: {exc.message}"
            await self._record(rid, lambda: delivery.give_up(db, rid, why))
            return
        except (NetworkError, TelegramError) as exc:
            # Telegram (or the way to it) is failing: pause the whole queue, not just this
            # row, doubling the pause while failures go on, so recovery is seen promptly.
            # A request that may have been carried out (a time-out, a 5xx, an answer that
            # cannot be read) is repeated marked as a possible repeat.
            self._failed()
            at, why = now() + backoff(self._failures), f"{type(exc).__name__}: {exc}"
            unsure = self._sendy(row) and outcome_unknown(exc)
            await self._record(
                rid, lambda: delivery.retry_later(db, rid, at, why, uncertain=unsure)
            )
            return
        self._failures = 0
        message_id = result.message_id if isinstance(result, Message) else None
        if message_id is None and hasattr(result, "message_id"):
            message_id = int(result.message_id)  # copy_message returns a MessageId
        sent_at = now()
        if not await self._record(rid, lambda: delivery.delivered(db, row, message_id, sent_at)):
            return  # recorded later (:meth:`_settle`), before anything else is sent
        if (
            row.reply_to_message_id is not None
            and isinstance(result, Message)
            and result.reply_to_message is None
            and self.on_reply_target_gone is not None
        ):
            await self.on_reply_target_gone(row)

    async def _chat_moved(self, old: int, new: int) -> None:
        """Telegram says the chat is now another (group → supergroup): remember it, and
        send what waits for the old id to the new one, this row first."""
        if self.on_chat_moved is not None:
            await self.on_chat_moved(old, new)  # remembered, announced once
        else:
            self._chats.add(old, new)
            await chats.chat_moved(self._db, old, new, self._clock.now())
