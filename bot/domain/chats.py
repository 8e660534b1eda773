"""Chat ids Telegram replaced: a group upgraded to a supergroup gets a new id, and the old
one answers every request with ``migrate_to_chat_id``.

The configured ids (``DISPATCH_CHAT_ID``, agencies' ``chat_id`` in the routing file) stay
what the operator wrote; :class:`ChatMoves` maps them to where the chat lives now, and
back. The moves are stored (``storage/chats.py``), so they survive a restart and beat the
configuration until it is updated.
"""

from __future__ import annotations

from collections.abc import Mapping

MAX_HOPS = 8  # a chat is upgraded once; a longer chain would be a loop in stored data


class ChatMoves:
    """Old chat id → new chat id, followed in both directions."""

    def __init__(self, moves: Mapping[int, int] | None = None) -> None:
        self._to: dict[int, int] = dict(moves or {})

    def add(self, old: int, new: int) -> None:
        """Record that chat ``old`` is now ``new``."""
        if old != new:
            self._to[old] = new

    def current(self, chat_id: int) -> int:
        """Where a chat lives now (itself if it never moved)."""
        for _ in range(MAX_HOPS):
            nxt = self._to.get(chat_id)
            if nxt is None:
                break
            chat_id = nxt
        return chat_id

    def original(self, chat_id: int) -> int:
        """The first id a chat had (what the configuration names)."""
        back = {new: old for old, new in self._to.items()}
        for _ in range(MAX_HOPS):
            prev = back.get(chat_id)
            if prev is None:
                break
            chat_id = prev
        return chat_id

    def same(self, a: int, b: int) -> bool:
        """Whether two ids name the same chat."""
        return self.current(a) == self.current(b)


TOPIC_LOST_ERRORS = ("message thread not found", "topic_closed", "topic_deleted")
"""How Telegram refuses a message for a forum topic that was deleted or closed."""


def topic_lost(error: str) -> bool:
    """Whether a Bot API error means the message's forum topic cannot take it."""
    lowered = error.lower()
    return any(needle in lowered for needle in TOPIC_LOST_ERRORS)


class LostTopics:
    """Forum topics Telegram refused (deleted or closed): (chat id, thread id). Messages
    meant for one go to the chat's General thread instead."""

    def __init__(self, lost: set[tuple[int, int]] | None = None) -> None:
        self._lost = set(lost or ())

    def add(self, chat_id: int, thread_id: int) -> None:
        """Telegram refused this topic."""
        self._lost.add((chat_id, thread_id))

    def discard(self, chat_id: int, thread_id: int) -> None:
        """The topic takes messages again (reopened)."""
        self._lost.discard((chat_id, thread_id))

    def usable(self, chat_id: int, thread_id: int) -> bool:
        """Whether messages may go to this topic."""
        return (chat_id, thread_id) not in self._lost
