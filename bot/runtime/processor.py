"""Concurrent update processing that keeps each chat's updates in order.

python-telegram-bot's ``concurrent_updates(N)`` runs updates in parallel with no order;
a reporter's "location" could then be handled before their "category". This processor
runs different chats concurrently (bounded by N) and one chat's updates one after
another, in arrival order.

It also sets polling's pace: :meth:`PerChatUpdateProcessor.wait_for_room` returns while
fewer than N updates whose chat's turn has come wait for a running slot. Polling asks
Telegram for more only then (``bot.runtime.updates.TolerantBot``), so in a burst the
updates wait at Telegram instead of in the bot's memory. Updates waiting for their own
chat's earlier ones do not count: a chat that floods the bot cannot stop the others.

Button presses in a group have their own line: a dispatcher's press (and its
``answerCallbackQuery``) never waits behind the commands and messages of the same group,
however many a member types. (In a private chat a press and the next message are one
conversation, kept in one order.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> Hashable | None:
    """The chat (or, failing that, the user) whose order an update belongs to; a button
    press in a group keeps the order of that group's presses only."""
    if isinstance(update, Update):
        chat = update.effective_chat
        if update.callback_query is not None and chat is not None and chat.id < 0:
            return ("press", chat.id)
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


WAITING_BOUND = 100_000


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """At most ``max_concurrent_updates`` running at once; per chat, strictly in order.

    An update first waits for its chat's turn, and only then for one of the running
    slots: a chat that floods the bot queues behind itself and cannot take the slots
    other chats need. (The base class's own semaphore, taken before any of this, is set
    so high that it only bounds memory.)
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(WAITING_BOUND)
        self._running = asyncio.Semaphore(max_concurrent_updates)
        self.running_bound = max_concurrent_updates
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._holders: dict[Hashable, int] = {}
        self._ready = 0  # updates whose chat's turn has come, waiting for a running slot
        self._room = asyncio.Event()
        self._room.set()

    async def wait_for_room(self) -> None:
        """Until fewer than ``running_bound`` updates wait for a running slot."""
        await self._room.wait()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers after the same chat's earlier updates."""
        key = chat_key(update)
        if key is None:
            await self._run(coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                await self._run(coroutine)
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key]
                del self._locks[key]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        """Wait for a running slot (counted as ready meanwhile), then run."""
        self._ready += 1
        if self._ready >= self.running_bound:
            self._room.clear()
        try:
            await self._running.acquire()
        finally:
            self._ready -= 1
            if self._ready < self.running_bound:
                self._room.set()
        try:
            await coroutine
        finally:
            self._running.release()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
