"""Polling that one malformed update cannot stall, at the cost of one parse per batch.

python-telegram-bot parses a getUpdates batch as a whole; one update it cannot parse fails
the batch (logged at CRITICAL), the offset does not move, and the same batch fails on
every poll: the bot stalls for everyone. :class:`TolerantBot` parses each batch once, as
python-telegram-bot does, and only when that fails parses the batch's updates one by one:
an update that does not parse is logged (WARNING) and replaced by a bare ``Update`` with
its id, which no handler matches, so the offset moves past it.
"""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from telegram import Update
from telegram._utils.defaultvalue import DefaultValue
from telegram.ext import ExtBot
from telegram.request import BaseRequest

log = logging.getLogger(__name__)

Json = dict[str, Any]


def parse_batch(raw: list[Json], bot: ExtBot[None] | None) -> tuple[Update, ...]:
    """The batch parsed at once; if that fails, update by update (see the module)."""
    try:
        return Update.de_list(raw, bot)
    except Exception:  # python-telegram-bot raises whatever the bad field caused
        return tuple(safe_update(item, bot) for item in raw)


def safe_update(raw: Json, bot: ExtBot[None] | None) -> Update:
    """The update if python-telegram-bot can parse it, else a bare one with its id."""
    try:
        return Update.de_json(raw, bot)
    except Exception as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        log.warning(
            "update %s cannot be parsed and is skipped: %s: %s",
            update_id,
            type(exc).__name__,
            exc,
        )
        if not isinstance(update_id, int):
            raise  # without an id the offset cannot move past it: python-telegram-bot's case
        return Update(update_id)


class TolerantBot(ExtBot[None]):
    """The bot's ``ExtBot``: getUpdates parses with :func:`parse_batch`.

    ``room``, if given, is awaited before each long poll: the handlers' pace (see
    ``PerChatUpdateProcessor.wait_for_room``); the last short poll at shutdown, which only
    confirms what was fetched, does not wait.
    """

    __slots__ = ("_room",)

    def __init__(
        self, *args: Any, room: Callable[[], Awaitable[None]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self._room = room

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | dtm.timedelta | None = None,  # noqa: ASYNC109 (the Bot API name)
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
        api_kwargs: Json | None = None,
    ) -> tuple[Update, ...]:
        """``Bot.get_updates``, the same request and read time-out; parsing as above."""
        data: Json = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        # As python-telegram-bot: the long poll's time is added to the read time-out.
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self.request_for_updates.read_timeout
        poll = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout
        if self._room is not None and poll:
            await self._room()
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=(read_timeout or 0) + (poll or 0),
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        updates = parse_batch(cast("list[Json]", result), self)
        for update in updates:
            self.insert_callback_data(update)
        return updates

    @property
    def request_for_updates(self) -> BaseRequest:
        """The getUpdates connection (python-telegram-bot keeps it as ``_request[0]``)."""
        return self._request[0]
