"""Telegram's flood limits as budgets: when the next message to a chat may go.

Telegram answers "429 Too Many Requests" to a bot that writes more than about 20
messages a minute into one group, more than one a second into one chat, or more than 30
a second overall. A message sent into a 429 is not delivered and makes the chat wait
``retry_after`` seconds; so every message (the outbox's and the handlers' direct
prompts) asks :class:`Pacer` for its slot first and waits for it instead.

A group's budget is a token bucket that fills at ``(per_minute - burst)`` a minute and
holds ``burst``: any minute holds at most ``per_minute`` messages, two messages after a
quiet spell go a second apart, and once the budget is used they are evenly spaced
(about 3.4 s with 20 a minute) — never 20 at once and then nothing for 40 s. Every chat
keeps a second between messages; all chats together share the overall budget. Small
margins absorb the time a request takes to reach Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MARGIN = 1.05
"""Budgets are kept with 5 % to spare: requests do not arrive exactly when they leave."""


@dataclass(frozen=True, slots=True)
class Budgets:
    """Telegram's limits (its FAQ: 20 a minute in a group, 1 a second in a chat, 30 a
    second overall)."""

    group_per_minute: int = 20
    group_burst: int = 2
    per_chat_gap: timedelta = timedelta(seconds=1)
    overall_per_second: int = 30
    overall_burst: int = 5


@dataclass(slots=True)
class _Bucket:
    """A token bucket: ``tokens`` at ``at``, refilled at ``rate`` a second up to ``size``."""

    size: float
    rate: float
    tokens: float
    at: datetime | None = None

    def level(self, now: datetime) -> float:
        if self.at is None:
            return self.tokens
        elapsed = max((now - self.at).total_seconds(), 0.0)
        return min(self.size, self.tokens + elapsed * self.rate)

    def ready_at(self, now: datetime) -> datetime:
        """When one token is there (``now`` if it is)."""
        missing = 1.0 - self.level(now)
        if missing <= 1e-9:
            return now
        return now + timedelta(seconds=missing / self.rate)

    def take(self, at: datetime) -> None:
        self.tokens = self.level(at) - 1.0
        self.at = at


@dataclass(slots=True)
class _Chat:
    last: datetime | None = None
    held_until: datetime | None = None
    bucket: _Bucket | None = None  # groups only


class Pacer:
    """Per-chat and overall send budgets. Time comes from the caller (the injected clock).

    ``slot(chat, now)`` says when the next message to ``chat`` may go; ``take(chat, at)``
    records one that went (or is about to); ``hold(chat, until)`` honours a 429's
    ``retry_after``. Disabled (``TELEGRAM_FLOOD_LIMITS=false``, tests) every slot is now.
    """

    def __init__(self, budgets: Budgets | None = None, *, enabled: bool = True) -> None:
        self.budgets = budgets or Budgets()
        self.enabled = enabled
        self._chats: dict[int, _Chat] = {}
        b = self.budgets
        self._overall = _Bucket(
            size=b.overall_burst,
            rate=(b.overall_per_second - b.overall_burst) / MARGIN,
            tokens=b.overall_burst,
        )

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) > 20_000:
                self._forget_idle()
            chat = self._chats[chat_id] = _Chat()
            if chat_id < 0:
                b = self.budgets
                burst = max(1, min(b.group_burst, b.group_per_minute - 1))
                chat.bucket = _Bucket(
                    size=burst,
                    rate=max(b.group_per_minute - burst, 1) / (60.0 * MARGIN),
                    tokens=burst,
                )
        return chat

    def _forget_idle(self) -> None:
        """Private chats quiet for a while start afresh (bounds memory)."""
        latest = max((c.last for c in self._chats.values() if c.last is not None), default=None)
        if latest is None:
            return
        quiet = latest - timedelta(minutes=2)
        for key in [
            k
            for k, c in self._chats.items()
            if (c.last is None or c.last < quiet) and (c.held_until is None or c.held_until < quiet)
        ]:
            del self._chats[key]

    def slot(self, chat_id: int, now: datetime, *, edit: bool = False) -> datetime:
        """The earliest time (``now`` or later) a message to ``chat_id`` may go. An
        ``edit`` keeps a second from the chat's last message but does not use a group's
        minute budget (Telegram counts new messages there)."""
        if not self.enabled:
            return now
        chat = self._chats.get(chat_id)
        at = self._overall.ready_at(now)
        if chat is None:
            return at
        if chat.held_until is not None and chat.held_until > at:
            at = chat.held_until
        if chat.last is not None:
            at = max(at, chat.last + self.budgets.per_chat_gap * MARGIN)
        if chat.bucket is not None and not edit:
            at = max(at, chat.bucket.ready_at(at))
        return at

    def take(self, chat_id: int, at: datetime, *, edit: bool = False) -> None:
        """A message to ``chat_id`` leaves at ``at``: it uses the chat's and the overall budget."""
        if not self.enabled:
            return
        chat = self._chat(chat_id)
        chat.last = at if chat.last is None else max(chat.last, at)
        if chat.bucket is not None and not edit:
            chat.bucket.take(at)
        self._overall.take(at)

    def reserve(self, chat_id: int, now: datetime) -> datetime:
        """Book the next slot for ``chat_id`` and return it (a direct message waits until then)."""
        at = self.slot(chat_id, now)
        self.take(chat_id, at)
        return at

    def hold(self, chat_id: int, until: datetime) -> None:
        """Telegram said "retry after": nothing more to this chat before ``until``."""
        chat = self._chat(chat_id)
        if chat.held_until is None or until > chat.held_until:
            chat.held_until = until

    def clock_went_back(self, by: timedelta) -> None:
        """The wall clock stepped back (an NTP correction): every stamp moves back with it,
        so no chat waits the jump out."""
        for chat in self._chats.values():
            if chat.last is not None:
                chat.last -= by
            if chat.held_until is not None:
                chat.held_until -= by
            if chat.bucket is not None and chat.bucket.at is not None:
                chat.bucket.at -= by
        if self._overall.at is not None:
            self._overall.at -= by

    def is_free(self, chat_id: int, now: datetime) -> bool:
        """Whether a message to ``chat_id`` may go now."""
        return self.slot(chat_id, now) <= now
